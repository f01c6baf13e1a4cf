"""Sync benchmark: households per second delivered to the reference central service.

Central runs as its own process (``pser-desk central serve`` on 127.0.0.1, the shipped
form, so it decrypts, validates and commits every household) and the PC side runs here:

- **floor**: N signed ``POST /submissions`` of bodies sealed beforehand, from a bare
  loop over one ``requests.Session``, no storage, one request at a time;
- **worker**: the real :class:`SyncWorker` (4 in flight, and 1 in flight) draining N
  records queued in a real SQLite store through the store's own services (claim,
  POST through :class:`CentralClient`, store the tracking id, one transaction each).

Each run sends distinct households (a head CNIC central has not seen). The floor runs
before and after the worker; the faster floor is the one compared with.

Memory: M records (default 100,000) are queued with a fast path (bodies really sealed
for central with the store's ``sealing`` module, rows bulk-inserted), then drained by
the worker while a thread samples this process's RSS (``/proc/self/statm``).

    .venv/bin/python -m bench.sync_bench [--records N] [--memory-records M]

Results: bench/results/sync.json (quoted in docs/performance.md, "## Sync").
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import event, insert, text
from sqlalchemy.orm import Session

from pser_desk.central.service import CentralService
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.lifecycle import RecordState, transition
from pser_desk.security.device import DeviceKey
from pser_desk.security.envelope import b64u_encode
from pser_desk.security.request_signing import format_ts, sign_request
from pser_desk.store import Store, audit_log
from pser_desk.store.audit_log import Event
from pser_desk.store.models import RecordRow
from pser_desk.store.outbox import Outbox, OutboxItem
from pser_desk.store.records import RecordService
from pser_desk.store.sealing import (
    BodyHeader,
    central_body,
    new_submission_id,
    record_plaintext,
    seal_local,
)
from pser_desk.store.validation import FormValidator
from pser_desk.sync.client import CentralClient
from pser_desk.sync.drain import drain
from pser_desk.sync.outcomes import OutcomeKind, SubmitOutcome
from pser_desk.sync.worker import PassSummary, SyncWorker
from tests.plugins.store import StoreKit, make_identity, make_kit

RESULTS = Path(__file__).resolve().parent / "results" / "sync.json"
CENTRE = "LHR-0042"
PAGE = os.sysconf("SC_PAGE_SIZE")
FLOOR_CPU_MS: list[float] = []  # client CPU per request of each floor run

VALIDATOR = FormValidator.shipped()
TODAY = date.today()
TEMPLATES = [example_record(n, load_form(), VALIDATOR.geography, TODAY) for n in range(40)]


def household(serial: int) -> dict[str, Any]:
    """A valid household whose head CNIC is unique to *serial* (central's duplicate rule)."""
    template = TEMPLATES[serial % len(TEMPLATES)]
    cnic = template["head"]["cnic"]
    head = {**template["head"], "cnic": f"{cnic[:5]}{serial:07d}{cnic[12]}"}
    return {**template, "head": head, "submission_id": new_submission_id()}  # stamped


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


# ---------------------------------------------------------------------- central


@dataclass
class Central:
    process: subprocess.Popen[str]
    url: str
    state_dir: Path

    def admin(self) -> CentralService:
        return CentralService(self.state_dir, forms_dir=self.state_dir / "unused")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_central(work: Path) -> Central:
    state = work / "central"
    args = [sys.executable, "-m", "pser_desk", "--data-dir", str(work / "central-data"),
            "central", "serve", "--port", "0", "--state", str(state)]  # fmt: skip
    with (work / "central.stderr").open("w", encoding="utf-8") as errors:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        raise SystemExit(f"central did not start: {(work / 'central.stderr').read_text()}")
    return Central(proc, json.loads(line)["url"], state)


@dataclass
class Device:
    device_id: str
    key: DeviceKey
    encryption_key: str  # b64u
    signing_key: str  # b64u


def enrol(central: Central) -> Device:
    admin = central.admin()
    try:
        token = admin.new_token(CENTRE)
    finally:
        admin.close()
    key = DeviceKey.generate()
    with CentralClient(central.url) as client:
        answer = client.enroll(CENTRE, token, key.public_raw(), "bench", "bench")
    return Device(answer.device_id, key, b64u_encode(answer.central_encryption_key),
                  b64u_encode(answer.central_signing_key))  # fmt: skip


def central_households(central: Central) -> int:
    admin = central.admin()
    try:
        return admin.db.count_submissions()
    finally:
        admin.close()


# ---------------------------------------------------------------------- floor


def sealed_bodies(device: Device, serials: range) -> list[tuple[str, bytes]]:
    out = []
    for serial in serials:
        sid = str(uuid.uuid4())
        record = {**household(serial), "submission_id": sid}
        header = BodyHeader(sid, f"{CENTRE}-20261124-{serial % 999999:06d}",
                            "pser-household", "2024.1", CENTRE, "op1", datetime.now(UTC))  # fmt: skip
        out.append((sid, central_body(header, record_plaintext(record), device.encryption_key)))
    return out


def run_floor(central: Central, device: Device, bodies: list[tuple[str, bytes]]) -> float:
    """Records per second of a bare signed-POST loop over one session (checks every 201)."""
    url = central.url + "/submissions"
    path = "/api/v1/submissions"
    with requests.Session() as session:
        start, cpu = time.perf_counter(), time.process_time()
        for sid, body in bodies:
            auth = sign_request(device.key, device.device_id, "POST", path, body,
                                format_ts(datetime.now(UTC)))  # fmt: skip
            response = session.post(url, data=body, timeout=(10, 30), headers={
                "Authorization": auth, "Idempotency-Key": sid, "Accept": "application/json",
                "Content-Type": "application/json"})  # fmt: skip
            if response.status_code != 201 or "tracking_id" not in response.json():
                raise SystemExit(
                    f"floor: central answered {response.status_code} {response.text[:300]}"
                )
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    FLOOR_CPU_MS.append(cpu * 1000 / len(bodies))
    return len(bodies) / elapsed


# ---------------------------------------------------------------------- worker


def open_pc(work: Path, name: str, central: Central, device: Device) -> StoreKit:
    store = Store.open(f"sqlite:///{work / name / 'pser.db'}")
    kit = make_kit(store)
    kit.records = RecordService(store, validator=VALIDATOR, clock=kit.clock)
    kit.device.save(replace(make_identity(kit.central_key), device_id=device.device_id,
                            central_url=central.url, central_encryption_key=device.encryption_key,
                            central_signing_key=device.signing_key))  # fmt: skip
    kit.add_operator(kit.add_manager())
    return kit


def run_worker(
    central: Central, device: Device, kit: StoreKit, in_flight: int, proposed: bool = False
) -> dict[str, Any]:
    """Drain what is queued in *kit* with the real worker; every record must be acknowledged."""
    queued = kit.outbox.counts().as_json()["unsent"]
    assert isinstance(queued, int)
    client = CentralClient(central.url, device_id=device.device_id, device_key=device.key)
    outbox = GroupCommitOutbox(kit.store) if proposed else kit.outbox
    worker = (ProposedWorker if proposed else SyncWorker)(outbox, client, max_in_flight=in_flight)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        result = drain(worker, outbox, timeout_s=3600)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        client.close()
    summary = result.summary
    if summary.acknowledged != queued or result.unsent:
        raise SystemExit(f"worker: {summary.as_json()}")
    return {"in_flight": in_flight, "records_per_second": round(queued / elapsed, 1),
            "client_cpu_ms_per_record": round(cpu * 1000 / queued, 2),
            "seconds": round(elapsed, 2)}  # fmt: skip


# ---------------------------------------------------------------------- proposed fix


class GroupCommitOutbox(Outbox):
    """Prototype (bench only): outcomes stored inside :meth:`batch` share one transaction."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self._session: Session | None = None

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._store.write() as session:
            self._session = session
            try:
                yield
            finally:
                self._session = None

    def _change(self, submission_id: str, target: RecordState, event_: Event,
                apply: Any, detail: Any = None) -> None:  # fmt: skip
        if self._session is None:
            super()._change(submission_id, target, event_, apply, detail)
            return
        now = self._clock()
        row = self._session.get(RecordRow, submission_id)
        assert row is not None
        row.state = transition(RecordState(row.state), target).value
        row.updated_at = now
        apply(row, now)
        audit_log.append(self._session, event_, at=now, subject=submission_id, detail=detail)


class ProposedWorker(SyncWorker):
    """Prototype of the proposed fix: claims 16 at a time, one transaction per set of
    outcomes that completed together. Same exactly-once argument: a record is claimed
    (``sending``) before its POST and acknowledged only after central's 201/200."""

    CLAIM_BATCH = 16

    def _run_pass(self) -> PassSummary:
        self._stop.clear()
        summary, pass_start = PassSummary(), self._clock()
        in_flight: dict[Future[SubmitOutcome], OutboxItem] = {}
        ready: deque[OutboxItem] = deque()
        outbox = self._outbox
        assert isinstance(outbox, GroupCommitOutbox)
        with ThreadPoolExecutor(self._max, thread_name_prefix="pser-sync") as pool:
            while True:
                if self._may_claim(summary):
                    if len(ready) < self._max - len(in_flight):
                        ready.extend(outbox.claim_due(self.CLAIM_BATCH, now=pass_start))
                    while ready and len(in_flight) < self._max:
                        item = ready.popleft()
                        in_flight[
                            pool.submit(self._client.submit, item.body, item.submission_id)
                        ] = item
                if not in_flight:
                    break
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                outcomes = [(in_flight.pop(f), f.result()) for f in done]
                with outbox.batch():  # acknowledgements together: one commit
                    for item, outcome in outcomes:
                        if outcome.kind is OutcomeKind.ACCEPTED:
                            self._store_outcome(item, outcome, summary)
                for item, outcome in outcomes:  # the rest as the shipped worker does
                    if outcome.kind is not OutcomeKind.ACCEPTED:
                        self._store_outcome(item, outcome, summary)
        assert not ready, "a prototype: a paused pass would hand these back with retry_later"
        return summary


# ---------------------------------------------------------------------- memory


def fast_fill(kit: StoreKit, device: Device, serials: range) -> None:
    """Queued rows with real sealed bodies, bulk-inserted 2,000 per transaction."""
    public = kit.operators.login("mgr1", "kitchen-window-42").installation_key
    local_key = public.public_key().public_bytes_raw()
    local_blob = seal_local(household(0), local_key, str(uuid.uuid4()))
    base = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
    batch: list[dict[str, Any]] = []
    for n, (sid, body) in enumerate(_bodies_in_batches(device, serials)):
        at = base + timedelta(milliseconds=n)
        batch.append({
            "submission_id": sid, "form_id": "pser-household", "form_version": "2024.1",
            "state": "queued", "operator_id": "op1", "created_at": at, "updated_at": at,
            "queued_at": at, "receipt_no": f"{CENTRE}-20261124-{n:06d}",
            "sealed_local": local_blob, "central_body": body, "attempts": 0, "member_count": 4,
        })  # fmt: skip
        if len(batch) == 2000:
            with kit.store.write() as session:
                session.execute(insert(RecordRow), batch)
            batch = []
    if batch:
        with kit.store.write() as session:
            session.execute(insert(RecordRow), batch)


def _bodies_in_batches(device: Device, serials: range) -> Iterator[tuple[str, bytes]]:
    for start in range(serials.start, serials.stop, 2000):
        yield from sealed_bodies(device, range(start, min(start + 2000, serials.stop)))


class RssSampler(threading.Thread):
    def __init__(self, kit: StoreKit, total: int) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.kit = kit
        self.total = total
        self.samples: list[tuple[float, int, float]] = []  # (seconds, sent, rss MB)
        self.stop_event = threading.Event()
        self.start_time = time.perf_counter()

    def run(self) -> None:
        while not self.stop_event.wait(2.0):
            counts = self.kit.outbox.counts().by_state
            sent = counts.get("acknowledged", 0)
            self.samples.append((time.perf_counter() - self.start_time, sent, rss_mb()))


def run_memory(central: Central, device: Device, kit: StoreKit, serials: range) -> dict[str, Any]:
    rss_start = rss_mb()
    start = time.perf_counter()
    fast_fill(kit, device, serials)
    fill_s = time.perf_counter() - start
    gc.collect()
    rss_filled = rss_mb()
    client = CentralClient(central.url, device_id=device.device_id, device_key=device.key)
    worker = SyncWorker(kit.outbox, client)
    sampler = RssSampler(kit, len(serials))
    sampler.start()
    try:
        start = time.perf_counter()
        result = drain(worker, kit.outbox, timeout_s=7200)
        elapsed = time.perf_counter() - start
    finally:
        sampler.stop_event.set()
        sampler.join()
        client.close()
    gc.collect()
    rss_end = rss_mb()
    if result.summary.acknowledged != len(serials):
        raise SystemExit(f"memory drain: {result.summary.as_json()}")
    at = _rss_at(sampler.samples, len(serials))
    return {
        "records": len(serials), "fill_seconds": round(fill_s, 1),
        "drain_seconds": round(elapsed, 1),
        "records_per_second": round(len(serials) / elapsed, 1),
        "rss_mb": {"before_fill": round(rss_start, 1), "queued": round(rss_filled, 1),
                   **at, "peak_during_drain": round(max(s[2] for s in sampler.samples), 1),
                   "after_drain": round(rss_end, 1)},
        "rss_growth_10_to_90_percent_mb": round(at["at_90_percent"] - at["at_10_percent"], 1),
    }  # fmt: skip


def _rss_at(samples: list[tuple[float, int, float]], total: int) -> dict[str, float]:
    out = {}
    for pct in (10, 50, 90):
        sample = next((s for s in samples if s[1] >= total * pct / 100), samples[-1])
        out[f"at_{pct}_percent"] = round(sample[2], 1)
    return out


# ---------------------------------------------------------------------- main


class CommitCounter:
    """Counts the store's transactions (each a durable SQLite commit: synchronous=FULL)."""

    def __init__(self, kit: StoreKit) -> None:
        self.count = 0
        event.listen(kit.store.engine, "commit", self._on_commit)

    def _on_commit(self, _conn: Any) -> None:
        self.count += 1


def durable_commit_ms(kit: StoreKit, repeat: int = 200) -> float:
    """A bare one-row INSERT + commit on the same store: the cost of durability alone."""
    with kit.store.write() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS bench_probe (n INTEGER)"))
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        with kit.store.write() as session:
            session.execute(text("INSERT INTO bench_probe VALUES (1)"))
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


# (name, requests in flight): the worker as shipped (4 and 1 in flight), and the proposal.
VARIANTS = (("4_in_flight", 4), ("1_in_flight", 1), ("proposed", 4))


def one_round(work: Path, central: Central, device: Device, n: int, first: int,
              tag: str) -> dict[str, Any]:  # fmt: skip
    """The floor, then each worker variant, each on N new households."""
    floor = run_floor(central, device, sealed_bodies(device, range(first, first + n)))
    out: dict[str, Any] = {
        "floor_records_per_second": round(floor, 1),
        "floor_client_cpu_ms_per_record": round(FLOOR_CPU_MS[-1], 2),
    }
    for k, (name, in_flight) in enumerate(VARIANTS, start=1):
        kit = open_pc(work, f"pc-{tag}-{name}", central, device)
        counter = CommitCounter(kit)
        serials = range(first + k * n, first + (k + 1) * n)
        for serial in serials:  # the real queue path: validate, receipt, seal, one transaction
            kit.records.queue(household(serial), operator_id="op1")
        counter.count = 0
        run = run_worker(central, device, kit, in_flight, proposed=name == "proposed")
        run["store_commits_per_record"] = round(counter.count / n, 2)
        run["durable_commit_ms_p50"] = round(durable_commit_ms(kit), 2)
        out[f"worker_{name}"] = run
        kit.store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-records", type=int, default=100_000, help="0 to skip")
    args = parser.parse_args()
    n = args.records
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop central on the way out
    work = Path(tempfile.mkdtemp(prefix="pser-sync-bench-"))
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                               "load_average_at_start": os.getloadavg()[0]},
                               "date": datetime.now(UTC).strftime("%Y-%m-%d"), "records": n}  # fmt: skip
    central = start_central(work)
    try:
        device = enrol(central)
        run_floor(central, device, sealed_bodies(device, range(10**6, 10**6 + 100)))  # warm-up
        rounds = [
            one_round(work, central, device, n, r * 4 * n, f"r{r}") for r in range(args.rounds)
        ]
        results["rounds"] = rounds
        results["summary"] = summarise(rounds)
        results["central_households"] = central_households(central)
        print(json.dumps(results, indent=1), flush=True)
        if args.memory_records:
            kit = open_pc(work, "pcmem", central, device)
            first = args.rounds * 4 * n
            results["memory"] = run_memory(
                central, device, kit, range(first, first + args.memory_records)
            )
            kit.store.close()
            print(json.dumps({"memory": results["memory"]}, indent=1), flush=True)
    finally:
        central.stop()
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


def med(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the rounds, and each round's worker/floor ratio (same conditions)."""
    floor = [r["floor_records_per_second"] for r in rounds]
    out: dict[str, Any] = {
        "floor_records_per_second": med(floor),
        "floor_client_cpu_ms_per_record": med(
            [r["floor_client_cpu_ms_per_record"] for r in rounds]
        ),
    }
    for k, _ in VARIANTS:
        rates = [r[f"worker_{k}"]["records_per_second"] for r in rounds]
        ratios = [rate / f for rate, f in zip(rates, floor, strict=True)]
        out[f"worker_{k}_records_per_second"] = med(rates)
        out[f"worker_{k}_over_floor"] = med(ratios)
        out[f"worker_{k}_over_floor_per_round"] = [round(x, 2) for x in ratios]
        out[f"worker_{k}_client_cpu_ms_per_record"] = med(
            [r[f"worker_{k}"]["client_cpu_ms_per_record"] for r in rounds])  # fmt: skip
        out[f"worker_{k}_store_commits_per_record"] = med(
            [r[f"worker_{k}"]["store_commits_per_record"] for r in rounds])  # fmt: skip
    out["durable_commit_ms_p50"] = med(
        [r[f"worker_{k}"]["durable_commit_ms_p50"] for r in rounds for k, _ in VARIANTS])  # fmt: skip
    return out


if __name__ == "__main__":
    main()
