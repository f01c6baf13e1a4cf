"""The desk stays calm: a slow central, an unexpected error, a damaged database, the demo."""

from __future__ import annotations

import time
from datetime import date

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer

from pser_desk import app
from pser_desk.central.faults import parse_faults
from pser_desk.commands.base import Context
from pser_desk.desk.model import LoginOutcome
from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.crash import CRASH_DIR, install_crash_handler
from tests.gui.test_desk_store import keyboard_sign_in
from tests.plugins.gui import OPERATOR

pytestmark = pytest.mark.gui

SECRET_NAME = "Zarina Bibi Qureshi"
SECRET_CNIC = "3520212345671"


def _household() -> dict:
    return example_record(3, load_form(), load_geography(), date.today())


@pytest.fixture
def signed_in(qtbot, store_desk, make_controller, wait_idle):
    controller = make_controller(store_desk, registration=True)
    controller.start()
    wait_idle()
    keyboard_sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    assert controller.login.outcome is LoginOutcome.OK
    qtbot.waitUntil(lambda: not controller.sync.busy, timeout=10_000)
    wait_idle()
    return controller


def test_the_window_keeps_answering_while_a_slow_central_takes_the_queue(
    qtbot, signed_in, store_desk, wait_idle
) -> None:
    store_desk.queue(signed_in.login, _household())
    store_desk.central.server.set_faults(parse_faults("slow=1,slow_s=5"))
    lateness: list[float] = []
    clock = QElapsedTimer()
    ping = QTimer()
    ping.setInterval(50)

    def on_ping() -> None:
        lateness.append(clock.restart() - 50)

    ping.timeout.connect(on_ping)
    clock.start()
    ping.start()
    started = time.monotonic()
    signed_in.sync.send_now()
    qtbot.waitUntil(lambda: signed_in.sync.busy, timeout=2000)
    qtbot.wait(3000)  # the pass is on the wire the whole time
    assert signed_in.sync.busy
    assert signed_in.dashboard.ui.sendButton.isEnabled() is False
    ping.stop()
    assert len(lateness) > 40
    assert max(lateness) < 200, f"the event loop stalled {max(lateness):.0f} ms"
    qtbot.waitUntil(lambda: not signed_in.sync.busy, timeout=20_000)
    assert time.monotonic() - started >= 4.5  # it really was slow
    qtbot.waitUntil(
        lambda: (signed_in.dashboard.data.counts.get("acknowledged") or 0) == 1, timeout=10_000
    )
    wait_idle()


def _fail_with_personal_data() -> None:
    name, cnic = SECRET_NAME, SECRET_CNIC  # locals a careless report would dump
    raise ValueError(f"bad household {name} {cnic}")


@pytest.mark.allow_log_warnings  # the error is logged (its type only)
def test_an_unexpected_error_saves_the_draft_and_writes_a_report_without_personal_data(
    qtbot, signed_in, store_desk, data_dir, wait_idle, caplog
) -> None:
    handler = install_crash_handler(signed_in, data_dir)
    try:
        signed_in.show_registration()
        page = signed_in.registration
        edit = page.wizard.forms["name"].editor("name").edit
        edit.setText(SECRET_NAME)
        edit.textEdited.emit(SECRET_NAME)  # as typed: the page marks the draft unsaved
        page._timer.stop()  # no autosave: the crash handler must save it
        with qtbot.waitSignal(page.draft_saved, timeout=5000):
            try:
                _fail_with_personal_data()
            except ValueError as exc:
                handler._on_exception(type(exc), exc, exc.__traceback__)
        qtbot.waitUntil(lambda: getattr(handler, "dialog", None) is not None, timeout=5000)
        assert handler.dialog.isVisible()
        [report] = (data_dir / CRASH_DIR).glob("crash-*.txt")
        text = report.read_text(encoding="utf-8")
        assert "builtins.ValueError" in text
        assert "_fail_with_personal_data" in text
        for secret in (SECRET_NAME, "Zarina", SECRET_CNIC, "35202"):
            assert secret not in text
        draft = store_desk.load_draft(signed_in.login, page.submission_id)
        assert draft["head"]["name"] == SECRET_NAME
        logged = " ".join(r.getMessage() for r in caplog.records)
        assert "ValueError" in logged
        assert SECRET_NAME not in logged
        assert SECRET_CNIC not in logged
        handler.dialog.done(0)
    finally:
        handler.uninstall()
    wait_idle()


@pytest.mark.allow_log_warnings  # the refusal is logged (the error's type only)
def test_a_damaged_database_stops_the_start_with_the_restore_command(data_dir) -> None:
    data_dir.mkdir(parents=True)
    damaged = b"this is no database " * 500
    (data_dir / "pser.db").write_bytes(damaged)
    with pytest.raises(app.StartupError) as raised:
        app.build_services(Context(data_dir=data_dir), demo=False)
    assert raised.value.code == "store.corrupt"
    assert "pser-desk restore" in raised.value.detail
    assert (data_dir / "pser.db").read_bytes() == damaged  # never replaced by an empty one


def test_the_demo_enrols_with_its_own_central_and_follows_it_to_a_new_port(data_dir) -> None:
    ctx = Context(data_dir=data_dir)
    first = app.build_services(ctx, demo=True)
    try:
        desk = first.desk
        assert desk.enrolment.is_enrolled()
        login = desk.sessions.login(*app.DEMO_MANAGER)
        assert login.outcome is LoginOutcome.OK
        desk.records.add(login, _household())
        assert desk.sending.send_now() == 1
        first_url = first.demo_url
    finally:
        first.close()
    second = app.build_services(ctx, demo=True)
    try:
        assert second.demo_url != first_url
        identity = second.desk.enrolment.require()
        assert identity.central_url == second.demo_url
        login = second.desk.sessions.login(*app.DEMO_MANAGER)
        [item] = second.desk.records.recent(login)
        assert item.state == "acknowledged"
    finally:
        second.close()
