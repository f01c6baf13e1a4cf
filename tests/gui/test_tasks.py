"""The task runner: work runs off the GUI thread and its result comes back on it."""

from __future__ import annotations

import threading

import pytest

from pser_desk.gui.tasks import Lane, SyncTaskRunner

pytestmark = pytest.mark.gui


def test_result_is_delivered_on_the_gui_thread(runner, wait_idle) -> None:
    gui_thread = threading.current_thread()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.current_thread()
        return 42

    runner.run_task(work, lambda value: seen.update(value=value, done=threading.current_thread()))
    wait_idle()
    assert seen["value"] == 42
    assert seen["worker"] is not gui_thread
    assert seen["done"] is gui_thread


def test_error_goes_to_on_error(runner, wait_idle) -> None:
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("nope")

    runner.run_task(boom, lambda _v: pytest.fail("on_done called"), errors.append)
    wait_idle()
    assert [type(e) for e in errors] == [ValueError]


def test_lanes_are_separate_threads_and_each_keeps_order(runner, wait_idle) -> None:
    names: dict[Lane, set[str]] = {Lane.DB: set(), Lane.NET: set()}
    order: list[int] = []
    for i in range(5):
        runner.run_task(lambda i=i: (order.append(i), threading.current_thread().name)[1],
                        names[Lane.DB].add, lane=Lane.DB)  # fmt: skip
    runner.run_task(lambda: threading.current_thread().name, names[Lane.NET].add, lane=Lane.NET)
    wait_idle()
    assert order == [0, 1, 2, 3, 4]
    assert len(names[Lane.DB]) == 1
    assert len(names[Lane.NET]) == 1
    assert names[Lane.DB] != names[Lane.NET]


def test_gui_keeps_running_while_a_slow_task_runs(runner, qtbot, wait_idle) -> None:
    gate = threading.Event()
    runner.run_task(lambda: gate.wait(5))
    ticks: list[int] = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=3000)
    timer.stop()
    gate.set()
    wait_idle()


def test_shut_down_runner_drops_new_tasks(runner) -> None:
    runner.shutdown()
    runner.run_task(lambda: pytest.fail("ran after shutdown"))
    assert runner.pending == 0


def test_sync_runner_runs_at_once() -> None:
    sync = SyncTaskRunner()
    got: list[object] = []
    sync.run_task(lambda: 7, got.append)
    sync.run_task(lambda: 1 / 0, None, got.append)
    assert got[0] == 7
    assert isinstance(got[1], ZeroDivisionError)


class _Owned:
    """Stands for a widget a task captured: records the thread that finally drops it."""

    released_on: list[str] = []

    def __init__(self, name: str) -> None:
        self.name = name

    def on_done(self, _value: object) -> None:
        return None

    def on_error(self, _exc: BaseException) -> None:
        return None

    def __del__(self) -> None:
        _Owned.released_on.append(f"{self.name}@{threading.current_thread().name}")


def test_what_a_task_captured_is_released_on_the_gui_thread(runner, wait_idle) -> None:
    """Deleting a widget on a worker thread crashes Qt: the runner makes sure the last
    reference to anything a task or its callbacks hold goes on the GUI thread, also when
    the task raised (its frames would keep their locals) and on every lane."""
    gui = threading.current_thread().name
    _Owned.released_on.clear()
    rounds = 30
    for n in range(rounds):
        in_task, in_callback, in_frame = _Owned(f"task{n}"), _Owned(f"cb{n}"), _Owned(f"f{n}")

        def work(held: _Owned = in_task) -> str:
            return held.name

        def failing(local: _Owned = in_frame) -> None:
            kept = local  # a local of the failing frame
            raise ValueError(kept.name)

        lane = list(Lane)[n % len(Lane)]
        runner.run_task(work, in_callback.on_done, in_callback.on_error, lane=lane)
        runner.run_task(failing, in_callback.on_done, in_callback.on_error, lane=lane)
        del work, failing, in_task, in_callback, in_frame
    wait_idle()
    import gc

    gc.collect()
    assert len(_Owned.released_on) == 3 * rounds
    off_gui = [entry for entry in _Owned.released_on if not entry.endswith(f"@{gui}")]
    assert off_gui == []
