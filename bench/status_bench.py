"""Status benchmark: how fast a PC learns central's verdicts (central-api.md section 6).

Central runs as its own process (``pser-desk central serve`` on 127.0.0.1) holding N
acknowledged households of one centre (default 10,000: rows put straight into its
database; 60 % verified, 5 % rejected, the rest still ``received``). The PC side is the
real :class:`CentralClient` of this process asking about all N, in the same round:

- **batched**: ``POST /submissions/status`` with 100 ids a request (``submission_statuses``);
- **single**: one signed ``GET /submissions/{id}`` per household (``submission_status``),
  one at a time and 4 in flight (the most the PC may have, section 9).

Figures per phase: households whose status is learnt per request and per second, client
CPU and central's CPU (``/proc/<pid>/stat``) per household, bytes on the wire per
household (headers and body of the answers). Three rounds; the ratios batched/single are
taken per round (same machine state), the summary gives medians.

    .venv/bin/python -m bench.status_bench [--households N] [--rounds R]

Results: bench/results/status.json (quoted in docs/performance.md, "## Status").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from bench.sync_bench import CENTRE, Central, enrol, start_central
from pser_desk.domain.verdict import ReasonCode, VerdictStatus
from pser_desk.security.envelope import b64u_decode
from pser_desk.sync.client import CentralClient

RESULTS = Path(__file__).resolve().parent / "results" / "status.json"
TICKS = os.sysconf("SC_CLK_TCK")


def fill(central: Central, device_id: str, n: int) -> list[str]:
    """N accepted households of CENTRE in central's database; 60 % verified, 5 % rejected."""
    ids = [str(uuid.uuid4()) for _ in range(n)]
    received_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = [
        (sid, "0" * 64, f"PSER-26-{serial:09d}", f"{CENTRE}-20261124-{serial % 10000:04d}",
         hashlib.sha256(sid.encode()).hexdigest(), device_id, CENTRE, "pser-household",
         "2024.1", received_at, json.dumps({"submission_id": sid}), b"{}")
        for serial, sid in enumerate(ids, start=1)
    ]  # fmt: skip
    admin = central.admin()
    try:
        with admin.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO submissions (submission_id, body_sha256, tracking_id, receipt_no, "
                "head_key, device_id, centre_code, form_id, form_version, received_at, answer, "
                "record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
        admin.decide(ids[: n * 60 // 100], VerdictStatus.VERIFIED)
        admin.decide(
            ids[n * 60 // 100 : n * 65 // 100], VerdictStatus.REJECTED, ReasonCode.NADRA_MISMATCH
        )
    finally:
        admin.close()
    return ids


class WireCounter:
    """Bytes of every answer's status line, headers and body, through a session hook."""

    def __init__(self, client: CentralClient) -> None:
        self.bytes = 0
        self._lock = threading.Lock()  # answers arrive on 4 threads at once
        client.session.hooks["response"].append(self._count)

    def _count(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        head = sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 17
        with self._lock:
            self.bytes += head + len(response.content)


def central_cpu_s(central: Central) -> float:
    fields = Path(f"/proc/{central.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(
    central: Central, client: CentralClient, wire: WireCounter, ids: list[str],
    ask: Callable[[], tuple[int, int]],
) -> dict[str, Any]:  # fmt: skip
    """Run *ask* (returns requests made, households learnt) and its figures."""
    wire.bytes = 0
    server_cpu, cpu, start = central_cpu_s(central), time.process_time(), time.perf_counter()
    made, learnt = ask()
    elapsed = time.perf_counter() - start
    cpu, server_cpu = time.process_time() - cpu, central_cpu_s(central) - server_cpu
    if learnt != len(ids):
        raise SystemExit(f"learnt {learnt} of {len(ids)} statuses")
    return {
        "requests": made,
        "households": learnt,
        "seconds": round(elapsed, 3),
        "households_per_request": round(learnt / made, 1),
        "households_per_second": round(learnt / elapsed, 1),
        "client_cpu_us_per_household": round(cpu * 1e6 / learnt, 1),
        "central_cpu_us_per_household": round(server_cpu * 1e6 / learnt, 1),
        "wire_bytes_per_household": round(wire.bytes / learnt, 1),
    }


def batched(client: CentralClient, ids: list[str]) -> Callable[[], tuple[int, int]]:
    def ask() -> tuple[int, int]:
        report = client.submission_statuses(ids)
        if report.error is not None:
            raise SystemExit(f"batched: {report.error}")
        return report.requests, len(report.verdicts)

    return ask


def single(client: CentralClient, ids: list[str], in_flight: int) -> Callable[[], tuple[int, int]]:
    def ask() -> tuple[int, int]:
        with ThreadPoolExecutor(in_flight) as pool:
            verdicts = list(pool.map(client.submission_status, ids))
        return len(ids), sum(v is not None for v in verdicts)

    return ask


PHASES = ("batched", "single_1_in_flight", "single_4_in_flight")


def one_round(central: Central, client: CentralClient, ids: list[str]) -> dict[str, Any]:
    wire = WireCounter(client)
    asks = {
        "batched": batched(client, ids),
        "single_1_in_flight": single(client, ids, 1),
        "single_4_in_flight": single(client, ids, 4),
    }
    out = {name: measure(central, client, wire, ids, asks[name]) for name in PHASES}
    client.session.hooks["response"].remove(wire._count)
    return out


def med(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in PHASES:
        for key in ("households_per_request", "households_per_second",
                    "client_cpu_us_per_household", "central_cpu_us_per_household",
                    "wire_bytes_per_household"):  # fmt: skip
            out[f"{name}_{key}"] = med([r[name][key] for r in rounds])
    for name in PHASES[1:]:
        ratios = [
            r["batched"]["households_per_second"] / r[name]["households_per_second"] for r in rounds
        ]
        out[f"batched_over_{name}"] = med(ratios)
        out[f"batched_over_{name}_per_round"] = [round(x, 1) for x in ratios]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop central on the way out
    work = Path(tempfile.mkdtemp(prefix="pser-status-bench-"))
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_start": os.getloadavg()[0]},
        "date": datetime.now(UTC).strftime("%Y-%m-%d"), "households": args.households,
        "verdicts_held": {"verified": 0.60, "rejected": 0.05, "received": 0.35},
    }  # fmt: skip
    central = start_central(work)
    try:
        device = enrol(central)
        ids = fill(central, device.device_id, args.households)
        with CentralClient(
            central.url, device_id=device.device_id, device_key=device.key,
            central_signing_key=b64u_decode(device.signing_key),
        ) as client:  # fmt: skip
            client.submission_statuses(ids[:500])  # warm-up
            rounds = [one_round(central, client, ids) for _ in range(args.rounds)]
        results["rounds"] = rounds
        results["summary"] = summarise(rounds)
        print(json.dumps(results, indent=1), flush=True)
    finally:
        central.stop()
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
