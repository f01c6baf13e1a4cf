"""``pser-desk slip``, ``verify-slip`` and ``report daily`` against a real SQLite store."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from pser_desk.domain.records import FieldProblem
from pser_desk.security.device import DeviceKey
from pser_desk.security.envelope import b64u_encode
from pser_desk.store import Store
from pser_desk.store.models import AuditRow, RecordRow
from tests.plugins.store import MANAGER_PASSWORD, StoreKit, make_kit, sample_record


@pytest.fixture
def kit(data_dir: Path) -> Iterator[StoreKit]:
    store = Store.open(None, data_dir=data_dir)
    try:
        yield make_kit(store)
    finally:
        store.close()


@pytest.fixture
def device_key(data_dir: Path) -> DeviceKey:
    key = DeviceKey.generate()
    key.save(data_dir)
    return key


@pytest.fixture
def receipt(kit: StoreKit, device_key: DeviceKey) -> str:
    manager = kit.add_manager()
    kit.enrol()
    return kit.records.queue(sample_record(3), operator_id=manager.operator_id).receipt_no


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                          timeout=60).stdout.decode()  # fmt: skip


def test_slip_then_reprint_verify_and_audit(
    run_cli, receipt: str, kit: StoreKit, tmp_path: Path
) -> None:
    out = tmp_path / "slip.pdf"
    first = run_cli("slip", receipt, "--out", str(out), "--operator", "mgr1", "--json",
                    stdin=MANAGER_PASSWORD + "\n")  # fmt: skip
    assert first.code == 0, first.err
    assert json.loads(first.out)["reprint"] is False
    text = pdf_text(out)
    assert receipt in text
    assert "35202-XXXXXXX-1" in text
    assert "3520200003" not in text.replace("-", "")  # the head's full CNIC: 3520200003041
    assert "REPRINT" not in text
    checked = run_cli("verify-slip", str(out), "--json")
    assert checked.code == 0, checked.err
    info = json.loads(checked.out)
    assert info["result"] == "genuine"
    assert info["read_from"] == "qr"
    assert info["key"] == "this PC's device key"
    assert info["slip"]["receipt_no"] == receipt
    again = tmp_path / "again.pdf"
    second = run_cli("slip", receipt, "--out", str(again), "--operator", "mgr1", "--paper", "80mm",
                     stdin=MANAGER_PASSWORD + "\n")  # fmt: skip
    assert second.code == 0, second.err
    assert "reprint" in second.out
    assert "REPRINT" in pdf_text(again)
    with kit.store.read() as session:
        events = session.scalars(select(AuditRow.event).where(AuditRow.event.like("slip%"))).all()
    assert events == ["slip_printed", "slip_reprinted"]


def test_verify_with_the_cnic_and_with_a_foreign_key(run_cli, receipt: str, tmp_path: Path) -> None:
    out = tmp_path / "slip.pdf"
    assert run_cli("slip", receipt, "--out", str(out), "--operator", "mgr1",
                   stdin=MANAGER_PASSWORD + "\n").code == 0  # fmt: skip
    head_cnic = sample_record(3)["head"]["cnic"]
    fits = run_cli("verify-slip", str(out), "--cnic", head_cnic, "--json")
    assert fits.code == 0
    assert json.loads(fits.out)["cnic_matches"] is True
    wrong = run_cli("verify-slip", str(out), "--cnic", "3520299999991")
    assert wrong.code == 1
    assert "does NOT fit" in wrong.out
    other = b64u_encode(DeviceKey.generate().public_raw())
    forged = run_cli("verify-slip", str(out), f"--device-key={other}")  # b64u may start with -
    assert forged.code == 1
    assert forged.out.startswith("FORGED: bad_signature")


def test_verify_slip_unreadable_inputs_exit_2(
    run_cli, device_key: DeviceKey, tmp_path: Path
) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text("nothing here")
    for source in (str(blank), "no-such-file.pdf"):
        result = run_cli("verify-slip", source)
        assert result.code == 2
        assert len(result.err.strip().splitlines()) == 1
    assert run_cli("verify-slip", "PSER1.AAAA.BBBB").code == 1  # a token that is not genuine


def test_slip_refuses_bad_input(run_cli, receipt: str, tmp_path: Path) -> None:
    out = str(tmp_path / "s.pdf")
    cases = [
        (("slip", "not-a-receipt", "--out", out, "--operator", "mgr1"), MANAGER_PASSWORD),
        (
            ("slip", receipt, "--out", str(tmp_path / "s.txt"), "--operator", "mgr1"),
            MANAGER_PASSWORD,
        ),
        (("slip", receipt, "--out", out, "--operator", "mgr1"), "wrong-password"),
        (("slip", "LHR-0042-20261124-0999", "--out", out, "--operator", "mgr1"), MANAGER_PASSWORD),
    ]
    for args, password in cases:
        result = run_cli(*args, stdin=password + "\n")
        assert result.code != 0, args
        assert len(result.err.strip().splitlines()) == 1, result.err
    assert not Path(out).exists()


def _states(kit: StoreKit) -> None:
    """Eight records by two operators, in every state the report counts."""
    manager = kit.add_manager()
    kit.add_operator(manager, "op1")
    kit.enrol()
    sids = []
    for seed in range(8):
        operator = "op1" if seed % 2 else "mgr1"
        sids.append(kit.records.queue(sample_record(seed), operator_id=operator).submission_id)
        kit.clock.advance(minutes=50)
    kit.records.save_draft(sample_record(99), operator_id="op1")
    claimed = [item.submission_id for item in kit.outbox.claim_due(6)]
    kit.outbox.mark_acknowledged(claimed[0], "PSER-26-000000001")
    kit.outbox.mark_acknowledged(claimed[1], "PSER-26-000000002")
    kit.outbox.mark_acknowledged(claimed[2], "PSER-26-000000003")
    kit.outbox.mark_needs_correction(claimed[3], [FieldProblem("head.name", "x")])
    kit.outbox.mark_duplicate(claimed[4], "PSER-26-000000009", None)


def test_report_figures_equal_the_database(
    run_cli, kit: StoreKit, device_key: DeviceKey, tmp_path: Path
) -> None:
    _states(kit)
    out = tmp_path / "day.csv"
    result = run_cli("report", "daily", "--date", "2026-11-24", "--out", str(out), "--json")
    assert result.code == 0, result.err
    with kit.store.read() as session:
        rows = session.execute(select(RecordRow.operator_id, RecordRow.state,
                                      RecordRow.receipt_no)).all()  # fmt: skip
    started = Counter(op for op, _, _ in rows)
    queued = Counter(op for op, _, receipt in rows if receipt)
    acked = Counter(op for op, state, _ in rows if state == "acknowledged")
    sections: dict[str, list[list[str]]] = {}
    for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))):
        if row and row[0] != "section":
            sections.setdefault(row[0], []).append(row[1:])
    operators = {r[0]: [int(v) for v in r[1:]] for r in sections["operators"]}
    for op in ("mgr1", "op1"):
        assert operators[op][:3] == [started[op], queued[op], acked[op]]
    assert operators["TOTAL"] == [9, 8, 3, 1, 1]
    pending = {r[0] for r in sections["not_acknowledged"]}
    assert pending == {receipt for _, state, receipt in rows if receipt and state != "acknowledged"}
    summary = json.loads(result.out)
    assert summary["queued"] == 8
    assert summary["unsent"] == 3  # one sending, two queued
    pdf = tmp_path / "week.pdf"
    week = run_cli("report", "daily", "--date", "2026-11-24", "--range", "week", "--out", str(pdf))
    assert week.code == 0, week.err
    assert "18 November 2026 to 24 November 2026" in pdf_text(pdf)


@pytest.mark.parametrize(
    "args",
    [
        ("--date", "24/11/2026", "--out", "x.pdf"),
        ("--date", "2026-11-24", "--to", "2026-11-01", "--out", "x.pdf"),
        ("--out", "x.docx"),
    ],
)
def test_report_refuses_bad_input(run_cli, args: tuple[str, ...]) -> None:
    result = run_cli("report", "daily", *args)
    assert result.code != 0
    assert len(result.err.strip().splitlines()) == 1
