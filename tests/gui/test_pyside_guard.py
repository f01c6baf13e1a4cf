"""The PySide6 6.12 / Python 3.11 reference-count guard keeps the process alive."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel

from pser_desk.gui import pyside_guard

pytestmark = pytest.mark.gui


def test_many_qt_calls_leave_none_with_references(qapp) -> None:
    if pyside_guard.needs_guard():
        pyside_guard.top_up()
    label = QLabel()
    for _ in range(50_000):
        label.setText("x")
    assert sys.getrefcount(None) > 10_000


def test_top_up_never_touches_immortal_objects(monkeypatch) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 12, 0))
    assert pyside_guard.top_up() == 0
