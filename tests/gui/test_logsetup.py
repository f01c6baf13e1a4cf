"""The log file: rotating, in the data directory, Qt's messages in it, no personal data."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import qInstallMessageHandler

from pser_desk.gui import logsetup

pytestmark = pytest.mark.gui


@pytest.fixture
def log_file(data_dir: Path):
    root = logging.getLogger()
    level = root.level
    path = logsetup.configure_file_logging(data_dir)
    yield path
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == str(path):
            root.removeHandler(handler)
            handler.close()


def test_log_goes_to_the_data_dir_and_masks_personal_numbers(log_file: Path, data_dir) -> None:
    assert log_file.parent == data_dir / "logs"
    logging.getLogger("pser_desk.test").info(
        "citizen %s phone %s", "35202-1234567-1", "03001234567"
    )
    text = log_file.read_text(encoding="utf-8")
    assert "citizen [redacted] phone [redacted]" in text
    assert "1234567" not in text


def test_qt_messages_are_routed_into_the_log(log_file: Path, qapp) -> None:
    from PySide6.QtCore import qInfo

    previous = logsetup.route_qt_messages()
    try:
        qInfo("hello from Qt 4210000000000")
    finally:
        qInstallMessageHandler(previous)
    text = log_file.read_text(encoding="utf-8")
    assert "hello from Qt [redacted]" in text


def test_redact_leaves_ordinary_numbers() -> None:
    assert logsetup.redact("queued 12 records in 3401 ms") == "queued 12 records in 3401 ms"
    assert logsetup.redact("3520212345671") == "[redacted]"
    assert logsetup.redact("+923001234567") == "[redacted]"


@pytest.mark.allow_log_warnings  # the early record is a warning on purpose
def test_records_of_the_first_window_wait_for_the_log_file_masked_and_not_on_stderr(
    data_dir: Path, capsys
) -> None:
    """The window shows before the log file starts: what was logged meanwhile is kept in
    memory, then written (masked, above the level) once the file exists."""
    root = logging.getLogger()
    level = root.level
    logsetup.hold_early_records()
    logsetup.hold_early_records()  # twice: still one buffer
    try:
        logging.getLogger("pser_desk.test").warning("early %s", "35202-1234567-1")
        logging.getLogger("pser_desk.test").debug("too fine to keep")
        path = logsetup.configure_file_logging(data_dir)
        logging.getLogger("pser_desk.test").info("after")
        text = path.read_text(encoding="utf-8")
        assert "early [redacted]" in text
        assert text.index("early") < text.index("after")
        assert "too fine" not in text
        assert not any(type(h).__name__ == "_EarlyRecords" for h in root.handlers)
        assert "early" not in capsys.readouterr().err
    finally:
        root.setLevel(level)
        for handler in list(root.handlers):
            if type(handler).__name__ == "_EarlyRecords" or getattr(handler, "baseFilename", None):
                root.removeHandler(handler)
                handler.close()
