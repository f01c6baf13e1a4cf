"""The report: figures equal the counts of the facts given; PDF text and CSV carry them."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from pser_desk.documents.report import render_report_csv, render_report_pdf
from pser_desk.documents.report_model import RecordFacts, ReportData, build_report

DAY = date(2026, 11, 24)
# 09:00 PKT on DAY is 04:00 UTC.
MORNING = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)


def fact(op: str, state: str, queued_hour_pkt: int | None, *, created_days_ago: int = 0,
         n: int = 1, ack: datetime | None = None) -> RecordFacts:  # fmt: skip
    created = MORNING - timedelta(days=created_days_ago)
    queued = None
    if queued_hour_pkt is not None:
        queued = datetime(2026, 11, 24, queued_hour_pkt, 30, tzinfo=UTC) - timedelta(hours=5)
    receipt = f"LHR-0042-20261124-{n:04d}" if queued else None
    return RecordFacts(op, state, created, queued, receipt, ack)


def sample_facts() -> list[RecordFacts]:
    ack_time = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    return [
        fact("op_a", "acknowledged", 9, n=1, ack=ack_time),
        fact("op_a", "acknowledged", 9, n=2, ack=ack_time - timedelta(hours=1)),
        fact("op_a", "queued", 10, n=3),
        fact("op_a", "draft", None),
        fact("op_b", "needs_correction", 10, n=4),
        fact("op_b", "duplicate", 15, n=5),
        fact("op_b", "sending", 23, n=6),
        # started yesterday, queued today: queued today, not started today
        fact("op_b", "acknowledged", 0, created_days_ago=1, n=7, ack=ack_time),
        # an old unsent record from last week: only in the queue health
        RecordFacts(
            "op_c",
            "queued",
            MORNING - timedelta(days=7),
            MORNING - timedelta(days=7),
            "LHR-0042-20261117-0001",
        ),  # fmt: skip
    ]


@pytest.fixture
def report() -> ReportData:
    return build_report(sample_facts(), start=DAY, end=DAY, centre_code="LHR-0042",
                        centre_name="Test Centre", generated_at=MORNING)  # fmt: skip


def test_per_operator_counts(report: ReportData) -> None:
    lines = {line.operator_id: line for line in report.operators}
    a, b = lines["op_a"], lines["op_b"]
    assert (a.started, a.queued, a.acknowledged, a.needs_correction, a.duplicates) == (
        4,
        3,
        2,
        0,
        0,
    )
    assert (b.started, b.queued, b.acknowledged, b.needs_correction, b.duplicates) == (
        3,
        4,
        1,
        1,
        1,
    )
    assert "op_c" not in lines
    assert report.totals.queued == 7


def test_hours_are_pakistan_time(report: ReportData) -> None:
    assert report.by_hour[9] == 2
    assert report.by_hour[10] == 2
    assert report.by_hour[15] == 1
    assert report.by_hour[23] == 1
    assert report.by_hour[0] == 1
    assert sum(report.by_hour) == report.queued_total == 7


def test_queue_health_and_reconciliation(report: ReportData) -> None:
    assert report.queue.unsent == 3  # two of today (queued, sending) and last week's
    assert report.queue.oldest_unsent_at == MORNING - timedelta(days=7)
    assert report.queue.last_sync_at == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert report.acknowledged_total == 3
    pending = {(p.receipt_no, p.state) for p in report.not_acknowledged}
    assert pending == {
        ("LHR-0042-20261124-0003", "queued"), ("LHR-0042-20261124-0004", "needs_correction"),
        ("LHR-0042-20261124-0005", "duplicate"), ("LHR-0042-20261124-0006", "sending"),
    }  # fmt: skip


def test_a_week_takes_in_last_weeks_record() -> None:
    week = build_report(sample_facts(), start=DAY - timedelta(days=7), end=DAY,
                        centre_code="LHR-0042", centre_name="", generated_at=MORNING)  # fmt: skip
    assert week.queued_total == 8
    assert not week.single_day


def test_a_later_sync_given_by_the_store_wins() -> None:
    later = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    data = build_report(sample_facts(), start=DAY, end=DAY, centre_code="X", centre_name="",
                        generated_at=MORNING, last_sync_at=later)  # fmt: skip
    assert data.queue.last_sync_at == later


def test_end_before_start_is_refused() -> None:
    with pytest.raises(ValueError, match="before"):
        build_report([], start=DAY, end=DAY - timedelta(days=1), centre_code="X",
                     centre_name="", generated_at=MORNING)  # fmt: skip


def csv_sections(data: bytes) -> dict[str, list[list[str]]]:
    text = data.decode("utf-8-sig")
    sections: dict[str, list[list[str]]] = {}
    for row in csv.reader(io.StringIO(text)):
        if row and row[0] != "section":
            sections.setdefault(row[0], []).append(row[1:])
    return sections


def test_csv_carries_every_figure(report: ReportData) -> None:
    sections = csv_sections(render_report_csv(report))
    operators = {row[0]: [int(v) for v in row[1:]] for row in sections["operators"]}
    assert operators["op_a"] == [4, 3, 2, 0, 0]
    assert operators["TOTAL"] == [7, 7, 3, 1, 1]
    assert sum(int(n) for _, n in sections["by_hour"]) == 7
    queue = dict((k, v) for k, v in sections["queue"])
    assert queue["unsent"] == "3"
    assert queue["acknowledged_in_period"] == "3"
    assert queue["oldest_unsent_at"] == "2026-11-17T04:00:00Z"
    assert len(sections["not_acknowledged"]) == 4


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, timeout=60)  # fmt: skip
    return done.stdout.decode()


def test_pdf_shows_the_figures(report: ReportData, tmp_path: Path) -> None:
    text = pdf_text(render_report_pdf(report), tmp_path)
    assert "Daily report: LHR-0042 Test Centre" in text
    assert "Tuesday 24 November 2026" in text
    op_a = next(line for line in text.splitlines() if line.strip().startswith("op_a"))
    assert op_a.split() == ["op_a", "4", "3", "2", "0", "0"]
    total = next(line for line in text.splitlines() if line.strip().startswith("TOTAL"))
    assert total.split() == ["TOTAL", "7", "7", "3", "1", "1"]
    for receipt in ("LHR-0042-20261124-0003", "LHR-0042-20261124-0006"):
        assert receipt in text
    assert "LHR-0042-20261124-0001" not in text  # acknowledged: not in the list
    assert "Centre manager: name, signature and date" in text
    assert "2026-11-17 09:00 PKT" in text  # oldest unsent


def test_a_long_list_flows_over_pages(tmp_path: Path) -> None:
    facts = [fact("op_a", "queued", 10, n=i) for i in range(1, 3001)]
    data = build_report(facts, start=DAY, end=DAY, centre_code="LHR-0042", centre_name="",
                        generated_at=MORNING)  # fmt: skip
    text = pdf_text(render_report_pdf(data), tmp_path)
    assert text.count("\f") > 5
    assert all(f"LHR-0042-20261124-{i:04d}" in text for i in (1, 1500, 3000))
    assert text.count("LHR-0042-20261124-") == 3000
