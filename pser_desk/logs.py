"""The log file, without Qt: a rotating file in ``<data_dir>/logs/`` with personal numbers masked.

The command line (``pser_desk.cli``) uses :func:`file_logging` around each sub-command;
the desktop app's ``gui/logsetup.py`` uses the same handler and adds Qt's messages.
Code never logs names, CNICs or phone numbers; :class:`RedactFilter` is the second line
of defence that masks anything shaped like a CNIC, a B-Form or a mobile number.
``PSER_DESK_LOG_LEVEL`` (DEBUG, INFO, WARNING...) overrides the default level, INFO.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging.handlers

LOG_DIR = "logs"
LOG_FILE = "pser-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
ROTATE_RETRY_S = 60.0  # a rotation refused (Windows: file open elsewhere) is tried again after
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
LEVEL_ENV = "PSER_DESK_LOG_LEVEL"

# 13 digits with or without dashes (CNIC / B-Form), and 03xx mobile numbers.
_PERSONAL = re.compile(r"(?<!\d)(?:\d{5}-?\d{7}-?\d|(?:\+92|0092|0)?3\d{2}[- ]?\d{7})(?!\d)")


def redact(text: str) -> str:
    return _PERSONAL.sub("[redacted]", text)


class RedactFilter(logging.Filter):
    """Masks CNIC- and phone-shaped digit runs in the final message and the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_dir(data_dir: Path) -> Path:
    return data_dir / LOG_DIR


def level_from_env(default: int = logging.INFO) -> int:
    name = os.environ.get(LEVEL_ENV, "").strip().upper()
    level = logging.getLevelName(name) if name else default
    return level if isinstance(level, int) else default


def make_file_handler(data_dir: Path) -> logging.handlers.RotatingFileHandler:
    """A rotating handler on ``<data_dir>/logs/pser-desk.log`` (folder created).

    The window and the headless commands share the file. On Windows a file another
    process has open cannot be renamed, so the turn to rotate can find it held by the
    window (or the reverse): then this process writes on into the current file and tries
    again a minute later, instead of printing a traceback on every line it logs.
    """
    import logging.handlers  # here: the window's start-up does not wait for it

    class SharedRotatingFileHandler(logging.handlers.RotatingFileHandler):
        """A log line that cannot be written (a full disk) is dropped: the command's own
        outcome and its one-line message never depend on the log file."""

        retry_s = ROTATE_RETRY_S
        _next_try = 0.0

        def shouldRollover(self, record: logging.LogRecord) -> int:
            if time.monotonic() < self._next_try:
                return False
            return super().shouldRollover(record)

        def doRollover(self) -> None:
            try:
                super().doRollover()
            except PermissionError:  # WinError 32: another process has the file open
                self._next_try = time.monotonic() + self.retry_s
                if self.stream is None:
                    self.stream = self._open()

        def handleError(self, record: logging.LogRecord) -> None:
            pass

        def close(self) -> None:
            try:
                super().close()
            except OSError:  # the last lines could not be flushed (a full disk)
                pass

    folder = log_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    handler = SharedRotatingFileHandler(
        folder / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(_RedactingFormatter(FORMAT))
    handler.addFilter(RedactFilter())
    return handler


@contextmanager
def file_logging(data_dir: Path, level: int | None = None) -> Iterator[Path]:
    """Log to the data directory's file while the block runs; the handler is removed after.

    Used by every headless command, so tests that call ``cli.main`` many times in one
    process neither pile up handlers nor leave files open.
    """
    chosen = level_from_env() if level is None else level
    handler = make_file_handler(data_dir)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > chosen:
        root.setLevel(chosen)
    try:
        yield Path(handler.baseFilename)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        handler.close()
