"""Keys typed while a household is being saved go to the next one, not into the void.

An operator who knows the desk starts on the next citizen's CNIC the moment she presses
Save. Saving and queueing take a tenth of a second or more (the store seals and numbers the
record on the database lane), and the form is disabled meanwhile so that nothing changes
what is being saved: the keys typed in that time used to be lost, and the next household
began with a CNIC missing its first digits.

:class:`HeldKeys` holds them instead. While the page is busy it takes every key meant for
the page's window (and the shortcut checks that come before them, so that no shortcut acts
on a form that is being saved), keeps the plain ones, and, once the next form has its focus,
types them into it in order. Keys with Ctrl, Alt or Meta are commands, not typing: they are
dropped. When the save fails, the held keys are dropped too (the operator must look at what
is wrong, and the form is the one she typed, not a fresh one).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

MAX_HELD = 256  # a save never takes long enough for more; a stuck key is not typed forever
COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


@dataclass(frozen=True)
class _Key:
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class HeldKeys(QObject):
    """Holds the keys typed into *page*'s window while it is busy; :meth:`replay` types them."""

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        self._page = page
        self._keys: list[_Key] = []
        self._holding = False

    @property
    def held(self) -> int:
        return len(self._keys)

    def hold(self, busy: bool) -> None:
        """Busy: the keys are held from now on. Not busy: no longer held; unless
        :meth:`replay` is called in the same turn of the event loop (the save worked and
        the next form is shown), what was held is dropped."""
        app = QCoreApplication.instance()
        if busy and not self._holding:
            self._keys.clear()
            self._holding = True
            if app is not None:
                app.installEventFilter(self)
        elif not busy and self._holding:
            self._holding = False
            if app is not None:
                app.removeEventFilter(self)
            QTimer.singleShot(0, self, self._keys.clear)

    def replay(self) -> None:
        """Type the held keys into the widget that has the focus now (the next form's
        first question), in the order they were typed."""
        keys, self._keys = self._keys, []
        for held in keys:
            target = self._target()
            if target is None:
                return
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, held.key, held.modifiers, held.text))

    def _target(self) -> QWidget | None:
        focused = QApplication.focusWidget()
        if focused is not None and self._page.isAncestorOf(focused):
            return focused
        inside = self._page.focusWidget()
        return inside if inside is not None and isValid(inside) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (
            QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride
        ):  # fmt: skip
            return False
        if not self._holding or not self._in_page_window(watched):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key is the widget's: no shortcut acts while saving
            return True
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self._keep(event)
        return True

    def _in_page_window(self, watched: QObject) -> bool:
        if not isValid(self._page):
            return False
        return isinstance(watched, QWidget) and watched.window() is self._page.window()

    def _keep(self, event: QKeyEvent) -> None:
        if event.modifiers() & COMMAND_MODIFIERS or len(self._keys) >= MAX_HELD:
            return
        self._keys.append(_Key(event.key(), event.modifiers(), event.text()))


__all__ = ["HeldKeys"]
