"""``pser-desk forms update | list`` against the real reference central service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pser_desk.central.keys import SIGNING_FILE
from tests.integration.sync.test_forms import FORM_ID, Central, definition_2024_2, start_central
from tests.plugins.cli import RunCli


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    handle = start_central(tmp_path / "central")
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def enrolled_pc(run_cli: RunCli, central: Central) -> RunCli:
    token = central.service.new_token("LHR-0042")
    result = run_cli("enroll", "--central", central.url, "--centre", "LHR-0042",
                     "--token", token, "--name", "Counter 3")  # fmt: skip
    assert result.code == 0, result.err
    return run_cli


def _publish(run_cli: RunCli, central: Central, tmp_path: Path) -> None:
    path = tmp_path / "pser-household-2024.2.json"
    path.write_text(json.dumps(definition_2024_2(), ensure_ascii=False), encoding="utf-8")
    published = run_cli("central", "form", "publish", str(path), "--state", str(central.state_dir))
    assert published.code == 0, published.err


def test_update_keeps_the_new_version_and_list_shows_it_current(
    enrolled_pc: RunCli, central: Central, tmp_path: Path
) -> None:
    before = enrolled_pc("forms", "list", "--json")
    assert [(f["version"], f["source"], f["current"]) for f in json.loads(before.out)] == [
        ("2024.1", "shipped", True)
    ]
    _publish(enrolled_pc, central, tmp_path)

    update = enrolled_pc("forms", "update", "--json")

    assert update.code == 0, update.err
    [form] = json.loads(update.out)["forms"]
    assert (form["form_id"], form["version"], form["status"], form["current"]) == (
        FORM_ID, "2024.2", "new", "2024.2",
    )  # fmt: skip
    listed = json.loads(enrolled_pc("forms", "list", "--json").out)
    assert [(f["version"], f["source"], f["current"]) for f in listed] == [
        ("2024.1", "shipped", False), ("2024.2", "central", True),
    ]  # fmt: skip
    again = enrolled_pc("forms", "update")
    assert again.code == 0
    assert again.lines == [
        f"{FORM_ID} 2024.2 (published {form['published_at']}): already on this PC; "
        "new records use 2024.2"
    ]
    human = enrolled_pc("forms", "list")
    assert human.lines == [
        f"  {FORM_ID} 2024.1     shipped  0 record(s)",
        f"* {FORM_ID} 2024.2     central  0 record(s)",
    ]


def test_a_bad_signature_is_refused_with_one_line_and_nothing_is_kept(
    enrolled_pc: RunCli, central: Central, tmp_path: Path
) -> None:
    _publish(enrolled_pc, central, tmp_path)
    (central.state_dir / SIGNING_FILE).unlink()
    impostor = central.restart()
    try:
        refused = enrolled_pc("forms", "update", "--json")
    finally:
        impostor.stop()

    assert refused.code == 1
    assert refused.out == ""
    [line] = refused.err.strip().splitlines()
    assert "signature does not verify" in line
    assert "nothing was stored" in line
    listed = json.loads(enrolled_pc("forms", "list", "--json").out)
    assert [(f["version"], f["current"]) for f in listed] == [("2024.1", True)]


def test_update_on_a_pc_not_enrolled_says_what_to_do(run_cli: RunCli) -> None:
    result = run_cli("forms", "update")
    assert result.code == 1
    assert "not enrolled" in result.err
    assert "pser-desk enroll" in result.err


def test_update_when_central_is_down_says_try_again(enrolled_pc: RunCli, central: Central) -> None:
    central.stop()
    result = enrolled_pc("forms", "update")
    assert result.code == 1
    assert "try again when central can be reached" in result.err
