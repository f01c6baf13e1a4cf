"""Every page, dialog and manager screen at 1366x768, in English and in Urdu: no clipped or
elided text, no focused widget out of view (issue 15, defects 6 and 13).

The desk runs on the real store with the reference central (a manager signed in, a few
households saved and sent); each screen is shown at the size a 1366x768 screen leaves
(less a task bar and a title bar) and measured by :mod:`tests.gui.layout_check`. Every
wizard page is walked with Enter, the focus checked at each step.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from pser_desk.domain.example import example_record
from pser_desk.domain.form import load_form
from pser_desk.domain.geography import load_geography
from pser_desk.gui.wizard.model import split_record
from tests.gui.layout_check import clipped_text, focus_out_of_view
from tests.gui.test_desk_store import keyboard_sign_in
from tests.plugins.gui import MANAGER

pytestmark = [pytest.mark.gui, pytest.mark.slow]

WORK_AREA = (1366, 698)  # 1366x768 less a 40 px task bar and a 30 px title bar


@pytest.fixture
def desk(qtbot, store_desk, make_controller, wait_idle, data_dir):
    from pser_desk.gui.manager import install_manager_screens

    controller = make_controller(store_desk, registration=True)
    controller.manager_screens = install_manager_screens(controller)  # as app.py does
    controller.slips.output_file = str(data_dir / "slip.pdf")
    controller.start()
    wait_idle()
    keyboard_sign_in(qtbot, controller, wait_idle, MANAGER[0], MANAGER[2])
    form, geography = load_form(), load_geography()
    for seed in (61, 62, 63):
        record = example_record(seed, form, geography, date.today())
        store_desk.queue(controller.login, record)
    store_desk.desk.sending.send_now()
    wait_idle()
    controller.window.resize(*WORK_AREA)
    controller.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is controller.window, timeout=5000)
    return controller


def _settle(qtbot) -> None:
    qtbot.wait(30)


def _check(window: QWidget, where: str, problems: list[str]) -> None:
    problems += [f"{where}: {c}" for c in clipped_text(window)]
    least = window.minimumSizeHint()
    if least.height() > WORK_AREA[1] or least.width() > WORK_AREA[0]:
        problems.append(f"{where}: needs at least {least.width()}x{least.height()}")
    hidden = focus_out_of_view(window)
    if hidden:
        problems.append(f"{where}: focus {hidden}")


def _walk_page(qtbot, wizard, window, where: str, problems: list[str]) -> None:
    """Enter through every question of the page shown, checking at each step."""
    page = wizard.currentPage()
    for _ in range(40):
        _settle(qtbot)
        _check(window, where, problems)
        focus = QApplication.focusWidget()
        if wizard.currentPage() is not page or focus is None or not page.isAncestorOf(focus):
            return
        QTest.keyClick(focus, Qt.Key.Key_Return)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_screen_fits_1366x768_without_clipping(
    qtbot, desk, store_desk, wait_idle, language, data_dir
) -> None:
    problems: list[str] = []
    desk.set_language(language)
    window = desk.window
    window.resize(*WORK_AREA)
    for name, show in (("dashboard", desk.show_dashboard), ("drafts", desk.show_drafts),
                       ("records", desk.show_records)):  # fmt: skip
        show()
        wait_idle()
        _settle(qtbot)
        _check(window, name, problems)

    desk.show_registration()
    wizard = desk.registration.wizard
    record = example_record(64, wizard.form, wizard.geography, date.today())
    values, members = split_record(wizard.form, record)
    values["permanent_same_as_current"] = "no"  # the longest address page
    wizard.load(values, members)
    for section_page in wizard.section_pages:
        where = f"wizard {section_page.section.id}"
        assert wizard.currentPage() is section_page
        assert window.height() <= WORK_AREA[1], where
        _walk_page(qtbot, wizard, window, where, problems)
        while wizard.currentPage() is section_page:
            wizard.next()
    _settle(qtbot)
    _check(window, "review", problems)

    for name, dialog in _dialogs(qtbot, desk, store_desk, wait_idle):
        size = dialog.frameGeometry().size()
        if size.width() > WORK_AREA[0] or size.height() > WORK_AREA[1]:
            problems.append(f"{name}: {size.width()}x{size.height()} is larger than the screen")
        _check(dialog, name, problems)
        dialog.close()
    assert problems == [], "\n".join(problems)


def _dialogs(qtbot, desk, store_desk, wait_idle):
    """Each dialog of the desk and each manager screen, shown and filled."""
    from pser_desk.gui.settings_dialog import SettingsDialog

    screens = desk.manager_screens
    for name in ("operators", "enrolment", "settings", "audit", "report"):
        dialog = screens.open(name)
        assert dialog is not None, name
        wait_idle()
        if name == "report":
            dialog.build()
            wait_idle(60_000)
        if name == "audit":
            dialog.verify()
            wait_idle()
        _settle(qtbot)
        yield f"manager {name}", dialog
        wait_idle()
        qtbot.waitUntil(lambda: screens.dialog is None, timeout=2000)

    settings = SettingsDialog(desk.settings, desk.window)
    settings.show()
    _settle(qtbot)
    yield "settings", settings

    desk.settings = dataclasses.replace(desk.settings, printer="")
    desk.slips.output_file = None
    [item, *_] = store_desk.desk.records.recent(desk.login)
    desk.slips.print_slip(desk.login, item.receipt_no)
    qtbot.waitUntil(lambda: desk.slips.preview is not None, timeout=30_000)
    _settle(qtbot)
    yield "slip preview", desk.slips.preview

    desk.lock()
    login = desk.login_dialog
    assert isinstance(login, QDialog)
    login.ui.operatorEdit.setText(MANAGER[0])
    _settle(qtbot)
    yield "sign-in", login


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_dashboard_with_rejections_and_centrals_notice_fits(
    qtbot, desk, store_desk, central_server, wait_idle, language
) -> None:
    """Issue 16's lines on the manager's dashboard (central's notice, update required, who
    sends, the households central rejected): in Urdu the page grew taller than the screen
    and the rejected households' list showed part of one row."""
    import json

    from tests.gui.test_loop_window import _decided

    (central_server.state_dir / "central-config.json").write_text(json.dumps(
        {"message": {"en": "Office closed on Friday", "ur": "جمعہ کو دفتر بند رہے گا"},
         "min_app_version": "99.0"}), encoding="utf-8")  # fmt: skip
    _decided(store_desk, central_server)
    desk.set_language(language)
    window = desk.window
    window.resize(*WORK_AREA)
    desk.show_dashboard()
    page = desk.dashboard
    page.refresh()
    wait_idle()
    qtbot.waitUntil(lambda: page.data is not None and len(page.data.rejections) == 2)
    _settle(qtbot)
    problems: list[str] = []
    _check(window, "dashboard", problems)
    assert problems == [], "\n".join(problems)
    assert window.height() <= WORK_AREA[1]
    table = page.rejections.table
    assert table.viewport().height() >= table.rowHeight(0) + table.rowHeight(1)  # rows whole
    for button in (page.rejections.redo_button, page.ui.newButton):  # reached by the keyboard
        button.setFocus()
        _settle(qtbot)
        assert focus_out_of_view(window) is None, button.objectName()
