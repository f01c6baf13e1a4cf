"""Sending the queue from the desk: a timer, after each queued record and on "send now".

Each pass runs the application layer's ``sending.send_now()`` on the network lane, never on the GUI thread. Only
one pass is asked for at a time; a request while one runs is remembered and run after
it (the worker's own lock would skip it anyway), so a record queued mid-pass is not left
waiting for the next tick.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from pser_desk.desk.protocol import SendingApi
from pser_desk.gui.tasks import Lane, Runner

log = logging.getLogger(__name__)

INTERVAL_MS = 20_000


class SyncDriver(QObject):
    pass_finished = Signal(int)  # records attempted
    pass_started = Signal()

    def __init__(
        self,
        sending: SendingApi,
        runner: Runner,
        interval_ms: int = INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sending, self._runner = sending, runner
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.send_now)
        self._busy = False
        self._again = False
        self._stopped = False

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self) -> None:
        """Send now, then every interval (called once an operator has signed in)."""
        self._stopped = False
        if not self._timer.isActive():
            self._timer.start()
            self.send_now()

    def set_interval_ms(self, interval_ms: int) -> None:
        self._timer.setInterval(interval_ms)

    def send_now(self) -> None:
        if self._stopped:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        self.pass_started.emit()
        self._runner.run_task(self._sending.send_now, self._on_done, self._on_error, Lane.NET)

    def _on_done(self, attempted: int) -> None:
        self._busy = False
        self.pass_finished.emit(int(attempted or 0))
        if self._again and not self._stopped:
            self._again = False
            self.send_now()

    def _on_error(self, exc: BaseException) -> None:
        log.warning("sending did not finish: %s", exc.__class__.__name__)
        self._on_done(0)

    def stop(self) -> None:
        """No new passes; a running one is asked to stop claiming records."""
        self._stopped = True
        self._timer.stop()
        self._sending.request_stop()
