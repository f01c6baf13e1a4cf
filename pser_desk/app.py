"""Wiring: builds the services once and hands them to the views (the only non-GUI Qt user)."""

from __future__ import annotations

import sys

from pser_desk.commands.base import Context


def run(ctx: Context, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    label = QLabel("pser_desk")
    label.setWindowTitle("PSER Desk")
    label.resize(640, 400)
    label.show()
    return int(qt_app.exec())
