"""Keeping the question being answered in view."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QWidget


def show_whole(scroll: QScrollArea, widget: QWidget, margin: int = 24) -> None:
    """Scroll so that all of *widget* is in view, as far as it fits (Qt's
    ensureWidgetVisible shows only a list's current row, leaving a tick list half below
    the window). Right-to-left scrolling is Qt's own (ensureVisible)."""
    content = scroll.widget()
    if content is None or not content.isAncestorOf(widget):
        return
    centre = widget.mapTo(content, widget.rect().center())
    x_margin = min(widget.width() // 2 + margin, scroll.viewport().width() // 2)
    y_margin = min(widget.height() // 2 + margin, scroll.viewport().height() // 2)
    scroll.ensureVisible(centre.x(), centre.y(), x_margin, y_margin)
