"""Handheld scanners in keyboard mode, recognised anywhere in the registration wizard.

An application-wide event filter feeds every key press aimed at a widget inside the
registration page (the member dialog included) to :class:`pser_desk.scan.WedgeDetector`.
A scanner types its payload a few milliseconds a key and ends with Enter; when the
detector says a burst came, the field that received the characters gets its text back
as it was before the burst, the Enter is swallowed, and the CNIC the burst carries goes
to ``apply_scan`` (the member being edited, else the head). A person's typing passes
through untouched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from pser_desk.scan.wedge import ScannerBurst, WedgeDetector

log = logging.getLogger(__name__)

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _inside(widget: QWidget | None, ancestor: QWidget) -> bool:
    while widget is not None:
        if widget is ancestor:
            return True
        widget = widget.parentWidget()
    return False


class _Snapshot:
    """A line edit's text and cursor before a run of keys, to undo what a burst typed."""

    def __init__(self, widget: QWidget) -> None:
        self.edit = widget if isinstance(widget, QLineEdit) else None
        self.text = self.edit.text() if self.edit is not None else ""
        self.cursor = self.edit.cursorPosition() if self.edit is not None else 0

    def restore(self) -> None:
        if self.edit is None:
            return
        try:
            self.edit.setText(self.text)
            self.edit.setCursorPosition(self.cursor)
        except RuntimeError:  # the field is gone (the member dialog closed)
            return


class WedgeFilter(QObject):
    """Install with ``QApplication.instance().installEventFilter(WedgeFilter(...))``."""

    burst_detected = Signal(object)  # ScannerBurst

    def __init__(
        self,
        scope: Callable[[], QWidget | None],
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._scope = scope
        self._clock = clock
        self.detector = WedgeDetector()
        # Every field the current run typed into, as it was first: a complete CNIC moves
        # the focus on by itself, so a burst may spill into the next question too.
        self._snapshots: dict[int, _Snapshot] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        if watched is not QApplication.focusWidget():
            return False  # the same key again, on its way up to a parent
        scope = self._scope()
        if scope is None or not _inside(watched, scope):
            return False
        assert isinstance(event, QKeyEvent)
        return self._on_key(watched, event)

    def _on_key(self, widget: QWidget, event: QKeyEvent) -> bool:
        now = self._clock()
        if event.key() in ENTER:
            burst = self.detector.feed("Enter", now)
            return burst is not None and self._on_burst(burst)
        text = event.text()
        if len(text) != 1 or not text.isprintable():
            return False
        self.detector.feed(text, now)
        if self.detector.pending == 1:
            self._snapshots = {}
        self._snapshots.setdefault(id(widget), _Snapshot(widget))
        return False

    def _on_burst(self, burst: ScannerBurst) -> bool:
        snapshots, self._snapshots = list(self._snapshots.values()), {}
        for snapshot in reversed(snapshots):
            snapshot.restore()
        if snapshots and snapshots[0].edit is not None:
            snapshots[0].edit.setFocus()  # back where the scan started
        log.info("a handheld scanner's burst (%s)", burst.extraction.log_repr())
        self.burst_detected.emit(burst)
        return True
