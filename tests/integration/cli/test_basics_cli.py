from __future__ import annotations

import json

import pytest

from tests.plugins.cli import RunCli


def test_cnic_json(run_cli: RunCli) -> None:
    result = run_cli("cnic", "35202-1234567-1", "--json")
    assert result.code == 0
    assert json.loads(result.out) == {
        "cnic": "3520212345671",
        "formatted": "35202-1234567-1",
        "province": "Punjab",
        "gender": "male",
    }


def test_invalid_cnic_is_one_line_on_stderr_and_exit_1(run_cli: RunCli) -> None:
    result = run_cli("cnic", "35202-1234567-0", "--json")
    assert result.code == 1
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert "last digit" in result.err


def test_usage_error_is_one_line(run_cli: RunCli) -> None:
    result = run_cli("cnic")
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1


def test_python_dash_m_and_data_dir_option(run_cli_process: RunCli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli_process("cnic", "۶۱۱۰۱۷۶۵۴۳۲۱۴", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["gender"] == "female"


def test_the_window_path_is_told_apart_without_loading_the_commands() -> None:
    from pser_desk.cli import _window_only

    args = _window_only(["--data-dir", "somewhere", "--demo"])
    assert args is not None
    assert args.demo
    assert args.data_dir == "somewhere"
    for argv in (["sync"], ["--help"], ["--version"], ["--data-dir"], ["--demo", "queue"]):
        assert _window_only(argv) is None, argv


def test_a_missing_option_value_is_reported_once(capsys: pytest.CaptureFixture[str]) -> None:
    from pser_desk import cli

    with pytest.raises(SystemExit) as stopped:
        cli.main(["--data-dir"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "pser-desk: error: argument --data-dir: expected one argument"
    ]
