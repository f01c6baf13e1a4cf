"""Store benchmark: with N records (default 100,000) in the database, on SQLite and PostgreSQL.

Measures draft autosave latency (p50/p99), queue counts latency, queuing throughput
(validate + receipt + seal for central + store, one transaction each) and database bytes
per record. Each figure is also given as a ratio to a baseline measured in the same run
on the same database: a bare one-row ``INSERT`` + commit (the cost of durability alone)
for the writes, ``SELECT count(*) FROM records`` for the counts.

    .venv/bin/python -m bench.store_bench [--records N] [--no-postgres]

Results: bench/results/store.json (quoted in docs/performance.md, "## Store").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.store import RecordService, Store
from pser_desk.store.models import RecordRow
from pser_desk.store.sealing import new_submission_id, seal_local
from pser_desk.store.validation import FormValidator
from tests.plugins.store import make_kit

RESULTS = Path(__file__).resolve().parent / "results" / "store.json"


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


VALIDATOR = FormValidator.shipped()
SAMPLES = [
    example_record(n, load_form(), VALIDATOR.geography, datetime.now(UTC).date())
    for n in range(60)
]  # fmt: skip


def sample_record(n: int, sid: str | None = None) -> dict[str, Any]:
    """A sample as the application layer hands it to the store: stamped, a new id."""
    return {**SAMPLES[n % len(SAMPLES)], "submission_id": sid or new_submission_id()}


def fill(store: Store, count: int, public_key: bytes, body_size: int) -> None:
    """*count* realistic rows (real sealed blobs, states spread like a busy centre)."""
    states = ["acknowledged"] * 90 + ["queued"] * 4 + ["draft"] * 3 + ["needs_correction"] * 3
    base = datetime(2026, 1, 1, tzinfo=UTC)
    blobs = [seal_local(sample_record(n), public_key, str(uuid.uuid4())) for n in range(50)]
    body = os.urandom(body_size)  # the size of a real sealed POST body
    batch: list[dict[str, Any]] = []
    for n in range(count):
        at = base + timedelta(seconds=n * 30)
        state = states[n % 100]
        batch.append({
            "submission_id": str(uuid.uuid4()), "form_id": "pser-household", "form_version": "2024.1",
            "state": state, "operator_id": "op1", "created_at": at, "updated_at": at,
            "queued_at": None if state == "draft" else at,
            "receipt_no": None if state == "draft" else f"LHR-0042-{at:%Y%m%d}-{n % 9000 + 1:04d}-{n}",
            "sealed_local": blobs[n % 50], "central_body": None if state == "draft" else body,
            "attempts": 1, "tracking_id": f"PSER-26-{n:09d}" if state == "acknowledged" else None,
            "member_count": 4,
        })  # fmt: skip
        if len(batch) == 5000:
            _insert(store, batch)
            batch = []
    if batch:
        _insert(store, batch)


def _insert(store: Store, rows: list[dict[str, Any]]) -> None:
    with store.write() as session:
        session.execute(insert(RecordRow), rows)


def baseline_commit(store: Store) -> Callable[[], None]:
    with store.write() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS bench_probe (n INTEGER)"))

    def run() -> None:
        with store.write() as session:
            session.execute(text("INSERT INTO bench_probe VALUES (1)"))

    return run


def db_bytes(store: Store) -> int:
    if store.dialect == "sqlite":
        path = store.sqlite_file
        assert path is not None
        store.close()  # the last connection checkpoints the WAL into the file
        return path.stat().st_size
    with store.read() as session:
        return int(session.scalar(text("SELECT pg_database_size(current_database())")) or 0)


def run_backend(url: str, records: int) -> dict[str, Any]:
    store = Store.open(url)
    kit = make_kit(store)
    kit.records = RecordService(store, validator=VALIDATOR, clock=kit.clock)  # the real validator
    manager = kit.add_manager()
    kit.add_operator(manager)
    kit.enrol()
    probe_sid = kit.records.queue(sample_record(0), operator_id="op1").submission_id
    with store.read() as session:
        body_size = len(session.get(RecordRow, probe_sid).central_body or b"")  # type: ignore[union-attr]
    t0 = time.perf_counter()
    fill(store, records, manager.installation_key.public_key().public_bytes_raw(), body_size)
    fill_s = time.perf_counter() - t0
    probe = baseline_commit(store)
    base_write = timed(probe, 300)
    sid = kit.records.save_draft(sample_record(1), operator_id="op1")
    counter = iter(range(10**9))
    autosave = timed(lambda: kit.records.save_draft(
        {**sample_record(1, sid), "answers": {**SAMPLES[1]["answers"], "n": next(counter)}}, operator_id="op1"), 500)  # fmt: skip
    new_draft = timed(
        lambda: kit.records.save_draft(sample_record(next(counter)), operator_id="op1"), 200
    )
    base_count = timed(lambda: _count(store), 50)
    counts = timed(lambda: kit.outbox.counts(), 50)
    n_add = 300
    start = time.perf_counter()
    for n in range(n_add):
        kit.records.queue(sample_record(n), operator_id="op1")
    add_rate = n_add / (time.perf_counter() - start)
    size = db_bytes(store)
    store.close()
    p = lambda xs, q: round(percentile(xs, q), 3)  # noqa: E731
    return {
        "records": records, "fill_seconds": round(fill_s, 1),
        "baseline_commit_ms": {"p50": p(base_write, 50), "p99": p(base_write, 99)},
        "autosave_update_ms": {"p50": p(autosave, 50), "p99": p(autosave, 99)},
        "autosave_new_draft_ms": {"p50": p(new_draft, 50), "p99": p(new_draft, 99)},
        "autosave_p99_over_baseline": round(percentile(autosave, 99) / percentile(base_write, 99), 2),
        "baseline_count_ms": {"p50": p(base_count, 50)},
        "queue_counts_ms": {"p50": p(counts, 50), "p99": p(counts, 99)},
        "queue_counts_over_baseline": round(statistics.median(counts) / statistics.median(base_count), 2),
        "record_add_per_second": round(add_rate, 1),
        "record_add_ms_mean": round(1000 / add_rate, 2),
        "record_add_over_baseline_commit": round((1000 / add_rate) / statistics.median(base_write), 2),
        "central_body_bytes": body_size, "database_bytes": size, "bytes_per_record": round(size / (records + 500 + n_add)),
    }  # fmt: skip


def _count(store: Store) -> None:
    with store.read() as session:
        session.scalar(text("SELECT count(*) FROM records"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pser-bench-"))
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                               "date": datetime.now(UTC).strftime("%Y-%m-%d")}  # fmt: skip
    try:
        results["sqlite"] = run_backend(f"sqlite:///{work / 'pser.db'}", args.records)
        print(json.dumps({"sqlite": results["sqlite"]}, indent=1))
        if not args.no_postgres:
            results["postgresql"] = _run_postgres(work, args.records)
            print(json.dumps({"postgresql": results["postgresql"]}, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


def _run_postgres(work: Path, records: int) -> dict[str, Any]:
    from tests.plugins.postgres import _start, _stop

    root = Path(tempfile.mkdtemp(prefix="pser-bench-pg-"))
    os.chmod(root, 0o755)
    server = _start(root)
    try:
        server.execute("CREATE DATABASE bench")
        return run_backend(server.url("bench"), records)
    finally:
        _stop(server)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
