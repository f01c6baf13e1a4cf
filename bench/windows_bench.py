"""The Windows build, under Wine: size and largest parts beside the Linux bundle's, the
installer's size, the build time, and start-up to the sign-in window.

- Build: ``scripts/build_windows.sh`` into a fresh folder (Windows CPython from PyPI, pip
  and PyInstaller under Wine, NSIS with solid LZMA), timed step by step by the script.
- Size: the bundle (``dist/pser-desk``) and its 15 largest parts (top-level entries of
  ``_internal``, PySide6's Qt DLLs one by one), beside bench/results/bundle.json (Linux).
- Start: the frozen ``pser-desk-cli.exe --startup-probe`` (the real desk with demo defaults,
  Qt's ``windows`` platform plugin, one Xvfb screen for the whole run) from spawning
  ``wine`` to "login shown", against a bare PySide6 window (a QLabel) shown by the same
  build's Windows Python under Wine, started the same way. One warm-up each, then N
  interleaved runs; medians.

    .venv/bin/python -m bench.windows_bench [--runs N] [--build-dir DIR]

Without ``--build-dir`` it builds first (about 10 minutes on 2 cores) into
bench/results/tmp/windows; with it, it measures that build (and quotes its build time).
Results: bench/results/windows.json (quoted in docs/performance.md, "## Windows").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bundle_bench import size_of
from bench.gui_bench import BARE_WINDOW

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "windows.json"
LINUX_RESULTS = REPO / "bench" / "results" / "bundle.json"
TMP = REPO / "bench" / "results" / "tmp" / "windows"
MB = 1024 * 1024


def winpath(path: Path) -> str:
    return "Z:" + str(path).replace("/", "\\")


def build(out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(["bash", str(REPO / "scripts" / "build_windows.sh"), "--out", str(out)],
                   cwd=REPO, check=True)  # fmt: skip


def parts(bundle: Path) -> list[tuple[str, int]]:
    internal = bundle / "_internal"
    found = {f"_internal/{p.name}": size_of(p) for p in internal.iterdir()}
    pyside = internal / "PySide6"
    if pyside.is_dir():
        found.pop("_internal/PySide6", None)
        dlls = sorted(pyside.glob("*.dll"))
        for dll in dlls:
            found[f"PySide6/{dll.name}"] = size_of(dll)
        for sub in ("plugins", "translations"):
            found[f"PySide6/{sub}"] = size_of(pyside / sub)
        found["_internal/PySide6 (bindings)"] = (
            size_of(pyside) - sum(size_of(d) for d in dlls)
            - size_of(pyside / "plugins") - size_of(pyside / "translations")
        )  # fmt: skip
    for exe in bundle.iterdir():
        if exe.is_file():
            found[exe.name] = size_of(exe)
    return sorted(found.items(), key=lambda kv: -kv[1])


class Screen:
    """One Xvfb server for the whole run (both programs see the same display)."""

    def __enter__(self) -> str:
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(write)
        with os.fdopen(read) as f:
            self.display = ":" + f.readline().strip()
        return self.display

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def spawn_until(args: list[str], env: dict[str, str], lines: int) -> list[float]:
    """Seconds from spawning *args* until each of its first *lines* stdout lines."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, text=True, env=env)  # fmt: skip
    assert proc.stdout is not None
    seen: list[float] = []
    for _ in range(lines):
        line = proc.stdout.readline()
        if not line or "not ready" in line:
            proc.kill()
            raise SystemExit(f"{args[:3]} printed {line!r}")
        seen.append(time.perf_counter() - started)
    proc.wait(timeout=180)
    proc.stdout.close()
    return seen


def start_up(out: Path, runs: int) -> dict[str, Any]:
    prefix = out / "prefix"
    with Screen() as display, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PSER_DESK"))}
        env.update(WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=",
                   DISPLAY=display, QT_QPA_PLATFORM="windows")  # fmt: skip
        subprocess.run(["wineserver", "-p"], env=env, check=True)
        cli = out / "dist" / "pser-desk" / "pser-desk-cli.exe"
        desk = ["wine", str(cli), "--data-dir", winpath(Path(tmp) / "pc"), "--startup-probe"]
        bare = ["wine", str(prefix / "drive_c" / "Python311" / "python.exe"), "-c", BARE_WINDOW]
        try:
            spawn_until(desk, env, 2)  # warm-up: the first run makes the demo's keys
            spawn_until(bare, env, 1)
            desk_runs, bare_runs = [], []
            for _ in range(runs):  # interleaved: the machine's moods hit both alike
                desk_runs.append(spawn_until(desk, env, 2))
                bare_runs.append(spawn_until(bare, env, 1)[0])
        finally:
            subprocess.run(["wineserver", "-k"], env=env, check=False)
    login = statistics.median(r[0] for r in desk_runs)
    ready = statistics.median(r[1] for r in desk_runs)
    bare_m = statistics.median(bare_runs)
    return {"desk_login_s": round(login, 2), "desk_ready_s": round(ready, 2),
            "bare_window_s": round(bare_m, 2), "ratio": round(login / bare_m, 2),
            "ready_ratio": round(ready / bare_m, 2), "runs": runs,
            "desk_login_all_s": [round(r[0], 2) for r in desk_runs],
            "bare_window_all_s": [round(b, 2) for b in bare_runs]}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.build_dir
    if out is None:
        out = TMP
        build(out)
    info = json.loads((out / "build-info.json").read_text(encoding="utf-8"))
    bundle = out / "dist" / "pser-desk"
    files = [p for p in bundle.rglob("*") if p.is_file()]
    linux = json.loads(LINUX_RESULTS.read_text(encoding="utf-8")) if LINUX_RESULTS.is_file() else {}
    result = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "wine": subprocess.run(["wine", "--version"], capture_output=True,
                                           text=True, check=False).stdout.strip()},
        "build_s": info.get("total_seconds"),
        "build_steps_s": info.get("step_seconds"),
        "bundle_mb": round(size_of(bundle) / MB, 1),
        "files": len(files),
        "installer_mb": round(info["installer_bytes"] / MB, 1),
        "largest_parts_mb": {name: round(size / MB, 1) for name, size in parts(bundle)[:15]},
        "linux_bundle_mb": linux.get("bundle_mb"),
        "linux_largest_parts_mb": linux.get("largest_parts_mb"),
        "start_to_login_under_wine": start_up(out, args.runs),
    }  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
