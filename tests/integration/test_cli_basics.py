from __future__ import annotations

import json

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
