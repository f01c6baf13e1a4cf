"""The Qt binding itself must be sound: PySide6 6.12.0 dropped a reference to ``None`` on
every Qt call returning nothing, and Python 3.11 aborted after a few thousand calls
("none_dealloc"). pyproject.toml excludes that build; this test catches any build like it."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui


def test_void_qt_calls_keep_none_s_reference_count(qapp) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2_000):
        label.setText("x")
    # A few references may come and go elsewhere; a leak would be ~2,000.
    assert abs(sys.getrefcount(None) - before) < 100
