"""The window's updater, without Qt: when to check, what to show, what may happen next.

The window runs :meth:`UpdateFlow.poll` on its network lane from a timer (a minute or
so apart): it checks when one is due (at start, every :data:`CHECK_EVERY`, sooner after
the repository could not be reached), and at once when central's signed configuration
(refreshed by a heartbeat once ``heartbeat_s`` has passed) says this version is below
``min_app_version``; whatever it finds it downloads, with progress in
:attr:`UpdateFlow.status`, a slice at a time (:data:`SLICE_S`): the network lane also
sends the households, and a full archive over a centre's line takes minutes, so each
poll downloads for a few seconds and the next one resumes where it stopped. The Help menu's "Check for updates" is ``poll(now=True)``.
:meth:`UpdateFlow.install` runs when no household is open: when the window closes, or at
the manager's word (then the window closes); its :class:`Outcome` restarts into the new
version once the window is gone. Each step is one blocking call that never raises for
an update problem: the status says what happened (a refusal names its attack).

On a per-machine installation (Windows, the PSER Desk Updater service) the downloads and
the install are the service's (:class:`~pser_desk.update.managed.ServiceUpdater`): the
desk's user cannot write the program's folder, and the flow only asks and follows.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pser_desk import __version__
from pser_desk.update.client import Offer
from pser_desk.update.fetch import DownloadCancelled
from pser_desk.update.install import InstallError
from pser_desk.update.managed import ServiceUpdater, late, managed
from pser_desk.update.refusals import UpdateRefused, UpdateUnavailable
from pser_desk.update.service import Setup, UpdateNotSetUp, UpdateService, start_window

log = logging.getLogger(__name__)
CHECK_EVERY = timedelta(hours=4)
RETRY_AFTER = timedelta(minutes=30)  # after the repository could not be reached
SLICE_S = 10.0  # a poll's share of the network lane for downloading; then sending's turn


class Phase(enum.StrEnum):
    IDLE = "idle"  # not checked yet
    CHECKING = "checking"
    UP_TO_DATE = "up_to_date"
    DOWNLOADING = "downloading"
    READY = "ready"  # downloaded and verified: installs at close or at the manager's word
    INSTALLING = "installing"  # (per machine: handed to the updater, in once the desk closes)
    INSTALLED = "installed"  # the new version is in place: restart into it
    REFUSED = "refused"  # an attack: ``message`` names it
    UNAVAILABLE = "unavailable"  # no network, or the repository stopped answering
    FAILED = "failed"  # the install failed: the old version stays
    NOT_SET_UP = "not_set_up"  # no shipped root, not enrolled...


BUSY = frozenset({Phase.CHECKING, Phase.DOWNLOADING, Phase.INSTALLING, Phase.INSTALLED})


@dataclass(frozen=True)
class UpdateStatus:
    phase: Phase = Phase.IDLE
    current: str = ""
    available: str | None = None
    required: bool = False  # central's min_app_version is above this version
    channel: str = "stable"
    done_bytes: int = 0
    total_bytes: int = 0
    message: str = ""  # one line for the manager (refusals, failures)
    checked_at: datetime | None = None

    @property
    def percent(self) -> int:
        return 0 if not self.total_bytes else min(100, self.done_bytes * 100 // self.total_bytes)


@dataclass(frozen=True)
class Outcome:
    """An install that went through (or, per machine, was handed over). Once the window
    has closed, run *restart* (the manager's word: the new version's window on the same
    data) or *closed* (it closed for the day: per machine, the updater's outcome is still
    audited by ``update wait``)."""

    version: str
    previous: str
    restart: Callable[[], None]
    closed: Callable[[], None] = lambda: None


class UpdateFlow:
    def __init__(
        self,
        service: Callable[[], UpdateService],
        *,
        current: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        machine: ServiceUpdater | None = None,
        spawn: Callable[[list[str]], None] = start_window,
    ) -> None:
        self._service = service
        self._clock = clock
        self._machine = machine
        self._spawn = spawn
        self._lock = threading.Lock()
        self._status = UpdateStatus(current=current)
        self._offer: Offer | None = None
        self._updater: UpdateService | None = None
        self._next_check: datetime | None = None
        self._request: tuple[str, float] | None = None  # the service's download, and since

    @property
    def status(self) -> UpdateStatus:
        with self._lock:
            return self._status

    def _set(self, **changes: object) -> UpdateStatus:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
            return self._status

    def _service_now(self) -> UpdateService:
        if self._updater is None:
            self._updater = self._service()
        return self._updater

    def due(self) -> bool:
        """True when a check is due (never while one runs or an update waits to install)."""
        phase = self.status.phase
        if phase in BUSY or phase is Phase.READY:
            return False
        return self._next_check is None or self._clock() >= self._next_check

    def poll(
        self,
        cancelled: Callable[[], bool] | None = None,
        *,
        now: bool = False,
        slice_s: float | None = SLICE_S,
    ) -> UpdateStatus:
        """The window's timer (blocking: the network lane): check when due, or at once when
        *now* (the Help menu) or when central has just required a newer version; then
        download what was found for at most *slice_s* seconds (the status stays
        ``downloading`` and the next poll goes on: :attr:`more` says so)."""
        if self.status.phase in BUSY - {Phase.DOWNLOADING}:
            return self.status
        if self.status.phase is not Phase.DOWNLOADING and (
            self._newly_required() or now or self.due()
        ):
            self.check()
        if self.status.phase is Phase.DOWNLOADING:
            self.download(cancelled, slice_s=slice_s)
        return self.status

    @property
    def more(self) -> bool:
        """True when a download is under way: poll again soon to go on with it."""
        return self.status.phase is Phase.DOWNLOADING and self._offer is not None

    def _newly_required(self) -> bool:
        """True when central's configuration requires a newer version and no check has
        seen it yet (a heartbeat fetches the configuration once ``heartbeat_s`` passed)."""
        if self.status.required or self.status.phase in (Phase.READY, Phase.NOT_SET_UP):
            return False
        try:
            required = self._service_now().required()
        except (OSError, ValueError) as exc:
            log.warning("central's configuration could not be read (%s)", exc.__class__.__name__)
            return False
        if required:
            log.info("central requires a newer version than %s: checking now", self.status.current)
            self._set(required=True)
        return required

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
        version = None if offer.available is None else offer.available.version
        phase = Phase.UP_TO_DATE if version is None else Phase.DOWNLOADING
        if version is not None and version == self._downloaded(self._updater):
            phase = Phase.READY
        return self._set(phase=phase, available=version, required=offer.required,
                         channel=offer.channel.value, checked_at=now, done_bytes=0,
                         total_bytes=offer.download_bytes)  # fmt: skip

    def _downloaded(self, updater: UpdateService) -> str | None:
        if self._machine is not None:
            return self._machine.downloaded()
        pending = updater.pending()
        return None if pending is None else pending.version

    def _after(self, phase: Phase, message: str, now: datetime, wait: timedelta) -> UpdateStatus:
        self._next_check = now + wait
        log.warning("update check: %s", message)
        return self._set(phase=phase, message=message, checked_at=now)

    def download(
        self, cancelled: Callable[[], bool] | None = None, *, slice_s: float | None = None
    ) -> UpdateStatus:
        """Fetch what :meth:`check` found (blocking: the network lane); progress in status.
        *slice_s*: stop after that many seconds, the part kept (still ``downloading``)."""
        if self._offer is None or self._offer.available is None or self._updater is None:
            return self.status
        if self.status.phase is Phase.READY:
            return self.status
        deadline = None if slice_s is None else time.monotonic() + slice_s

        def stop() -> bool:
            if cancelled is not None and cancelled():
                return True
            return deadline is not None and time.monotonic() >= deadline

        def progress(done: int, total: int) -> None:
            self._set(done_bytes=done, total_bytes=total)

        self._set(phase=Phase.DOWNLOADING, message="")
        if self._machine is not None:
            return self._by_service_download(progress, slice_s)
        try:
            self._updater.download(self._offer, progress, stop)
        except UpdateRefused as exc:
            return self._set(phase=Phase.REFUSED, message=str(exc))
        except DownloadCancelled:
            if cancelled is None or not cancelled():
                return self.status  # its slice is over: the next poll goes on from the part
            self._next_check = self._clock() + RETRY_AFTER
            return self._set(phase=Phase.UNAVAILABLE, message="the download was stopped")
        except UpdateUnavailable as exc:
            self._next_check = self._clock() + RETRY_AFTER
            return self._set(phase=Phase.UNAVAILABLE, message=str(exc))
        return self._set(phase=Phase.READY)

    def _by_service_download(
        self, progress: Callable[[int, int], None], slice_s: float | None
    ) -> UpdateStatus:
        """The service downloads; the flow follows it for *slice_s* (None: to the end)."""
        machine, updater = self._machine, self._updater
        assert machine is not None
        assert updater is not None
        if self._request is None:
            try:
                self._request = (machine.begin("download", updater), time.monotonic())
            except (OSError, UpdateNotSetUp) as exc:
                self._next_check = self._clock() + RETRY_AFTER
                return self._set(phase=Phase.UNAVAILABLE, message=str(exc))
        request_id, began = self._request
        waited = time.monotonic() - began
        left = max(0.0, machine.timeout_s - waited)
        found = machine.follow(
            request_id, updater, progress, left if slice_s is None else min(slice_s, left)
        )
        if found is None and waited < machine.timeout_s:
            return self.status  # still at work: the next poll follows it on
        self._request = None
        status = found or late(request_id)
        phases = {"downloaded": Phase.READY, "up_to_date": Phase.UP_TO_DATE,
                  "refused": Phase.REFUSED, "failed": Phase.FAILED}  # fmt: skip
        phase = phases.get(status.phase, Phase.UNAVAILABLE)
        if phase is Phase.UNAVAILABLE:
            self._next_check = self._clock() + RETRY_AFTER
        if phase is Phase.READY:
            return self._set(phase=phase, done_bytes=self.status.total_bytes or status.total_bytes,
                             total_bytes=self.status.total_bytes or status.total_bytes)  # fmt: skip
        return self._set(phase=phase, message=status.message)

    def install(self) -> Outcome | None:
        """Install the downloaded version (blocking; no household is open, and the window
        closes next). None when it failed: the status says why, the old version stays."""
        updater = self._service_now()
        self._set(phase=Phase.INSTALLING, message="")
        if self._machine is not None:
            return self._by_service_install(updater)
        try:
            installed = updater.apply()
            command = updater.window_command()
        except InstallError as exc:
            self._set(phase=Phase.FAILED, message=str(exc))
            return None
        self._set(phase=Phase.INSTALLED, available=installed.version)
        spawn = self._spawn
        return Outcome(installed.version, installed.previous_version, lambda: spawn(command))

    def _by_service_install(self, updater: UpdateService) -> Outcome | None:
        assert self._machine is not None
        status = self._machine.ask("install", updater)
        if status.phase != "finishing" or updater.installation is None:
            phase = Phase.REFUSED if status.phase == "refused" else Phase.FAILED
            message = status.message or f"the updater service says {status.phase}"
            self._set(phase=phase, message=message)
            return None
        machine, installation, data_dir = self._machine, updater.installation, updater.data_dir
        return Outcome(str(status.version), str(status.previous),
                       machine.hand_over(installation, status, data_dir),
                       machine.hand_over(installation, status, data_dir, restart=False))  # fmt: skip


def desk_flow(
    data_dir: Path, db_url: str | None, ca_bundle: str | None = None, pins: tuple[str, ...] = ()
) -> UpdateFlow:
    """The window's updater for this PC: its data folder and database, central's TLS
    options, the program it runs from; on a per-machine installation, through the
    updater service."""

    def service() -> UpdateService:
        return UpdateService(Setup(data_dir, db_url, ca_bundle=ca_bundle, pins=pins))

    return UpdateFlow(service, current=__version__, machine=ServiceUpdater() if managed() else None)
