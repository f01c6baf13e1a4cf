"""The shared log file: a rotation that Windows refuses (the file is open in another
process: the window while a command runs) neither loses lines nor prints a traceback."""

from __future__ import annotations

import errno
import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import pytest

from pser_desk import logs


@pytest.fixture
def handler(data_dir: Path) -> Iterator[logging.handlers.RotatingFileHandler]:
    made = logs.make_file_handler(data_dir)
    made.maxBytes = 200
    yield made
    made.close()


def _record(text: str) -> logging.LogRecord:
    return logging.LogRecord("pser_desk.test", logging.INFO, __file__, 1, text, None, None)


def test_a_rotation_refused_by_windows_keeps_writing_and_says_nothing_on_stderr(
    handler: logging.handlers.RotatingFileHandler,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    log_file = data_dir / "logs" / logs.LOG_FILE

    def held_by_the_window(source: str, dest: str) -> None:
        raise PermissionError(errno.EACCES, "[WinError 32] The process cannot access the file")

    monkeypatch.setattr(handler, "rotate", held_by_the_window)
    for n in range(12):
        handler.handle(_record(f"line {n} " + "x" * 40))

    text = log_file.read_text(encoding="utf-8")
    assert [f"line {n} " in text for n in range(12)] == [True] * 12  # nothing lost
    assert not (data_dir / "logs" / f"{logs.LOG_FILE}.1").exists()
    assert capsys.readouterr().err == ""  # no "--- Logging error ---" for the operator


def test_the_rotation_is_tried_again_later_and_then_happens(
    handler: logging.handlers.RotatingFileHandler, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_rotate = handler.rotate
    refusals = [PermissionError(errno.EACCES, "[WinError 32] in use")]

    def busy_once(source: str, dest: str) -> None:
        if refusals:
            raise refusals.pop()
        real_rotate(source, dest)

    monkeypatch.setattr(handler, "rotate", busy_once)
    monkeypatch.setattr(handler, "retry_s", 0.0)
    for n in range(12):
        handler.handle(_record(f"line {n} " + "x" * 40))
    assert (data_dir / "logs" / f"{logs.LOG_FILE}.1").is_file()
