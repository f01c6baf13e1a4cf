"""The rest of the loop with central, done by whoever holds the sender lease after sending
(central-api.md sections 6 and 10): ask central's verdicts, heartbeat, apply retention.

- **Verdicts**: acknowledged households whose verdict is not final and that were not asked
  about within ``status_poll_s``, oldest first, in batches of up to 100
  (``POST /submissions/status``), at most :data:`MAX_ASKED_PER_PASS` a pass. Every id
  central answered (or said it never accepted) counts as asked; ids of a failed batch are
  asked again at the next pass.
- **Heartbeat**: at once in a window's or agent's first pass, then every ``heartbeat_s``
  (after a failure, again after :data:`HEARTBEAT_RETRY_S`), with true figures: the queue by
  state from the database, the households rejected and not yet dealt with, today's
  acknowledgements, the oldest unsent, the last success, the clock offset learnt from
  ``GET /health``, free disk and the printer and camera status. Central's configuration is
  taken only when its signature verifies, then stored (``central_config``).
- A sender standing aside for one on **another PC** (a shared PostgreSQL database) still
  sends its own PC's heartbeat when due: central sees every PC, and one PC never sends two.
- **Retention**: at most every :data:`RETENTION_EVERY_S` by the desk's clock, the personal
  data of households verified ``retention_days`` ago goes (:meth:`store.Verdicts.purge_due`).
"""

from __future__ import annotations

import logging
import shutil
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from pser_desk.desk.peripherals import Peripherals
from pser_desk.domain.central_config import CentralConfig
from pser_desk.domain.dates import PAKISTAN_TIME
from pser_desk.domain.lifecycle import RecordState
from pser_desk.store import StoreService
from pser_desk.store.errors import StoreError
from pser_desk.sync import kept_config
from pser_desk.sync.client import CentralClient, CentralError, CentralRejected
from pser_desk.sync.heartbeat import ConfigVerdict, Heartbeat, QueueFigures
from pser_desk.sync.worker import PassSummary

log = logging.getLogger(__name__)

MAX_ASKED_PER_PASS = 1000
HEARTBEAT_RETRY_S = 60.0
RETENTION_EVERY_S = 3600.0


class Upkeep:
    """What a pass does after sending; one per sender (its timers are the process's)."""

    def __init__(
        self,
        store: StoreService,
        client: CentralClient,
        data_dir: Path,
        *,
        clock: Callable[[], datetime],
        app_version: str,
        form_versions: Callable[[], tuple[str, ...]],
        peripherals: Peripherals,
        beat_at_start: bool,
        host: str | None = None,
    ) -> None:
        self._store, self._client, self._data_dir = store, client, data_dir
        self._clock = clock
        self._app_version = app_version
        self._form_versions = form_versions
        self._peripherals = peripherals
        self._beat_at_start = beat_at_start
        self._beat_retry_at: datetime | None = None
        self._host = (host or socket.gethostname() or "?")[:200]  # as the sender lease names it
        self._next_retention: datetime | None = None

    def __call__(self, summary: PassSummary, keep_alive: Callable[[], bool]) -> None:
        identity = self._store.device.current()
        if identity is None:
            return
        try:
            state = self._store.central_state.load(identity.device_id)
            if self._heartbeat_due(state.last_heartbeat_at, state.config):
                summary.heartbeat = self.heartbeat(identity.device_id, state.config)
                state = self._store.central_state.load(identity.device_id)
            if keep_alive():
                self.ask_verdicts(state.config.status_poll_s, summary, keep_alive)
            if keep_alive():
                self._retention(state.config.retention_days, summary)
        except StoreError as exc:
            log.warning("the loop with central stopped this pass: %s", type(exc).__name__)

    def aside(self, summary: PassSummary) -> None:
        """Another sender holds the queue. When it runs on another PC (a shared PostgreSQL
        database), this PC still owes central its own heartbeat; on this PC the holder
        sends it (never both)."""
        holder = summary.held_by
        if holder is None or holder.host == self._host:
            return
        identity = self._store.device.current()
        if identity is None:
            return
        try:
            state = self._store.central_state.load(identity.device_id)
            if self._heartbeat_due(state.last_heartbeat_at, state.config):
                summary.heartbeat = self.heartbeat(identity.device_id, state.config)
        except StoreError as exc:
            log.warning("the heartbeat stopped this pass: %s", type(exc).__name__)

    # ------------------------------------------------------------ verdicts

    def verdicts_due(self, poll_s: int) -> int:
        return len(self._store.verdicts.due(poll_s, limit=MAX_ASKED_PER_PASS))

    def ask_verdicts(
        self, poll_s: int, summary: PassSummary, keep_alive: Callable[[], bool]
    ) -> None:
        due = self._store.verdicts.due(poll_s, limit=MAX_ASKED_PER_PASS)
        for start in range(0, len(due), 100):
            batch = due[start : start + 100]
            report = self._client.submission_statuses(batch)
            answered = [sid for sid in batch if sid in report.verdicts or sid in report.unknown]
            if report.unknown:
                log.warning("central says it never accepted %d acknowledged household(s)",
                            len(report.unknown))  # fmt: skip
            verified, rejected = self._store.verdicts.record(answered, report.verdicts)
            summary.verdicts_asked += len(answered)
            summary.verified += verified
            summary.rejected += rejected
            if report.error is not None:
                summary.verdicts_error = _code(report.error)
                return
            if not keep_alive():
                return

    # ------------------------------------------------------------ heartbeat

    def _heartbeat_due(self, last: datetime | None, config: CentralConfig) -> bool:
        now = self._clock()
        if self._beat_retry_at is not None:
            return now >= self._beat_retry_at
        if self._beat_at_start or last is None:
            return True
        return now - last >= timedelta(seconds=config.heartbeat_s)

    def heartbeat(self, device_id: str, config: CentralConfig) -> str:
        """Send one heartbeat; ``ok``, ``bad_signature`` or why it failed."""
        self._beat_at_start = False
        try:
            self._client.health()  # the clock offset, learnt from central's server_time
        except CentralError:
            pass
        beat = self.figures()
        key = self._client.central_signing_key
        try:
            reply = self._client.heartbeat(beat, config, key)
        except CentralError as exc:
            self._beat_retry_at = self._clock() + timedelta(seconds=HEARTBEAT_RETRY_S)
            return _code(exc)
        self._beat_retry_at = None
        verified = reply.outcome is ConfigVerdict.APPLIED
        if verified:  # the updater reads the same answer: it need not send a heartbeat of its own
            try:
                kept_config.keep(self._data_dir, reply, self._clock())
            except OSError as exc:  # a full disk: the database keeps it all the same
                log.warning("central's configuration not kept for the updater (%s)",
                            exc.__class__.__name__)  # fmt: skip
        self._store.central_state.heartbeat_answered(
            device_id, self._clock(), config=reply.config if verified else None,
            signature=None, refused=not verified,
        )  # fmt: skip
        return reply.outcome.value if not verified else "ok"

    def figures(self) -> Heartbeat:
        """Section 10's body from the database and this PC (nothing identifies a person)."""
        now = self._clock()
        counts = self._store.outbox.counts(now=now)
        by_state = counts.by_state
        start_of_day = now.astimezone(PAKISTAN_TIME).replace(hour=0, minute=0, second=0,
                                                              microsecond=0)  # fmt: skip
        today, last_ack = self._store.verdicts.acknowledged_since(start_of_day)
        identity = self._store.device.current()
        last_beat = (
            self._store.central_state.load(identity.device_id).last_heartbeat_at
            if identity is not None else None
        )  # fmt: skip
        last_success = max((t for t in (last_ack, last_beat) if t is not None), default=None)
        queue = QueueFigures(
            draft=by_state.get(RecordState.DRAFT.value, 0),
            queued=by_state.get(RecordState.QUEUED.value, 0),
            sending=by_state.get(RecordState.SENDING.value, 0),
            failed=by_state.get(RecordState.FAILED.value, 0),
            needs_correction=by_state.get(RecordState.NEEDS_CORRECTION.value, 0),
            duplicate=by_state.get(RecordState.DUPLICATE.value, 0),
            rejected=self._store.verdicts.open_rejections(),
            acknowledged_today=today,
            oldest_unsent_at=counts.oldest_unsent_at,
        )
        printer, camera = self._peripherals.status()
        return Heartbeat(
            app_version=self._app_version,
            form_versions=self._form_versions(),
            queue=queue,
            last_success_at=last_success,
            clock_offset_s=self._client.clock_offset.total_seconds(),
            disk_free_mb=_free_mb(self._data_dir),
            printer=printer,
            camera=camera,
        )

    # ------------------------------------------------------------ retention

    def _retention(self, retention_days: int, summary: PassSummary) -> None:
        now = self._clock()
        if self._next_retention is not None and now < self._next_retention:
            return
        self._next_retention = now + timedelta(seconds=RETENTION_EVERY_S)
        summary.purged += self._store.verdicts.purge_due(retention_days, now=now).purged


def _free_mb(folder: Path) -> int:
    try:
        return int(shutil.disk_usage(folder).free // (1024 * 1024))
    except OSError:
        return 0


def _code(exc: Exception) -> str:
    if isinstance(exc, CentralRejected):
        return exc.code
    return type(exc).__name__
