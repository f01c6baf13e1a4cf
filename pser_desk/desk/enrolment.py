"""Enrolment: this PC's one identity with central, kept in the database only.

The first run, the manager's enrolment screen and ``pser-desk enroll`` all come here.
A PC already enrolled (the database has its row) is refused unless *force*; central's
TLS options given at enrolment are kept in this PC's settings, where everything that
talks to central reads them. After an enrolment the sender starts again with the new
identity.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.failures import desk_errors
from pser_desk.desk.model import LoginResult
from pser_desk.desk.sessions import manager
from pser_desk.desk.settings import CentralTls, SettingsStore
from pser_desk.domain.receipt import CENTRE_CODE_RE
from pser_desk.domain.text import unsafe_characters
from pser_desk.store import DeviceIdentity, StoreService
from pser_desk.store.operators import utc_now
from pser_desk.sync.client import CentralClient, CentralError, CentralUnavailable
from pser_desk.sync.enrolment import (
    AlreadyEnrolled,
    EnrolmentInvalid,
    NoRoom,
    TokenRejected,
    device_identity,
    enroll_and_save,
)
from pser_desk.sync.transport import InsecureTransportError

log = logging.getLogger(__name__)

MAX_DEVICE_NAME = 100


def default_device_name() -> str:
    """This PC's name at the centre when none is given: its host name."""
    return (socket.gethostname() or "pser-desk")[:MAX_DEVICE_NAME]


class Enrolment:
    def __init__(
        self,
        store: StoreService,
        data_dir: Path,
        settings: SettingsStore,
        *,
        device_name: str | None = None,
        changed: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store, self._data_dir, self._settings = store, data_dir, settings
        self._clock = clock
        self._device_name = (device_name or default_device_name())[:MAX_DEVICE_NAME]
        self._changed = changed  # the sender starts again with the new identity

    def identity(self) -> DeviceIdentity | None:
        """This PC's enrolment (None before the first)."""
        with desk_errors():
            return self._store.device.current()

    def require(self) -> DeviceIdentity:
        identity = self.identity()
        if identity is None:
            raise DeskError(
                ErrorCode.NOT_ENROLLED,
                "this PC is not enrolled with central yet; a manager must run "
                "'pser-desk enroll --central URL --centre CODE --token TOKEN' first",
            )
        return identity

    def is_enrolled(self) -> bool:
        return self.identity() is not None

    def enrol(
        self,
        central_url: str,
        centre_code: str,
        token: str,
        *,
        force: bool = False,
        tls: CentralTls | None = None,
        device_name: str | None = None,
        by: LoginResult | None = None,
    ) -> DeviceIdentity:
        """Enrol (or, with *force*, re-enrol with a new device key) this PC.

        *tls*: central's TLS options to use and keep (None: those in the settings).
        *by*: the manager who asked (a re-enrolment from the window); None for the first
        run and the command line.
        """
        actor = manager(by).operator_id if by is not None else None
        url, centre, name = central_url.strip(), centre_code.strip(), self._name(device_name)
        if not CENTRE_CODE_RE.match(centre):
            raise DeskError(ErrorCode.ENROL_BAD_CENTRE, "a centre code looks like LHR-0042")
        use = tls if tls is not None else self._settings.central_tls()
        client = self._client(url, use)
        try:
            with desk_errors():
                result = enroll_and_save(
                    self._store, self._data_dir, url, centre, token.strip(), name, force,
                    client=client, actor=actor,
                )  # fmt: skip
        except TokenRejected as exc:
            raise DeskError(ErrorCode.ENROL_INVALID_TOKEN, str(exc)) from None
        except NoRoom as exc:  # found before central was asked: the token is still good
            raise DeskError(ErrorCode.ENROL_NO_ROOM, str(exc)) from None
        except AlreadyEnrolled as exc:
            raise DeskError(ErrorCode.ENROL_ALREADY, str(exc)) from None
        except EnrolmentInvalid as exc:
            raise DeskError(ErrorCode.ENROL_VALIDATION, str(exc)) from None
        except CentralUnavailable as exc:
            raise DeskError(ErrorCode.ENROL_UNREACHABLE, str(exc)) from None
        except CentralError as exc:
            raise DeskError(ErrorCode.ENROL_REFUSED, str(exc)) from None
        finally:
            client.close()
        if tls is not None:  # what the manager gave at enrolment is what later requests use
            self._settings.remember_central_tls(tls)
        log.info("PC enrolled with central")
        self._changed()
        return device_identity(result)

    def follow_central(self, central_url: str) -> None:
        """Central moved to *central_url* (the demo's embedded central on today's port):
        the enrolment's one record says so, and the sender starts again."""
        identity = self.require()
        if identity.central_url == central_url:
            return
        with desk_errors():
            self._store.device.relocate(identity.device_id, central_url, at=self._clock())
        self._changed()

    def _name(self, given: str | None) -> str:
        name = (given or self._device_name).strip()[:MAX_DEVICE_NAME]
        if not name or unsafe_characters(name):
            raise DeskError(
                ErrorCode.ENROL_VALIDATION,
                "a PC's name may not hold line breaks, tabs, control or direction characters",
            )
        return name

    @staticmethod
    def _client(url: str, tls: CentralTls) -> CentralClient:
        try:
            return CentralClient(
                url, ca_bundle=tls.ca_bundle, pinned_spki_sha256=list(tls.pins) or None
            )
        except (InsecureTransportError, ValueError) as exc:
            raise DeskError(ErrorCode.ENROL_BAD_URL, str(exc)) from None
