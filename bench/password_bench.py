"""Password cost benchmark: what an operator's sign-in costs at N=2^15 and at N=2^17.

A sign-in derives scrypt twice (the password hash, then the key wrap). Both costs run in
this process, interleaved, on real SQLite stores: a sign-in at the former cost (N=2^15,
the baseline) and at the cost in force (N=2^17, OWASP's minimum); the first sign-in after
the upgrade (which also re-hashes and re-wraps) is timed once. Memory: scrypt needs
128 * N * r bytes, 32 MiB at 2^15 and 128 MiB at 2^17.

    .venv/bin/python -m bench.password_bench [--rounds N]

Results: bench/results/password.json (quoted in docs/performance.md, "## Passwords").
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from pser_desk.security.passwords import PRODUCTION_PARAMS, ScryptParams
from pser_desk.store import Store
from pser_desk.store.operators import OperatorService

PASSWORD = "kitchen-window-42"
BASELINE = ScryptParams(n=2**15)
RESULTS = Path(__file__).resolve().parent / "results" / "password.json"


def _service(folder: Path, params: ScryptParams) -> OperatorService:
    service = OperatorService(Store.open(data_dir=folder), params=params)
    service.add("mgr1", "Manager", "manager", PASSWORD, by=None)
    return service


def _login_ms(service: OperatorService) -> float:
    started = time.perf_counter()
    service.login("mgr1", PASSWORD)
    return (time.perf_counter() - started) * 1000


def run(rounds: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        old = _service(Path(tmp) / "old", BASELINE)
        new = _service(Path(tmp) / "new", PRODUCTION_PARAMS)
        upgraded = OperatorService(Store.open(data_dir=Path(tmp) / "old"), params=PRODUCTION_PARAMS)
        times: dict[str, list[float]] = {"n15": [], "n17": []}
        for _ in range(rounds):
            times["n15"].append(_login_ms(old))
            times["n17"].append(_login_ms(new))
        first_upgrade = _login_ms(upgraded)
    n15, n17 = statistics.median(times["n15"]), statistics.median(times["n17"])
    return {
        "machine": platform.machine(), "python": platform.python_version(), "rounds": rounds,
        "sign_in_ms_median": {"n=2^15 (baseline)": round(n15, 1), "n=2^17": round(n17, 1)},
        "ratio_n17_to_n15": round(n17 / n15, 2),
        "first_sign_in_after_upgrade_ms": round(first_upgrade, 1),
        "scrypt_memory_mib": {"n=2^15": 32, "n=2^17": 128},
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    result = run(parser.parse_args().rounds)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
