"""The window's updater, without Qt: when to check, what to show, what may happen next.

The window runs :meth:`UpdateFlow.check` and :meth:`UpdateFlow.download` on its network
lane (at start, every :data:`CHECK_EVERY`, and from the Help menu) and
:meth:`UpdateFlow.install` when it closes or when the manager says so; it shows
:attr:`UpdateFlow.status`. Each step is one blocking call that never raises for an update
problem: the status says what happened (a refusal names its attack).
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from pser_desk.update.client import Offer
from pser_desk.update.fetch import DownloadCancelled
from pser_desk.update.install import Installed, InstallError
from pser_desk.update.refusals import UpdateRefused, UpdateUnavailable
from pser_desk.update.service import UpdateNotSetUp, UpdateService

log = logging.getLogger(__name__)
CHECK_EVERY = timedelta(hours=4)
RETRY_AFTER = timedelta(minutes=30)  # after the repository could not be reached


class Phase(enum.StrEnum):
    IDLE = "idle"  # not checked yet
    CHECKING = "checking"
    UP_TO_DATE = "up_to_date"
    DOWNLOADING = "downloading"
    READY = "ready"  # downloaded and verified: installs at close or at the manager's word
    INSTALLING = "installing"
    INSTALLED = "installed"  # the new version is in place: restart into it
    REFUSED = "refused"  # an attack: ``message`` names it
    UNAVAILABLE = "unavailable"  # no network, or the repository stopped answering
    FAILED = "failed"  # the install failed: the old version stays
    NOT_SET_UP = "not_set_up"  # no shipped root, not enrolled...


@dataclass(frozen=True)
class UpdateStatus:
    phase: Phase = Phase.IDLE
    current: str = ""
    available: str | None = None
    required: bool = False
    channel: str = "stable"
    done_bytes: int = 0
    total_bytes: int = 0
    message: str = ""  # one line for the manager (refusals, failures)
    checked_at: datetime | None = None

    @property
    def percent(self) -> int:
        return 0 if not self.total_bytes else min(100, self.done_bytes * 100 // self.total_bytes)


class UpdateFlow:
    def __init__(
        self,
        service: Callable[[], UpdateService],
        *,
        current: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._service = service
        self._clock = clock
        self._lock = threading.Lock()
        self._status = UpdateStatus(current=current)
        self._offer: Offer | None = None
        self._updater: UpdateService | None = None
        self._next_check: datetime | None = None

    @property
    def status(self) -> UpdateStatus:
        with self._lock:
            return self._status

    def _set(self, **changes: object) -> UpdateStatus:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
            return self._status

    def due(self) -> bool:
        """True when a check is due (never while one runs or an update waits to install)."""
        phase = self.status.phase
        if phase in (Phase.CHECKING, Phase.DOWNLOADING, Phase.INSTALLING, Phase.INSTALLED):
            return False
        if phase is Phase.READY:
            return False
        return self._next_check is None or self._clock() >= self._next_check

    def check(self) -> UpdateStatus:
        """Ask the repository (blocking: the network lane)."""
        self._set(phase=Phase.CHECKING, message="")
        now = self._clock()
        try:
            self._updater = self._service()
            offer = self._updater.check()
        except UpdateRefused as exc:
            return self._after(Phase.REFUSED, str(exc), now, CHECK_EVERY)
        except UpdateUnavailable as exc:
            return self._after(Phase.UNAVAILABLE, str(exc), now, RETRY_AFTER)
        except UpdateNotSetUp as exc:
            return self._after(Phase.NOT_SET_UP, str(exc), now, CHECK_EVERY)
        self._offer = offer
        self._next_check = now + CHECK_EVERY
        pending = self._updater.pending()
        phase = Phase.UP_TO_DATE if offer.available is None else Phase.DOWNLOADING
        if (
            offer.available is not None
            and pending is not None
            and pending.version == offer.available.version
        ):
            phase = Phase.READY
        return self._set(phase=phase, available=None if offer.available is None else offer.available.version,
                         required=offer.required, channel=offer.channel.value, checked_at=now,
                         done_bytes=0, total_bytes=offer.download_bytes)  # fmt: skip

    def _after(self, phase: Phase, message: str, now: datetime, wait: timedelta) -> UpdateStatus:
        self._next_check = now + wait
        log.warning("update check: %s", message)
        return self._set(phase=phase, message=message, checked_at=now)

    def download(self, cancelled: Callable[[], bool] | None = None) -> UpdateStatus:
        """Fetch what :meth:`check` found (blocking: the network lane); progress in status."""
        if self._offer is None or self._offer.available is None or self._updater is None:
            return self.status
        if self.status.phase is Phase.READY:
            return self.status

        def progress(done: int, total: int) -> None:
            self._set(done_bytes=done, total_bytes=total)

        self._set(phase=Phase.DOWNLOADING, message="")
        try:
            self._updater.download(self._offer, progress, cancelled)
        except UpdateRefused as exc:
            return self._set(phase=Phase.REFUSED, message=str(exc))
        except (UpdateUnavailable, DownloadCancelled) as exc:
            self._next_check = self._clock() + RETRY_AFTER
            return self._set(
                phase=Phase.UNAVAILABLE, message=str(exc) or "the download was stopped"
            )
        return self._set(phase=Phase.READY)

    def install(self) -> Installed | None:
        """Install the downloaded version (blocking; the window is closed or closing, and
        no household is open). None when it failed: the status says why."""
        updater = self._updater or self._service()
        self._set(phase=Phase.INSTALLING, message="")
        try:
            installed = updater.apply()
        except InstallError as exc:
            self._set(phase=Phase.FAILED, message=str(exc))
            return None
        self._set(phase=Phase.INSTALLED, available=installed.version)
        return installed
