"""A centre's headless day, run against a packaged desk: the installed wheel
(test_wheel.py) or the frozen Windows build under Wine (windows/test_frozen.py).

First manager (an Urdu name, printed back through a pipe), an operator, enrolment with a
reference central service on 127.0.0.1, five households with ``record add`` (files and
stdin, one head named in Urdu), ``sync --until-empty``, ``slip``, ``verify-slip``,
``backup``, ``audit verify``: each step checked, then central's own database: each
household there exactly once, the Urdu name intact.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pser_desk import paths
from pser_desk.central.server import CentralServer
from pser_desk.central.service import CentralService
from tests.plugins.cli import CliResult

CENTRE = "LHR-0042"
MANAGER = ("mgr1", "مریم خان", "manager-pass-2024")  # id, name (Urdu), password
OPERATOR = ("op1", "Operator One", "operator-pass-2024")
URDU_HEAD = "حسن علی نیازی"
HOUSEHOLDS = 5


class Desk(Protocol):
    """Runs ``pser-desk ARGS`` of one packaged copy on one data folder."""

    def __call__(self, *args: str, stdin: str = "") -> CliResult: ...

    def path(self, path: Path) -> str:
        """*path* as the packaged desk names it (``Z:\\...`` under Wine)."""
        ...


@dataclass
class Central:
    url: str
    service: CentralService

    def new_token(self) -> str:
        return self.service.new_token(CENTRE)

    def records(self) -> list[tuple[str, dict[str, Any]]]:
        """(submission_id, decrypted record) of every household central holds."""
        rows = self.service.db.query("SELECT submission_id, record FROM submissions")
        return [(sid, json.loads(bytes(record).decode("utf-8"))) for sid, record in rows]


@contextmanager
def reference_central(state_dir: Path) -> Iterator[Central]:
    """The reference service on 127.0.0.1 (a thread) with the shipped form definitions."""
    service = CentralService(state_dir, forms_dir=paths.forms_dir())
    server = CentralServer(service, "127.0.0.1", 0).start()
    try:
        yield Central(server.url, service)
    finally:
        server.stop()


def ok(desk: Desk, *args: str, stdin: str = "") -> str:
    result = desk(*args, stdin=stdin)
    assert result.code == 0, f"pser-desk {' '.join(args[:2])}: {result.out}{result.err}"
    assert "Traceback" not in result.err
    return result.out


def _households(desk: Desk) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    heads: set[str] = set()
    seed = 40
    while len(records) < HOUSEHOLDS:
        seed += 1
        record = json.loads(ok(desk, "record", "example", "--seed", str(seed)))
        if record["head"]["cnic"] not in heads:
            heads.add(record["head"]["cnic"])
            records.append(record)
    records[0]["head"]["name"] = URDU_HEAD
    return records


def run_headless_flow(desk: Desk, central: Central, work: Path) -> list[str]:
    """The whole day; returns the receipt numbers. Fails at the first step that goes wrong."""
    manager_id, manager_name, manager_pw = MANAGER
    operator_id, operator_name, operator_pw = OPERATOR
    added = ok(desk, "operator", "add", manager_id, "--name", manager_name, "--role", "manager",
               stdin=f"{manager_pw}\n{manager_pw}\n")  # fmt: skip
    assert json.loads(added) == {"id": manager_id, "role": "manager", "added": True}
    ok(desk, "operator", "add", operator_id, "--name", operator_name, "--role", "operator",
       "--as", manager_id, stdin=f"{manager_pw}\n{operator_pw}\n{operator_pw}\n")  # fmt: skip
    listed = [json.loads(line) for line in ok(desk, "operator", "list", "--json").splitlines()]
    assert {o["id"]: o["name"] for o in listed} == {
        manager_id: manager_name,
        operator_id: operator_name,
    }

    enrolled = json.loads(ok(desk, "enroll", "--central", central.url, "--centre", CENTRE,
                             "--token", central.new_token()))  # fmt: skip
    assert enrolled["centre"]["code"] == CENTRE

    receipts, submissions = [], []
    for index, record in enumerate(_households(desk)):
        text = json.dumps(record, ensure_ascii=False)
        if index % 2:  # the record on stdin after the password
            out = ok(desk, "record", "add", "-", "--operator", operator_id,
                     stdin=f"{operator_pw}\n{text}")  # fmt: skip
        else:
            file = work / f"household-{index}.json"
            file.write_text(text, encoding="utf-8")
            out = ok(desk, "record", "add", desk.path(file), "--operator", operator_id,
                     stdin=f"{operator_pw}\n")  # fmt: skip
        queued = json.loads(out)
        assert queued["state"] == "queued", queued
        receipts.append(queued["receipt_no"])
        submissions.append(record["submission_id"])
    assert json.loads(ok(desk, "queue", "--json"))["counts"].get("queued") == HOUSEHOLDS

    synced = json.loads(ok(desk, "sync", "--until-empty", "--timeout", "180"))
    assert synced["unsent"] == 0, synced
    states = [json.loads(line) for line in ok(desk, "record", "list", "--json").splitlines()]
    assert sorted(r["submission_id"] for r in states) == sorted(submissions)
    assert {r["state"] for r in states} == {"acknowledged"}, states
    held = central.records()
    assert sorted(sid for sid, _ in held) == sorted(submissions)  # each household once
    heads = {record["submission_id"]: record["head"]["name"] for _, record in held}
    assert heads[submissions[0]] == URDU_HEAD  # Urdu went through files and pipes intact

    slip = work / "slip.pdf"
    ok(desk, "slip", receipts[0], "--out", desk.path(slip), "--operator", operator_id,
       stdin=f"{operator_pw}\n")  # fmt: skip
    assert slip.read_bytes().startswith(b"%PDF-")
    verdict = json.loads(ok(desk, "verify-slip", desk.path(slip), "--json"))
    assert verdict["result"] == "genuine", verdict
    assert verdict["slip"]["receipt_no"] == receipts[0]

    backup = work / "backup.db"
    assert json.loads(ok(desk, "backup", "--out", desk.path(backup)))["bytes"] > 0
    with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM records").fetchone() == (HOUSEHOLDS,)
    audit = json.loads(ok(desk, "audit", "verify", "--json"))
    assert audit["ok"] is True, audit
    assert audit["entries"] > HOUSEHOLDS, audit
    return receipts
