"""Logging for the desktop app: a rotating file in ``<data_dir>/logs/``, Qt's messages in it.

Nothing personal may reach the log. Code never logs names, CNICs or phone numbers;
as a second line of defence :class:`RedactFilter` masks anything shaped like a CNIC,
a B-Form or a mobile number before a record is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from pser_desk.logs import LOG_FILE, RedactFilter, make_file_handler, redact

__all__ = [
    "LOG_FILE",
    "RedactFilter",
    "configure_file_logging",
    "hold_early_records",
    "redact",
    "route_qt_messages",
]

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_qt_log = logging.getLogger("qt")


class _EarlyRecords(logging.Handler):
    """Keeps what is logged while the first window opens, for the log file to write."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < 1000:
            self.records.append(record)


def hold_early_records() -> None:
    """Until :func:`configure_file_logging`, keep log records in memory (not on stderr).

    The window starts before the log file does (the file handler's module is not worth
    the wait); records of those first milliseconds, Qt's included, are written then.
    """
    root = logging.getLogger()
    if not any(isinstance(h, _EarlyRecords) for h in root.handlers):
        root.addHandler(_EarlyRecords())
        if root.level == logging.NOTSET or root.level > logging.INFO:
            root.setLevel(logging.INFO)


def configure_file_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Attach the rotating file handler to the root logger; returns the log file path."""
    handler = make_file_handler(data_dir)  # the same file, format and masking as the CLI
    path = Path(handler.baseFilename)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    for early in [h for h in root.handlers if isinstance(h, _EarlyRecords)]:
        root.removeHandler(early)
        for record in early.records:
            if record.levelno >= level:
                handler.handle(record)
    return path


def qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or "default"
    _qt_log.log(_QT_LEVELS.get(mode, logging.INFO), "[%s] %s", category, redact(message))


def route_qt_messages() -> Callable[..., Any] | None:
    """Send Qt's own messages into ``logging``; returns the previous handler (to restore)."""
    return qInstallMessageHandler(qt_message_handler)
