"""Updates (issue 17): the size of an update for a one-line change, the time from "update
available" to the new version running, and the event loop during a background download.

Run: ``.venv/bin/python -m bench.update_bench`` (about 15 minutes on 2 cores, most of it
xz; writes bench/results/update.json); ``--reuse`` keeps the builds and the repository of
the last run and measures steps 3 and 4 again (2 minutes). In bench/results/tmp/update/:

1. **Two real builds.** N is the checkout; N+1 is a copy of the sources with one line of
   Python changed (the help text of ``pser-desk update``, visible in ``--help`` so the
   bench can see the change reached the frozen program) and the version bumped, built
   with the same spec (``PYTHONPATH`` on the copy). Both ship the bench repository's root.
2. **Sizes.** ``release add`` N (gzip: only a base for the patch) and N+1 (xz, as the
   registry publishes): the full archive of N+1, the patch N -> N+1, and how the patch is
   made (files copied from the installed bundle, bsdiff deltas, files sent whole).
3. **Time to the new version.** A PC with frozen N installed, the reference central
   serving the repository on loopback: ``update check``, ``update download``, ``update
   apply --restart`` until the new version's window writes its first log line, each
   phase timed from outside; once by the patch and once by the full archive (the patch
   marked as failed in the PC's state, as after a patch that did not fit).
4. **Event loop lateness.** In one process: a Qt event loop with a 10 ms timer, once idle
   (baseline) and once while the network lane downloads and stages the full archive of
   N+1 through :class:`~pser_desk.update.service.UpdateService`, progress relayed to the
   GUI thread at most every 100 ms as the window does. Lateness = how late each tick
   fires; reported as median, p99 and max.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "update.json"
TMP = REPO / "bench" / "results" / "tmp" / "update"
HELP_BEFORE = '"update": "this PC updating itself: check, download, apply",'
HELP_AFTER = '"update": "this PC updating itself: check, download, apply (signed)",'


def _bump(version: str) -> str:
    parts = version.split(".")
    return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])


def sources_with_one_line_changed(target: Path, version: str) -> Path:
    shutil.copytree(REPO / "pser_desk", target / "pser_desk",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    for name in ("resources", "ui"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy2(REPO / "pser_desk.spec", target / "pser_desk.spec")
    cli = target / "pser_desk" / "cli.py"
    text = cli.read_text("utf-8")
    assert text.count(HELP_BEFORE) == 1, "the line the bench changes has moved: update HELP_BEFORE"
    cli.write_text(text.replace(HELP_BEFORE, HELP_AFTER), "utf-8")
    (target / "pser_desk" / "VERSION").write_text(version + "\n", "ascii")
    return target


def build(source: Path, out: Path, root: Path) -> float:
    started = time.perf_counter()
    env = {**os.environ, "PSER_DESK_UPDATE_ROOT": str(root), "PYTHONPATH": str(source)}
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "ERROR",
         "--distpath", str(out / "dist"), "--workpath", str(out / "build"),
         str(source / "pser_desk.spec")],
        cwd=source, env=env, check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def frozen(
    program: Path, data: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PSER_DESK_"))}
    env.update(QT_QPA_PLATFORM="offscreen", PSER_DESK_DATA_DIR=str(data))
    proc = subprocess.run([str(program), *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=data.parent, timeout=1800, check=False)  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"{args}: {proc.stderr.strip()}")
    return proc


def start_central(repo: Path, state: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pser_desk", "--data-dir", str(state / "data"), "central", "serve",
         "--port", "0", "--state", str(state), "--updates", str(repo)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())["url"]


def time_to_new_version(n_bundle: Path, url: str, newer: str, *, full: bool) -> dict[str, float]:
    """check, download, apply --restart until the new window logs; seconds per phase."""
    pc = TMP / ("pc-full" if full else "pc-patch")
    shutil.rmtree(pc, ignore_errors=True)
    program_dir = Path(shutil.copytree(n_bundle, pc / "opt" / "pser-desk", symlinks=True))
    data = pc / "data"
    data.mkdir(parents=True)
    program = program_dir / "pser-desk"
    phases: dict[str, float] = {}
    mark = time.perf_counter()
    frozen(program, data, "update", "check", "--json", "--central", url)
    phases["check_s"] = time.perf_counter() - mark
    if full:  # as after a patch that did not fit this installation
        state = data / "updates" / "state.json"
        patch = next((TMP / "repo" / "targets").rglob("*.patch")).relative_to(
            TMP / "repo" / "targets"
        )
        state.write_text(json.dumps({"failed_patches": [patch.as_posix()]}), "utf-8")
    mark = time.perf_counter()
    fetched = json.loads(
        frozen(program, data, "update", "download", "--json", "--central", url).stdout
    )
    phases["download_s"] = time.perf_counter() - mark
    phases["download_bytes"] = fetched["bytes"]
    log_file = data / "logs" / "pser-desk.log"
    mark = time.perf_counter()
    frozen(program, data, "update", "apply", "--restart")
    phases["apply_s"] = time.perf_counter() - mark
    while f"pser-desk {newer}: starting the desk" not in log_file.read_text("utf-8", "replace"):
        if time.perf_counter() - mark > 300:
            raise RuntimeError("the new version did not start")
        time.sleep(0.05)
    phases["apply_to_window_s"] = time.perf_counter() - mark
    phases["total_s"] = phases["check_s"] + phases["download_s"] + phases["apply_to_window_s"]
    phases.update(_install_steps(log_file.read_text("utf-8", "replace"), newer))
    _stop_windows(program_dir)
    return {k: round(v, 2) for k, v in phases.items()}


def _install_steps(log_text: str, version: str) -> dict[str, float]:
    """The install's own timings, from the lines update/install.py logs."""
    steps = {"staged from the": "stage_s", "self-test passed in": "self_test_s",
             "swapped in and started in": "swap_and_start_s"}  # fmt: skip
    found: dict[str, float] = {}
    for line in log_text.splitlines():
        for words, key in steps.items():
            if f"update {version}: {words}" in line:
                found[key] = float(line.rsplit(" in ", 1)[1].split()[0])
    return found


def _stop_windows(program_dir: Path) -> None:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "exe").startswith(str(program_dir)):
                    os.kill(int(entry.name), 15)
            except OSError:
                continue


def lateness(url: str, root: bytes, current: str, n_bundle: Path) -> dict[str, Any]:
    """Ticks of a 10 ms timer, idle and while the network lane downloads and stages."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication

    from pser_desk.gui.tasks import Lane, TaskRunner
    from pser_desk.update.install import Installation, stage
    from pser_desk.update.service import Setup, UpdateService

    app = QApplication.instance() or QApplication([])

    class Relay(QObject):
        progressed = Signal(int, int)

    def measure(seconds: float | None, work: Any = None) -> list[float]:
        late: list[float] = []
        clock = QElapsedTimer()
        timer = QTimer()
        timer.setInterval(10)
        done = threading.Event()
        last = [0]

        def tick() -> None:
            now = clock.elapsed()
            if last[0]:
                late.append(max(0, now - last[0] - 10))
            last[0] = now
            if (seconds is not None and now > seconds * 1000) or (
                seconds is None and done.is_set()
            ):
                timer.stop()
                app.quit()

        timer.timeout.connect(tick)
        clock.start()
        timer.start()
        if work is not None:
            work(done)
        app.exec()
        return late

    relay = Relay()
    shown: list[int] = []
    relay.progressed.connect(lambda done, total: shown.append(done))
    data = TMP / "pc-lateness"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    installation = Installation(
        Path(shutil.copytree(n_bundle, data / "opt" / "pser-desk", symlinks=True))
    )
    runner = TaskRunner()
    result: dict[str, Any] = {}

    def download_and_stage(done: threading.Event) -> None:
        service = UpdateService(Setup(data / "pc", central_url=url, current=current, root=root,
                                      installation=installation))  # fmt: skip
        sent = [0.0]

        def progress(got: int, total: int) -> None:  # on the network lane
            now = time.monotonic()
            if now - sent[0] >= 0.1 or got == total:
                sent[0] = now
                relay.progressed.emit(got, total)

        def job() -> float:
            started = time.perf_counter()
            offer = service.check()
            item = service.download(offer, progress, full=True)
            staged = stage(installation, item)
            shutil.rmtree(staged)
            return time.perf_counter() - started

        def finished(seconds: float) -> None:
            result["work_s"] = round(seconds, 2)
            done.set()

        runner.run_task(
            job, finished, lambda exc: (result.update(error=repr(exc)), done.set()), Lane.NET
        )

    idle = measure(8.0)
    busy = measure(None, download_and_stage)
    runner.shutdown()
    if "error" in result:
        raise RuntimeError(result["error"])

    def summary(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {"ticks": len(ordered), "median_ms": statistics.median(ordered),
                "p99_ms": ordered[int(len(ordered) * 0.99) - 1], "max_ms": ordered[-1]}  # fmt: skip

    return {"idle": summary(idle), "download_and_stage": summary(busy),
            "progress_updates_on_gui_thread": len(shown), **result}  # fmt: skip


def builds_and_sizes() -> dict[str, Any]:
    """Steps 1 and 2 (about 12 minutes: xz is slow); kept in TMP for ``--reuse``."""
    from pser_desk.update.manifest import scan
    from pser_desk.update.patch import plan
    from pser_desk.update.publish import Repository

    shutil.rmtree(TMP, ignore_errors=True)
    TMP.mkdir(parents=True)
    Repository.init(TMP / "repo", TMP / "keys")
    root = TMP / "root" / "root.json"
    root.parent.mkdir()
    shutil.copy2(TMP / "repo" / "metadata" / "1.root.json", root)
    n = (REPO / "pser_desk" / "VERSION").read_text("ascii").strip()
    newer = _bump(n)
    build_n = build(REPO, TMP / "n", root)
    source = sources_with_one_line_changed(TMP / "src-next", newer)
    build_next = build(source, TMP / "next", root)
    n_bundle, next_bundle = TMP / "n" / "dist" / "pser-desk", TMP / "next" / "dist" / "pser-desk"
    (TMP / "probe").mkdir()
    helped = frozen(next_bundle / "pser-desk", TMP / "probe", "--help").stdout
    assert "(signed)" in helped, "the one-line change did not reach the frozen N+1"
    repo = Repository(TMP / "repo", [TMP / "keys"])
    repo.add(n_bundle, n, compression="gz")
    started = time.perf_counter()
    added = repo.add(next_bundle, newer, compression="xz").facts
    publish_s = time.perf_counter() - started
    ops = plan(scan(n_bundle), scan(next_bundle))
    sizes = {
        "versions": [n, newer],
        "builds_s": {"n": round(build_n, 1), "n_plus_1": round(build_next, 1)},
        "one_line_change": {
            "bundle_bytes": added["full"]["tree_bytes"],
            "full_archive_xz_bytes": added["full"]["bytes"],
            "patch_bytes": added["patches"][0]["bytes"] if added["patches"] else None,
            "files_changed": sorted(p for p, op in ops.items() if op["op"] != "copy"),
            "publish_s": round(publish_s, 1),
        },
    }
    (TMP / "sizes.json").write_text(json.dumps(sizes, indent=2), "utf-8")
    return sizes


def main() -> None:
    reuse = "--reuse" in sys.argv[1:]
    sizes = json.loads((TMP / "sizes.json").read_text("utf-8")) if reuse else builds_and_sizes()
    n, newer = sizes.pop("versions")
    root = TMP / "root" / "root.json"
    n_bundle = TMP / "n" / "dist" / "pser-desk"
    shutil.rmtree(TMP / "central", ignore_errors=True)
    central, url = start_central(TMP / "repo", TMP / "central")
    try:
        by_patch = time_to_new_version(n_bundle, url, newer, full=False)
        by_full = time_to_new_version(n_bundle, url, newer, full=True)
        loop = lateness(url, root.read_bytes(), n, n_bundle)
    finally:
        central.terminate()
        central.wait(timeout=30)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        **sizes,
        "time_to_new_version": {"by_patch": by_patch, "by_full_archive": by_full},
        "event_loop_lateness": loop,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
