"""A report or slip written over a file that Windows will not let go of (a PDF viewer
showing it): one readable line, exit 1, nothing left behind. Windows' refusal is played
here by os.replace raising PermissionError, as it does there (WinError 32)."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from tests.plugins.cli import RunCli


def test_a_report_over_a_file_open_in_a_viewer_says_so_and_leaves_no_temp_file(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "reports" / "today.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF- yesterday's, open in the viewer")

    def held_open(src: Any, dst: Any) -> None:
        raise PermissionError(errno.EACCES, "[WinError 32] The process cannot access the file")

    monkeypatch.setattr(os, "replace", held_open)
    result = run_cli("report", "daily", "--out", str(out))
    assert result.code == 1, result.err
    assert result.err.count("\n") == 1
    assert "is open in another program (close it)" in result.err
    assert out.read_bytes() == b"%PDF- yesterday's, open in the viewer"
    assert sorted(p.name for p in out.parent.iterdir()) == ["today.pdf"]
