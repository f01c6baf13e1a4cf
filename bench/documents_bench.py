"""Slips and reports: how long they take, against an empty reportlab page measured in the same run.

Run: ``.venv/bin/python -m bench.documents_bench`` (writes bench/results/documents.json).
Targets (issue 7): a slip PDF in at most 100 ms; the report over 10,000 records in 2 s
and over 100,000 records in 10 s. The report's records are synthetic facts built the way
the store query hands them over (one RecordFacts per row), then aggregated and rendered;
the same records are also put in a real SQLite store and read back by ``load_report``.
``total_s`` = SQLite query with aggregation + PDF rendering.
"""

from __future__ import annotations

import io
import json
import platform
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from reportlab.pdfgen.canvas import Canvas

from pser_desk.documents.fonts import register_fonts
from pser_desk.documents.report import render_report_csv, render_report_pdf
from pser_desk.documents.report_model import RecordFacts, build_report
from pser_desk.documents.slip import SlipData, render_slip
from pser_desk.documents.slip_token import issue_token

RESULTS = Path(__file__).resolve().parent / "results" / "documents.json"
DAY = date(2026, 11, 24)
STATES = ["acknowledged"] * 16 + ["queued", "sending", "needs_correction", "duplicate"]


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of *repeat* runs."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def empty_page() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 72, "baseline")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def slip_inputs() -> tuple[SlipData, str]:
    sid = "0193a3c2-7d1e-7a51-9d1e-3c1f2b9a4e10"
    data = SlipData("LHR-0042-20261124-0017", sid, datetime(2026, 11, 24, 9, 15, tzinfo=UTC),
                    "LHR-0042", "Govt Boys High School, Model Town", "op_17", "Zarqoon Aslam Khan",
                    "35202-XXXXXXX-1", 6, "PSER-26-000123456")  # fmt: skip
    token = issue_token(Ed25519PrivateKey.generate(), receipt_no=data.receipt_no, submission_id=sid,
                        cnic_digits="3520212345671", issued_at=data.created_at, device_id="dev_1")  # fmt: skip
    return data, token


def synthetic_facts(n: int, days: int) -> list[RecordFacts]:
    """*n* records over *days* days ending on DAY, 10 operators, 80 % acknowledged."""
    rnd = random.Random(n)
    first = datetime(2026, 11, 24, 3, 0, tzinfo=UTC) - timedelta(days=days - 1)
    facts = []
    for i in range(n):
        created = first + timedelta(days=rnd.randrange(days), seconds=rnd.randrange(11 * 3600))
        queued = created + timedelta(minutes=rnd.randint(3, 15))
        state = rnd.choice(STATES)
        ack = queued + timedelta(minutes=rnd.randint(1, 90)) if state == "acknowledged" else None
        facts.append(RecordFacts(f"op_{i % 10:02d}", state, created, queued,
                                 f"LHR-0042-{queued:%Y%m%d}-{i + 1:06d}", ack))  # fmt: skip
    return facts


def report_seconds(n: int, days: int) -> dict[str, float]:
    facts = synthetic_facts(n, days)
    start = DAY - timedelta(days=days - 1)

    def build() -> object:
        return build_report(facts, start=start, end=DAY, centre_code="LHR-0042",
                            centre_name="Bench Centre", generated_at=datetime.now(UTC))  # fmt: skip

    data = build_report(facts, start=start, end=DAY, centre_code="LHR-0042",
                        centre_name="Bench Centre", generated_at=datetime.now(UTC))  # fmt: skip
    pdf = render_report_pdf(data)
    return {
        "aggregate_s": timed(build, 3),
        "pdf_s": timed(lambda: render_report_pdf(data), 3),
        "csv_s": timed(lambda: render_report_csv(data), 3),
        "not_acknowledged": len(data.not_acknowledged),
        "pdf_bytes": len(pdf),
    }


def _fill_store(services: object, facts: list[RecordFacts]) -> None:
    from sqlalchemy import insert

    from pser_desk.store.models import OperatorRow, RecordRow

    now = datetime.now(UTC)
    store = services.store  # type: ignore[attr-defined]
    with store.write() as session:
        ops = sorted({f.operator_id for f in facts})
        session.execute(insert(OperatorRow), [dict(id=o, name="Bench", role="operator",
                        password_hash="x", disabled=False, failed_logins=0, created_at=now)
                        for o in ops])  # fmt: skip
        rows = [dict(submission_id=f"00000000-0000-4000-8000-{i:012d}", form_id="pser-household",
                     form_version="2024.1", state=f.state, operator_id=f.operator_id,
                     created_at=f.created_at, updated_at=f.created_at, queued_at=f.queued_at,
                     receipt_no=f.receipt_no, sealed_local=b"x", attempts=0,
                     acknowledged_at=f.acknowledged_at) for i, f in enumerate(facts)]  # fmt: skip
        session.execute(insert(RecordRow), rows)


def query_seconds(n: int, days: int) -> float:
    """load_report on a real SQLite store holding *n* records (query, aggregation)."""
    import tempfile

    from pser_desk.documents.report_query import load_report
    from pser_desk.store import StoreService

    with tempfile.TemporaryDirectory() as folder:
        services = StoreService.open(None, Path(folder))
        try:
            _fill_store(services, synthetic_facts(n, days))
            start = DAY - timedelta(days=days - 1)
            return timed(lambda: load_report(services, start, DAY), 3)
        finally:
            services.close()


def main() -> None:
    started = time.perf_counter()
    register_fonts()
    cold_fonts_s = time.perf_counter() - started
    baseline = timed(empty_page, 30)
    data, token = slip_inputs()
    render_slip(data, "a4", token)  # warm the shaping cache, as a running app has
    slips = {
        paper: timed(lambda p=paper: render_slip(data, p, token), 20) for paper in ("a4", "80mm")
    }
    reports = {"10000_records_1_day": report_seconds(10_000, 1),
               "100000_records_30_days": report_seconds(100_000, 30)}  # fmt: skip
    queries = {"10000_records_1_day": query_seconds(10_000, 1),
               "100000_records_30_days": query_seconds(100_000, 30)}  # fmt: skip
    for name, figures in reports.items():
        figures["sqlite_query_and_aggregate_s"] = queries[name]
        figures["total_s"] = queries[name] + figures["pdf_s"]
        figures["ratio_to_baseline"] = figures["total_s"] / baseline
    result = {
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
        "baseline_empty_page_s": baseline,
        "font_registration_cold_s": cold_fonts_s,
        "slip_s": slips,
        "slip_ratio_to_baseline": {p: s / baseline for p, s in slips.items()},
        "report": reports,
        "targets": {"slip_s": 0.1, "report_10000_s": 2.0, "report_100000_s": 10.0},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
