"""The frozen bundle: build time, size and its largest parts, cold start to the login window.

Run: ``.venv/bin/python -m bench.bundle_bench`` (about 2 minutes; writes
bench/results/bundle.json). Builds dist into bench/results/tmp/ with pser_desk.spec, then:

- size: the whole bundle (files, symlinks not counted twice) and its 15 largest parts
  (top-level entries of ``_internal``, and PySide6's Qt libraries one by one);
- start: ``pser-desk --startup-probe`` (offscreen, demo defaults: a fresh data folder,
  the store migrated, the embedded central service started, the window built) until the
  login window is shown and the process has exited, wall clock from the outside. The
  first run after the build follows ``sync; echo 3 > /proc/sys/vm/drop_caches`` when
  permitted (a true cold start), the next ones are warm; baseline: the same probe from
  the source checkout (``python -m pser_desk``) in the same run;
- the frozen ``--self-test``'s wall time.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "bundle.json"
TMP = REPO / "bench" / "results" / "tmp" / "bundle"
WARM_RUNS = 5


def build() -> tuple[Path, float]:
    shutil.rmtree(TMP, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "ERROR",
            "--distpath",
            str(TMP / "dist"),
            "--workpath",
            str(TMP / "build"),
            str(REPO / "pser_desk.spec"),
        ],  # fmt: skip
        cwd=REPO,
        check=True,
    )
    return TMP / "dist" / "pser-desk", time.perf_counter() - started


def size_of(path: Path) -> int:
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def parts(bundle: Path) -> list[tuple[str, int]]:
    internal = bundle / "_internal"
    found = {f"_internal/{p.name}": size_of(p) for p in internal.iterdir()}
    qt = internal / "PySide6" / "Qt"
    if qt.is_dir():
        found.pop("_internal/PySide6", None)
        found["_internal/PySide6 (bindings)"] = size_of(internal / "PySide6") - size_of(qt)
        for lib in (qt / "lib").iterdir():
            found[f"Qt/lib/{lib.name}"] = size_of(lib)
        for sub in ("plugins", "translations"):
            found[f"Qt/{sub}"] = size_of(qt / sub)
    for exe in bundle.iterdir():
        if exe.is_file():
            found[exe.name] = size_of(exe)
    return sorted(found.items(), key=lambda kv: -kv[1])


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def probe(command: list[str], data_dir: Path) -> tuple[float, float]:
    """(wall seconds from launch to the login window, the part inside the Qt set-up).

    The wall time ends when the probe prints its line (at the moment the login window is
    shown), not at the process's exit; the second figure is what the app measures from
    the start of its GUI code (after Python, imports and the bootloader).
    """
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "--data-dir", str(data_dir), "--startup-probe"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    wall = time.perf_counter() - started
    rest = proc.stdout.read()
    proc.stdout.close()
    if proc.wait(timeout=120) != 0 or not line.startswith("login shown after "):
        raise SystemExit(f"startup probe failed: {line}{rest}")
    return wall, float(line.split()[3])


def main() -> int:
    bundle, build_s = build()
    frozen = [str(bundle / "pser-desk")]
    source = [sys.executable, "-m", "pser_desk"]
    data = TMP / "data"

    cold_dropped = drop_caches()
    cold = probe(frozen, data)
    warm = [probe(frozen, data) for _ in range(WARM_RUNS)]
    base = [probe(source, data) for _ in range(WARM_RUNS)]
    started = time.perf_counter()
    self_test = subprocess.run(
        [*frozen, "--self-test"], capture_output=True, text=True, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    self_test_s = time.perf_counter() - started
    if self_test.returncode != 0:
        raise SystemExit(f"frozen self-test failed:\n{self_test.stdout}")

    total = size_of(bundle)
    largest = parts(bundle)[:15]
    warm_wall = statistics.median(w for w, _ in warm)
    base_wall = statistics.median(w for w, _ in base)
    result = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "build_s": round(build_s, 1),
        "bundle_mb": round(total / 1e6, 1),
        "files": sum(1 for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()),
        "largest_parts_mb": {name: round(size / 1e6, 1) for name, size in largest},
        "start_to_login": {
            "cold_wall_s": round(cold[0], 2),
            "cold_caches_dropped": cold_dropped,
            "warm_wall_median_s": round(warm_wall, 2),
            "warm_in_app_median_s": round(statistics.median(i for _, i in warm), 2),
            "baseline_source_wall_median_s": round(base_wall, 2),
            "ratio_frozen_to_source": round(warm_wall / base_wall, 2),
        },
        "self_test_wall_s": round(self_test_s, 2),
    }  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    shutil.rmtree(TMP, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
