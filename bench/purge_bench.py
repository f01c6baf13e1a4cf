"""Retention benchmark: what removing a verified household's personal data costs
(central-api.md section 10; issue 16), on SQLite and PostgreSQL.

N households (default 5,000), all verified 40 days ago, real-sized sealed blobs (the
local copy and the body for central of a real sample record). On a fresh copy of the same
database each time, per household, in the same run:

N more households (default 8,000) wait for their verdict and stay: a VACUUM rewrites them
too, ``secure_delete`` touches only what is freed.

SQLite
- **shipped**: the whole purge as the desk does it (``store.Verdicts.purge_due``: rows
  read in batches of 500, one audit entry each, ``secure_delete`` on every connection, the
  WAL checkpointed with ``TRUNCATE``);
- the policy alone, one UPDATE of every due row then a ``TRUNCATE`` checkpoint:
  **secure_delete** (on), **vacuum** (off, then ``VACUUM``: the whole file rewritten),
  **plain** (off; the baseline: the blobs' bytes stay in the free pages). The raw file and
  WAL are searched for each (``bytes_left``: probes of purged local copies still there).
- The price of ``secure_delete`` on everyday writes: a draft's autosave (an UPDATE of its
  sealed copy), with it on and off, p50 and p99.

PostgreSQL
- **shipped**: the UPDATE then ``VACUUM FULL records``; **vacuum**: plain ``VACUUM``;
  **plain**: the UPDATE alone.

    .venv/bin/python -m bench.purge_bench [--households N] [--no-postgres]

Results: bench/results/purge.json (quoted in docs/performance.md, "## Retention").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from bench.store_bench import SAMPLES, VALIDATOR, percentile, sample_record
from pser_desk.store import RecordService, Store
from pser_desk.store.models import RecordRow
from pser_desk.store.sealing import seal_local
from pser_desk.store.verdicts import Verdicts
from tests.plugins.store import make_kit

RESULTS = Path(__file__).resolve().parent / "results" / "purge.json"
RETENTION_DAYS = 30


def fill(store: Store, count: int, kept: int = 0) -> list[bytes]:
    """*count* verified households, decided 40 days ago, and *kept* more still waiting for
    central's verdict (not purged: the rest of a centre's database); returns 32-byte
    probes of the purged ones' local copies."""
    kit = make_kit(store)
    kit.records = RecordService(store, validator=VALIDATOR, clock=kit.clock)
    manager = kit.add_manager()
    kit.add_operator(manager)
    kit.enrol()
    sid = kit.records.queue(sample_record(0), operator_id="op1").submission_id
    with store.read() as session:
        body_size = len(session.get(RecordRow, sid).central_body or b"")  # type: ignore[union-attr]
    key = manager.installation_key.public_key().public_bytes_raw()
    decided = datetime.now(UTC) - timedelta(days=40)
    probes: list[bytes] = []
    batch: list[dict[str, Any]] = []
    for n in range(count + kept):
        local = seal_local(sample_record(n), key, str(uuid.uuid4()))
        body = os.urandom(body_size)
        if n < count:
            probes.append(local[40:72])
        batch.append({
            "submission_id": str(uuid.uuid4()), "form_id": "pser-household",
            "form_version": "2024.1", "state": "acknowledged", "operator_id": "op1",
            "created_at": decided, "updated_at": decided, "queued_at": decided,
            "receipt_no": f"LHR-0042-{decided:%Y%m%d}-{n:06d}", "sealed_local": local,
            "central_body": body, "attempts": 1, "tracking_id": f"PSER-26-{n:09d}",
            "acknowledged_at": decided, "member_count": 4,
            "verdict": "verified" if n < count else "received",
            "decided_at": decided if n < count else None,
        })  # fmt: skip
        if len(batch) == 1000:
            _insert(store, batch)
            batch = []
    if batch:
        _insert(store, batch)
    return probes


def _insert(store: Store, rows: list[dict[str, Any]]) -> None:
    with store.write() as session:
        session.execute(insert(RecordRow), rows)


def _left(path: Path, probes: list[bytes]) -> int:
    raw = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        raw += wal.read_bytes()
    return sum(1 for probe in probes if probe in raw)


PURGE_SQL = (
    "UPDATE records SET sealed_local = x'', central_body = NULL, purged_at = ? "
    "WHERE verdict = 'verified' AND purged_at IS NULL"
)


def sqlite_policies(work: Path, households: int, kept: int) -> dict[str, Any]:
    master = work / "master.db"
    store = Store.open(f"sqlite:///{master}")
    probes = fill(store, households, kept)
    store.close()
    out: dict[str, Any] = {"households": households, "kept": kept,
                           "file_bytes": master.stat().st_size}  # fmt: skip

    copy = work / "shipped.db"
    shutil.copy(master, copy)
    store = Store.open(f"sqlite:///{copy}")
    start = time.perf_counter()
    result = Verdicts(store).purge_due(RETENTION_DAYS)
    seconds = time.perf_counter() - start
    store.close()
    assert result.purged == households
    out["shipped"] = _figures(seconds, households, _left(copy, probes), copy)

    for name, secure, vacuum in (("secure_delete", "ON", False), ("vacuum", "OFF", True),
                                 ("plain", "OFF", False)):  # fmt: skip
        copy = work / f"{name}.db"
        shutil.copy(master, copy)
        conn = sqlite3.connect(copy, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(f"PRAGMA secure_delete={secure}")
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(PURGE_SQL, (datetime.now(UTC).isoformat(),))
        conn.execute("COMMIT")
        if vacuum:
            conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        seconds = time.perf_counter() - start
        conn.close()
        out[name] = _figures(seconds, households, _left(copy, probes), copy)
    out["shipped_over_plain"] = round(out["shipped"]["ms_per_household"]
                                      / out["plain"]["ms_per_household"], 2)  # fmt: skip
    for name in ("secure_delete", "vacuum"):
        out[f"{name}_over_plain"] = round(out[name]["ms_per_household"]
                                          / out["plain"]["ms_per_household"], 2)  # fmt: skip
    out["autosave"] = _autosave(work)
    return out


def _figures(seconds: float, households: int, left: int, path: Path) -> dict[str, Any]:
    return {"seconds": round(seconds, 3), "ms_per_household": round(seconds * 1000 / households, 3),
            "bytes_left": left, "file_bytes_after": path.stat().st_size}  # fmt: skip


def _autosave(work: Path) -> dict[str, Any]:
    """A draft saved again and again (its sealed copy rewritten) with secure_delete on/off."""
    figures: dict[str, Any] = {}
    for mode in ("ON", "OFF"):
        store = Store.open(f"sqlite:///{work / f'autosave-{mode}.db'}")
        kit = make_kit(store)
        kit.add_operator(kit.add_manager())
        kit.enrol()
        if mode == "OFF":  # every pooled connection: the engine's own listener said ON
            from sqlalchemy import event

            @event.listens_for(store.engine, "connect")
            def _off(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.execute("PRAGMA secure_delete=OFF")

            store.engine.dispose()
        sid = kit.records.save_draft(sample_record(1), operator_id="op1")
        samples = []
        for n in range(400):
            record = {**sample_record(1, sid), "answers": {**SAMPLES[1]["answers"], "n": n}}
            start = time.perf_counter()
            kit.records.save_draft(record, operator_id="op1")
            samples.append((time.perf_counter() - start) * 1000)
        with store.read() as session:
            flag = session.scalar(text("PRAGMA secure_delete"))
        store.close()
        figures[mode.lower()] = {"p50_ms": round(percentile(samples, 50), 3),
                                 "p99_ms": round(percentile(samples, 99), 3),
                                 "secure_delete": flag}  # fmt: skip
    figures["on_over_off_p50"] = round(figures["on"]["p50_ms"] / figures["off"]["p50_ms"], 2)
    return figures


def postgres_policies(work: Path, households: int, kept: int) -> dict[str, Any]:
    from tests.plugins.postgres import _start, _stop

    root = Path(tempfile.mkdtemp(prefix="pser-bench-pg-"))
    os.chmod(root, 0o755)
    server = _start(root)
    out: dict[str, Any] = {"households": households, "kept": kept}
    try:
        for n, name in enumerate(("shipped", "vacuum", "plain")):
            server.execute(f"CREATE DATABASE purge{n}")
            store = Store.open(server.url(f"purge{n}"))
            fill(store, households, kept)
            with store.read() as session:
                before = int(session.scalar(text("SELECT pg_total_relation_size('records')")) or 0)
            start = time.perf_counter()
            if name == "shipped":
                assert Verdicts(store).purge_due(RETENTION_DAYS).purged == households
            else:
                with store.write() as session:
                    session.execute(text(PURGE_SQL.replace("?", ":at").replace("x''", ":empty")),
                                    {"at": datetime.now(UTC), "empty": b""})  # fmt: skip
                if name == "vacuum":
                    with store.engine.connect().execution_options(
                        isolation_level="AUTOCOMMIT"
                    ) as conn:
                        conn.exec_driver_sql("VACUUM records")
            seconds = time.perf_counter() - start
            with store.read() as session:
                after = int(session.scalar(text("SELECT pg_total_relation_size('records')")) or 0)
            store.close()
            out[name] = {"seconds": round(seconds, 3),
                         "ms_per_household": round(seconds * 1000 / households, 3),
                         "table_bytes_before": before, "table_bytes_after": after}  # fmt: skip
    finally:
        _stop(server)
        shutil.rmtree(root, ignore_errors=True)
    out["shipped_over_plain"] = round(out["shipped"]["ms_per_household"]
                                      / out["plain"]["ms_per_household"], 2)  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--kept", type=int, default=8000, help="households not purged")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pser-bench-purge-"))
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                           "load_1min": os.getloadavg()[0]},
                               "date": datetime.now(UTC).strftime("%Y-%m-%d")}  # fmt: skip
    try:
        results["sqlite"] = sqlite_policies(work, args.households, args.kept)
        print(json.dumps({"sqlite": results["sqlite"]}, indent=1))
        if not args.no_postgres:
            results["postgresql"] = postgres_policies(work, args.households, args.kept)
            print(json.dumps({"postgresql": results["postgresql"]}, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
