"""The updater as the command line and the window use it: check, download, install.

:class:`UpdateService` wires the pieces for one data folder: the ``root.json`` shipped
with this program, central's URL and TLS options from enrolment, central's signed
configuration (``channel``, ``min_app_version``; one heartbeat fetches it when the kept
copy is stale), the audit log (every refusal, download, install and failure), and the
installation this program runs from.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pser_desk import __version__, paths
from pser_desk.domain.enrolment import DeviceIdentity
from pser_desk.domain.releases import Channel, channel_of, newer
from pser_desk.security.device import DeviceKey
from pser_desk.security.envelope import b64u_decode
from pser_desk.store import StoreService
from pser_desk.store.audit_log import Event
from pser_desk.store.engine import DB_FILENAME
from pser_desk.store.update_journal import UpdateJournal
from pser_desk.sync import kept_config
from pser_desk.sync.client import CentralClient, CentralError
from pser_desk.sync.transport import InsecureTransportError, check_base_url, parse_pins
from pser_desk.update.client import Offer, UpdateClient
from pser_desk.update.fetch import Progress, new_session
from pser_desk.update.install import (
    Installation,
    Installed,
    InstallError,
    PatchDidNotFit,
    child_env,
    install,
    settle,
)
from pser_desk.update.refusals import UpdateRefused, UpdateUnavailable
from pser_desk.update.releases import platform_key
from pser_desk.update.state import Downloaded, UpdateState

log = logging.getLogger(__name__)
UPDATES_DIR = "updates"


class UpdateNotSetUp(Exception):
    """This program cannot update itself here (no shipped root, no central URL...)."""


def shipped_root() -> bytes | None:
    """The ``root.json`` shipped with this program (bundle, wheel or checkout)."""
    try:
        return paths.resource("update", "root.json").read_bytes()
    except OSError:
        return None


@dataclass(frozen=True)
class Setup:
    data_dir: Path
    db_url: str | None = None
    central_url: str | None = None  # None: the enrolment's
    current: str = __version__
    root: bytes | None = None  # None: the shipped one
    platform: str | None = None
    installation: Installation | None = None  # None: the running bundle (if frozen)
    heartbeat: bool = True  # fetch central's configuration when the kept one is stale
    channel: Channel | None = None  # None: the one central's configuration names
    # Central's TLS options as the desk keeps them (desk.settings: a CA bundle, SHA-256
    # pins); the updater service has none and uses the system's CAs.
    ca_bundle: str | None = None
    pins: tuple[str, ...] = ()


class UpdateService:
    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.data_dir = setup.data_dir
        self.updates_dir = setup.data_dir / UPDATES_DIR
        self.state = UpdateState(self.updates_dir / "state.json")
        self._client: UpdateClient | None = None
        self.installation = setup.installation or Installation.running()

    # ------------------------------------------------------------------ wiring
    def identity(self) -> DeviceIdentity | None:
        """This PC's enrolment, from its database (None: none, or not enrolled)."""
        if not self._has_database():
            return None
        try:
            with self._store_service() as service:
                return service.device.current()
        except Exception:  # noqa: BLE001 - an unreadable database: not set up for updates
            log.warning("the enrolment could not be read for the updater")
            return None

    def central_url(self) -> str:
        identity = None if self.setup.central_url else self.identity()
        url = self.setup.central_url or (identity.central_url if identity else None)
        if not url:
            raise UpdateNotSetUp("no central URL: enrol this PC first (or give --central URL)")
        try:
            return check_base_url(url)
        except InsecureTransportError as exc:
            raise UpdateNotSetUp(str(exc)) from None

    def client(self) -> UpdateClient:
        root = self.setup.root or shipped_root()
        if root is None:
            raise UpdateNotSetUp(
                "this build of pser-desk carries no update root (resources/update/root.json): "
                "it cannot update itself"
            )
        try:
            session = new_session(self.setup.ca_bundle, parse_pins(self.setup.pins))
        except InsecureTransportError as exc:
            raise UpdateNotSetUp(str(exc)) from None
        self._client = UpdateClient(
            self.updates_dir, self.central_url(), root, current=self.setup.current,
            platform=self.setup.platform or platform_key(), session=session,
        )  # fmt: skip
        return self._client

    # ------------------------------------------------------------------ config
    def central_config(self) -> kept_config.KeptConfig:
        """Central's configuration in force: the kept copy, refreshed by one heartbeat
        when it is older than ``heartbeat_s`` (the defaults for a PC not enrolled)."""
        identity = self.identity()
        if identity is None:
            return kept_config.DEFAULTS
        signing_key = b64u_decode(identity.central_signing_key)
        kept = kept_config.load(self.data_dir, signing_key)
        if self.setup.heartbeat and not kept.fresh(kept_config.now()) and self._has_database():
            self._heartbeat(kept)
            kept = kept_config.load(self.data_dir, signing_key)
        return kept

    def _heartbeat(self, kept: kept_config.KeptConfig) -> None:
        try:
            with self._store_service() as service:
                counts = service.outbox.counts()
                client = _central_client(service, self.setup)
                with client:
                    beat = kept_config.heartbeat(
                        self.setup.current,
                        kept_config.queue_figures(counts.by_state, counts.oldest_unsent_at),
                        self.data_dir, client.clock_offset.total_seconds(),
                    )  # fmt: skip
                    reply = client.heartbeat(beat, current=kept.config)
                kept_config.keep(self.data_dir, reply, kept_config.now())
        except (CentralError, OSError, ValueError) as exc:
            log.warning("central's configuration could not be fetched (%s)", exc.__class__.__name__)

    def _has_database(self) -> bool:
        return self.setup.db_url is not None or (self.data_dir / DB_FILENAME).is_file()

    @contextmanager
    def _store_service(self) -> Iterator[StoreService]:
        service = StoreService.open(self.setup.db_url, self.data_dir)
        try:
            yield service
        finally:
            service.close()

    def journal(self, event: Event, **detail: str | int | bool | None) -> None:
        """An audit entry (only where this PC has its database: never one made for it)."""
        if not self._has_database():
            return
        try:
            with self._store_service() as service:
                UpdateJournal(service.store).record(event, **detail)
        except Exception:  # noqa: BLE001 - the audit must not hide the refusal itself
            log.exception("the update could not be written to the audit log")

    def required(self) -> bool:
        """True when central's configuration (refreshed by a heartbeat when stale) asks
        for a newer version than this one (section 10's ``min_app_version``)."""
        return self.central_config().config.update_required(self.setup.current)

    def channel(self) -> Channel:
        return self.setup.channel or channel_of(self.central_config().raw)

    # ------------------------------------------------------------------ check, download
    def check(self) -> Offer:
        client = self.client()  # a program that cannot update itself stops here, quietly
        self.settle()
        kept = self.central_config()
        channel = self.setup.channel or channel_of(kept.raw)
        try:
            return client.check(channel, kept.config.min_app_version)
        except UpdateRefused as refusal:
            self.journal(Event.UPDATE_REFUSED, attack=refusal.attack.value, message=str(refusal),
                         current=self.setup.current, channel=channel.value)  # fmt: skip
            raise

    def download(
        self,
        offer: Offer,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        *,
        full: bool = False,
    ) -> Downloaded:
        client = self._client or self.client()
        try:
            item = client.download(offer, progress, cancelled, full=full)
        except UpdateRefused as refusal:
            self.journal(Event.UPDATE_REFUSED, attack=refusal.attack.value, message=str(refusal),
                         current=self.setup.current)  # fmt: skip
            raise
        self.journal(
            Event.UPDATE_DOWNLOADED, version=item.version, kind=item.kind, bytes=item.length
        )
        return item

    def pending(self) -> Downloaded | None:
        """The verified download waiting to be installed (None if none, or not newer)."""
        item = self.state.downloaded()
        if item is None or not newer(item.version, self.setup.current):
            return None
        return item

    # ------------------------------------------------------------------ install
    def apply(self, progress: Callable[[int], None] | None = None) -> Installed:
        """Install the downloaded version over this installation, or leave it as it is."""
        installation = self.installation
        if installation is None:
            raise InstallError(
                "this pser-desk runs from Python sources, not an installed bundle: it cannot install an update"
            )
        item = self.pending()
        if item is None:
            raise InstallError("no update is downloaded: run pser-desk update download first")
        try:
            installed = self._install(installation, item, progress)
        except InstallError as exc:
            self.journal(Event.UPDATE_FAILED, version=item.version, message=str(exc))
            raise
        self.state.set_downloaded(None)
        self.journal(
            Event.UPDATE_INSTALLED, version=installed.version, previous=installed.previous_version
        )
        return installed

    def _install(
        self, installation: Installation, item: Downloaded, progress: Callable[[int], None] | None
    ) -> Installed:
        try:
            return install(installation, item, progress=progress)
        except PatchDidNotFit as exc:
            log.warning("%s; fetching the full archive", exc)
            self.state.mark_patch_failed(item.target)
        offer = self.check()
        if offer.available is None or offer.available.version != item.version:
            raise InstallError(f"{item.version} is no longer offered; check again")
        try:
            full = self.download(offer, full=True)
        except (UpdateRefused, UpdateUnavailable) as exc:
            raise InstallError(
                f"the patch did not fit and the full archive could not be fetched ({exc})"
            ) from None
        return install(installation, full, progress=progress)

    def window_command(self) -> list[str]:
        """The installed program's window on this data folder (after an install)."""
        if self.installation is None:
            raise InstallError("this pser-desk runs from Python sources: no window to restart")
        return [str(self.installation.program), "--data-dir", str(self.data_dir)]

    def settle(self) -> None:
        """Remove what an earlier update left beside this installation."""
        if self.installation is not None:
            for path in settle(self.installation):
                log.info("removed %s, left by an earlier update", path.name)


def start_window(command: list[str]) -> None:
    """Start the new version's window, detached from this program (which closes)."""
    subprocess.Popen(  # noqa: S603 - our own program, by absolute path
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, env=child_env(), close_fds=True,
    )  # fmt: skip


def _central_client(service: StoreService, setup: Setup) -> CentralClient:
    identity = service.device.require()
    return CentralClient(
        identity.central_url, device_id=identity.device_id,
        device_key=DeviceKey.load(setup.data_dir),
        ca_bundle=setup.ca_bundle, pinned_spki_sha256=setup.pins,
        central_signing_key=b64u_decode(identity.central_signing_key),
    )  # fmt: skip


__all__ = ["Channel", "Setup", "UpdateNotSetUp", "UpdateService", "shipped_root", "start_window"]
