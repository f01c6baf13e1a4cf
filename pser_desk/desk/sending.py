"""Sending the queue to central: one sender per process, shared by whoever sends.

The window (a pass every 20 s, after each save and on "Send now"), ``pser-desk sync``
and a headless agent all send through a :class:`Sender`: the central client is made one
way (this PC's enrolment from the database, its device key, central's signing key and
the TLS options of this PC's settings), the outbox worker holds the sender lease of its
kind, and the backoff is the contract's unless a test or the demo shortens it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from pser_desk import __version__
from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.failures import desk_errors
from pser_desk.desk.peripherals import Peripherals
from pser_desk.desk.settings import SettingsStore
from pser_desk.desk.upkeep import Upkeep
from pser_desk.security.device import DeviceKey, DeviceKeyError
from pser_desk.security.envelope import b64u_decode
from pser_desk.store import DeviceIdentity, StoreService
from pser_desk.store.lease import LeaseHolder, SenderLease
from pser_desk.store.operators import utc_now
from pser_desk.sync.client import CentralClient
from pser_desk.sync.drain import DrainResult, drain, unsent_count
from pser_desk.sync.transport import InsecureTransportError
from pser_desk.sync.worker import Backoff, PassSummary, SyncWorker, WorkerState

log = logging.getLogger(__name__)

# Central's contract fixes the backoff at 2 s .. 10 min. Only tests and demos against the
# reference service may shorten it: PSER_DESK_SYNC_BACKOFF="BASE,CAP" (seconds).
BACKOFF_ENV = "PSER_DESK_SYNC_BACKOFF"
__all__ = ["BACKOFF_ENV", "Backoff", "Sender", "backoff_from_env"]


def backoff_from_env() -> Backoff:
    """The backoff :data:`BACKOFF_ENV` asks for (the contract's when unset);
    :class:`DeskError` when it is not ``BASE,CAP``."""
    text = os.environ.get(BACKOFF_ENV)
    if not text:
        return Backoff()
    try:
        return Backoff.parse(text)
    except ValueError as exc:
        raise DeskError(ErrorCode.BACKOFF_INVALID, f"{BACKOFF_ENV}: {exc}") from None


class Sender:
    """The outbox worker for this PC's enrolment, made when first needed."""

    def __init__(
        self,
        store: StoreService,
        data_dir: Path,
        settings: SettingsStore,
        *,
        kind: str,
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._store, self._data_dir, self._settings = store, data_dir, settings
        self._clock = clock
        self.kind = kind  # the sender lease's holder kind: window | sync | agent
        self._backoff = backoff or Backoff()
        self._lock = threading.Lock()
        self._client: CentralClient | None = None
        self._worker: SyncWorker | None = None
        self._upkeep: Upkeep | None = None
        self._closed = False
        self.peripherals = Peripherals(settings)
        # the form versions this PC can use (the desk sets it once its forms are made)
        self.form_versions: Callable[[], tuple[str, ...]] = tuple

    # ------------------------------------------------------------ central's client

    def client(self, identity: DeviceIdentity | None = None) -> CentralClient:
        """A central client signed with this PC's device key (the caller closes it)."""
        with desk_errors():
            identity = identity or self._store.device.require()
        try:
            key = DeviceKey.load(self._data_dir)
        except DeviceKeyError as exc:
            raise DeskError(
                ErrorCode.DEVICE_KEY,
                f"this PC's device key cannot be read ({exc}); re-enrol with --force",
            ) from None
        tls = self._settings.central_tls()
        try:
            return CentralClient(
                identity.central_url,
                device_id=identity.device_id,
                device_key=key,
                ca_bundle=tls.ca_bundle,
                pinned_spki_sha256=list(tls.pins) or None,
                central_signing_key=b64u_decode(identity.central_signing_key),
            )
        except InsecureTransportError as exc:
            raise DeskError(ErrorCode.CENTRAL_INSECURE, str(exc)) from None

    # ------------------------------------------------------------ the worker

    def worker(self) -> SyncWorker | None:
        """The outbox worker (None until this PC is enrolled, or when it cannot send)."""
        with self._lock:
            if self._worker is not None or self._closed:
                return self._worker
            with desk_errors():
                identity = self._store.device.current()
            if identity is None:
                return None
            try:
                self._client = self.client(identity)
            except DeskError as exc:
                log.error("cannot send: %s", exc.code.value)
                return None
            lease = SenderLease(self._store.store, kind=self.kind)
            self._upkeep = Upkeep(
                self._store, self._client, self._data_dir, clock=self._clock,
                app_version=__version__, form_versions=self.form_versions,
                peripherals=self.peripherals, beat_at_start=self.kind != "sync",
            )  # fmt: skip
            # A background sender keeps the queue between its passes (the others stand
            # aside while it runs); the window and 'sync' give it back after each pass.
            self._worker = SyncWorker(
                self._store.outbox, self._client, clock=self._clock, backoff=self._backoff,
                lease=lease, health=self._client.health, upkeep=self._upkeep,
                keep_lease=self.kind == "agent", aside=self._upkeep.aside,
            )  # fmt: skip
            return self._worker

    def _require_worker(self) -> SyncWorker:
        worker = self.worker()
        if worker is None:
            with desk_errors():
                self._store.device.require()
            raise DeskError(ErrorCode.DEVICE_KEY, "this PC cannot sign its requests to central")
        return worker

    def recover(self) -> int:
        """At start: records a crash left ``sending`` go back to ``queued`` (same bytes)."""
        with desk_errors():
            return self._store.outbox.requeue_interrupted()

    def send_now(self) -> int:
        """One pass (none if one is running already); the records attempted."""
        worker = self.worker()
        if worker is None:
            return 0
        with desk_errors():
            summary = worker.try_send_once()
        return summary.attempted if summary is not None else 0

    def pass_once(self) -> PassSummary | None:
        """One pass of everything due (none if one is running already: None)."""
        worker = self.worker()
        if worker is None:
            return None
        with desk_errors():
            return worker.try_send_once()

    def send_once(self) -> PassSummary:
        """One pass, waiting for a running one to finish first (``pser-desk sync``)."""
        worker = self._require_worker()
        with desk_errors():
            return worker.send_once()

    def send_until_empty(self, timeout_s: float) -> DrainResult:
        """Passes until nothing is left to send and no verdict question is due now, the PC
        is revoked, another sender holds the queue, or *timeout_s*."""
        worker = self._require_worker()
        with desk_errors():
            return drain(worker, self._store.outbox, timeout_s=timeout_s,
                         more=self.verdicts_due)  # fmt: skip

    def verdicts_due(self) -> int:
        """Verdict questions due now (by the configuration in force)."""
        with desk_errors():
            identity = self._store.device.current()
            if identity is None:
                return 0
            poll_s = self._store.central_state.load(identity.device_id).config.status_poll_s
            return len(self._store.verdicts.due(poll_s, limit=1000))

    def holder(self) -> LeaseHolder | None:
        """Who sends this queue now (the window, the background sender, a 'sync'), if anyone."""
        with desk_errors():
            return SenderLease(self._store.store, kind=self.kind).current()

    def release(self, timeout: float = 5.0) -> None:
        """A background sender stopping: give the queue back to the others."""
        worker = self._worker
        if worker is not None:
            with desk_errors():
                worker.release_lease(timeout)

    def unsent(self) -> int:
        with desk_errors():
            return unsent_count(self._store.outbox)

    def state(self) -> WorkerState | None:
        worker = self._worker
        return worker.state() if worker is not None else None

    def request_stop(self) -> None:
        """Ask a running pass to stop claiming records (what is on the wire finishes)."""
        worker = self._worker
        if worker is not None:
            worker.request_stop()

    def reset(self) -> None:
        """Forget the client and worker: the next pass uses the enrolment and settings of now."""
        with self._lock:
            client, self._client, self._worker = self._client, None, None
        if client is not None:
            client.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
        if self.kind == "agent":
            try:
                self.release(timeout=2.0)
            except DeskError as exc:
                log.warning("the sender lease was not given back: %s", exc.code.value)
        self.request_stop()
        self.reset()
