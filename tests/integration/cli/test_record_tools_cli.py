"""``pser-desk record example`` and ``pser-desk validate``: exit codes and JSON lines."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.plugins.cli import RunCli, cli_command

TODAY = "2026-11-24"


def test_example_piped_into_validate_for_many_seeds(run_cli: RunCli) -> None:
    for seed in range(50):
        example = run_cli("record", "example", "--seed", str(seed))
        assert example.code == 0, example.err
        record = json.loads(example.out)
        assert record["form_id"] == "pser-household"
        checked = run_cli("validate", "-", stdin=example.out)
        assert (checked.code, checked.out, checked.err) == (0, "", ""), seed


def test_example_output_is_indented_urdu_safe_and_deterministic(run_cli: RunCli) -> None:
    first = run_cli("record", "example", "--seed", "5")
    assert first.out == run_cli("record", "example", "--seed", "5").out
    assert first.out != run_cli("record", "example", "--seed", "6").out
    assert first.out.startswith('{\n  "submission_id"')
    assert run_cli("record", "example").code == 0


def test_a_real_pipe_between_two_processes(data_dir: Path) -> None:
    env_args = ["--data-dir", str(data_dir)]
    producer = subprocess.run(
        cli_command(*env_args, "record", "example", "--seed", "17"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert producer.returncode == 0, producer.stderr
    consumer = subprocess.run(
        cli_command(*env_args, "validate", "-"),
        input=producer.stdout,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (consumer.returncode, consumer.stdout, consumer.stderr) == (0, "", "")


def _broken(run_cli: RunCli) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(run_cli("record", "example", "--seed", "3").out)
    record["head"]["cnic"] = "35202-123"
    record["head"]["monthly_income"] = -10
    record["address"].update(
        current_division="LHR", current_district="LHR-KSR", current_tehsil="MUL-MUL-01"
    )
    return record


def test_an_invalid_record_prints_one_json_line_per_error(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(_broken(run_cli), ensure_ascii=False), encoding="utf-8")
    result = run_cli("validate", str(path), "--today", TODAY)
    assert result.code == 1
    issues = [json.loads(line) for line in result.lines]
    assert {(i["path"], i["code"]) for i in issues} == {
        ("head.cnic", "cnic.wrong_length"),
        ("head.monthly_income", "negative"),
        ("address.current_tehsil", "tehsil_not_in_district"),
    }
    assert all(set(i) == {"path", "code", "message_key"} for i in issues)
    assert "35202" not in result.out + result.err  # no personal data echoed


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("validate", "-"), "not json {", "not valid JSON"),
        (("validate", "/nonexistent/record.json"), "", "no such file"),
        (("validate", "-"), "", "not valid JSON"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(
    run_cli: RunCli, args: tuple[str, ...], stdin: str, message: str
) -> None:
    result = run_cli(*args, stdin=stdin)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert message in result.err


def test_valid_json_that_is_no_record_exits_1(run_cli: RunCli) -> None:
    result = run_cli("validate", "-", stdin="[1, 2]")
    assert result.code == 1
    assert [json.loads(line) for line in result.lines] == [
        {"path": "", "code": "type", "message_key": "validation.type"}
    ]


def test_bad_arguments_exit_2(run_cli: RunCli) -> None:
    assert run_cli("record", "example", "--seed", "many").code == 2
    assert run_cli("validate").code == 2
