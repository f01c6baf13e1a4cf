"""Logging for the desktop app: a rotating file in ``<data_dir>/logs/``, Qt's messages in it.

Nothing personal may reach the log. Code never logs names, CNICs or phone numbers;
as a second line of defence :class:`RedactFilter` masks anything shaped like a CNIC,
a B-Form or a mobile number before a record is written.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

LOG_FILE = "pser-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

# 13 digits with or without dashes (CNIC / B-Form), and 03xx mobile numbers.
_PERSONAL = re.compile(r"(?<!\d)(?:\d{5}-?\d{7}-?\d|(?:\+92|0092|0)?3\d{2}[- ]?\d{7})(?!\d)")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_qt_log = logging.getLogger("qt")


def redact(text: str) -> str:
    return _PERSONAL.sub("[redacted]", text)


class RedactFilter(logging.Filter):
    """Masks CNIC- and phone-shaped digit runs in the final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_file_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Attach the rotating file handler to the root logger; returns the log file path."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path


def qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = getattr(context, "category", None) or "default"
    _qt_log.log(_QT_LEVELS.get(mode, logging.INFO), "[%s] %s", category, redact(message))


def route_qt_messages() -> Callable[..., Any] | None:
    """Send Qt's own messages into ``logging``; returns the previous handler (to restore)."""
    return qInstallMessageHandler(qt_message_handler)
