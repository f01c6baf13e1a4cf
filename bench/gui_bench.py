"""GUI benchmark: cold start to the login window, memory after ten registrations, key latency.

- Cold start: ``pser-desk --startup-probe`` (the real desk, demo services, offscreen) from
  process spawn to "login shown", against a bare PySide6 window started the same way in
  the same run (target: at most 2x). Median of N interleaved runs after one warm-up each. Also
  reported: spawn to "ready" (the store is open behind the window and a sign-in runs).
- Memory: resident set after ten households saved through the wizard on the real store,
  sent to the embedded reference central and their slips printed into PDFs (target <=
  300 MB).
- Key latency: a key pressed in the wizard's name field until the field has repainted
  (p50/p99 over 200 keys), against a bare QLineEdit measured the same way.

    .venv/bin/python -m bench.gui_bench [--runs N]

Results: bench/results/gui.json (quoted in docs/performance.md, "## GUI").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "gui.json"
BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
w = QLabel("hello"); w.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""


def _spawn_until_lines(args: list[str], env: dict[str, str], lines: int = 1) -> list[float]:
    """Seconds from spawning *args* until each of its first *lines* stdout lines."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    seen: list[float] = []
    for _ in range(lines):
        line = proc.stdout.readline()
        if not line or "not ready" in line:
            proc.kill()
            raise RuntimeError(f"{args[:3]} printed {line!r}")
        seen.append(time.perf_counter() - started)
    proc.wait(timeout=120)
    proc.stdout.close()
    return seen


def cold_start(runs: int) -> dict[str, Any]:
    """Spawn to the sign-in window (and to a desk that can sign in), against a bare window.

    The package's byte-code is compiled first, as ``scripts/setup.sh`` (and a wheel or the
    frozen bundle) has it: PySide6's own is compiled at install, so both sides start alike.
    """
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "pser_desk"), quiet=1)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as tmp:
        desk = [sys.executable, "-m", "pser_desk", "--data-dir", tmp, "--startup-probe"]
        bare = [sys.executable, "-c", BARE_WINDOW]
        _spawn_until_lines(desk, env, 2)  # warm-up: the first run makes the demo's keys
        _spawn_until_lines(bare, env)
        desk_runs: list[list[float]] = []
        bare_s: list[float] = []
        for _ in range(runs):  # interleaved, so that the machine's moods hit both alike
            desk_runs.append(_spawn_until_lines(desk, env, 2))
            bare_s.append(_spawn_until_lines(bare, env)[0])
    login_m = statistics.median(r[0] for r in desk_runs)
    ready_m = statistics.median(r[1] for r in desk_runs)
    bare_m = statistics.median(bare_s)
    return {"desk_s": round(login_m, 3), "bare_window_s": round(bare_m, 3),
            "ratio": round(login_m / bare_m, 2), "runs": runs, "target_ratio": 2.0,
            "desk_ready_s": round(ready_m, 3),
            "ready_ratio": round(ready_m / bare_m, 2)}  # fmt: skip


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _spin(qt_app: Any, until: Any, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the desk did not get there in time")
        qt_app.processEvents()
        time.sleep(0.005)


def desk_session() -> dict[str, Any]:
    """Ten registrations on the real desk, then key latency with the wizard open."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pser_desk import app
    from pser_desk.commands.base import Context
    from pser_desk.domain.example import example_record
    from pser_desk.domain.form import load_form
    from pser_desk.domain.geography import load_geography

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    form, geography = load_form(), load_geography()
    with tempfile.TemporaryDirectory() as tmp:
        services = app.build_services(Context(data_dir=Path(tmp)), demo=True)
        controller = app.build_controller(services)
        try:
            controller.start()
            _spin(qt_app, lambda: controller.login_dialog is not None)
            dialog = controller.login_dialog
            dialog.ui.operatorEdit.setText(app.DEMO_MANAGER[0])
            dialog.ui.passwordEdit.setText(app.DEMO_MANAGER[1])
            dialog.ui.loginButton.click()
            _spin(qt_app, lambda: controller.login is not None)
            controller.slips.output_file = str(Path(tmp) / "slips.pdf")
            page = controller.registration
            controller.show_registration()
            rss_before = _rss_mb()
            printed: list[Any] = []
            controller.slips.printed.connect(printed.append)
            for seed in range(10):
                record = example_record(seed, form, geography, date.today())
                page.open_record(str(uuid.uuid4()), record)
                page.wizard.finish_requested.emit()
                _spin(qt_app, lambda n=seed + 1: len(printed) >= n)
            _spin(qt_app, lambda: (controller.dashboard.data is not None and
                                   controller.dashboard.data.counts.get("acknowledged") == 10),
                  60)  # fmt: skip
            rss_after = _rss_mb()
            latency = key_latency(qt_app, page.wizard.forms["name"].editor("name").edit)
        finally:
            controller.shutdown()
            services.close()
    from PySide6.QtWidgets import QLineEdit

    bare = QLineEdit()
    bare.resize(400, 30)
    bare.show()
    baseline = key_latency(qt_app, bare)
    return {
        "rss_mb_signed_in": round(rss_before, 1),
        "rss_mb_after_10_registrations": round(rss_after, 1),
        "rss_target_mb": 300,
        "key_to_repaint_ms": latency,
        "bare_line_edit_key_to_repaint_ms": baseline,
    }


def key_latency(qt_app: Any, edit: Any, keys: int = 200) -> dict[str, float]:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest

    class PaintWatch(QObject):
        painted = 0

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.painted += 1
            return False

    window = edit.window()
    window.show()
    edit.setFocus()
    watch = PaintWatch()
    edit.installEventFilter(watch)
    samples: list[float] = []
    for i in range(keys):
        if i % 40 == 0:
            edit.clear()
            qt_app.processEvents()
        before = watch.painted
        started = time.perf_counter()
        QTest.keyClick(edit, Qt.Key.Key_A if i % 2 else Qt.Key.Key_B)
        while watch.painted == before:
            qt_app.processEvents()
            if time.perf_counter() - started > 2:
                break
        samples.append((time.perf_counter() - started) * 1000)
    edit.removeEventFilter(watch)
    samples.sort()
    return {"p50": round(samples[len(samples) // 2], 2),
            "p99": round(samples[int(len(samples) * 0.99) - 1], 2)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "cold_start": cold_start(args.runs),
        **desk_session(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
