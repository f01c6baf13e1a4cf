"""Windows no larger than the screen leaves them (1366x768 less a task bar)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

TITLE_BAR_PX = 32  # a window manager's title bar, until the window has its real frame
FRAME_BORDERS_PX = 16  # its left and right borders


def fit_to_screen(window: QWidget) -> None:
    """Shrink *window* into the screen's free area, title bar and borders included."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    title = max(window.frameGeometry().height() - window.geometry().height(), TITLE_BAR_PX)
    border = max(window.frameGeometry().width() - window.geometry().width(), FRAME_BORDERS_PX)
    width = min(window.width(), area.width() - border)
    height = min(window.height(), area.height() - title)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
