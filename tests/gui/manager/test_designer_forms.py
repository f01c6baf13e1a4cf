"""The manager screens take their layout from ui/manager_*.ui: tab order, words, Urdu."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QWidget

from pser_desk.desk.settings import DeskSettings
from pser_desk.gui.forms.ui_manager_audit import Ui_AuditDialog
from pser_desk.gui.forms.ui_manager_enrolment import Ui_EnrolmentDialog
from pser_desk.gui.forms.ui_manager_operators import Ui_OperatorsDialog
from pser_desk.gui.forms.ui_manager_report import Ui_ReportDialog
from pser_desk.gui.forms.ui_manager_settings import Ui_ManagerSettingsDialog
from pser_desk.gui.manager.audit import AuditDialog
from pser_desk.gui.manager.enrolment import EnrolmentDialog
from pser_desk.gui.manager.operators import OperatorsDialog
from pser_desk.gui.manager.report import ReportDialog
from pser_desk.gui.manager.settings_page import ManagerSettingsDialog

pytestmark = pytest.mark.gui

# The Tab order of every screen, as it was when the screens were built in code.
TAB_ORDER = {
    OperatorsDialog: ["operatorsTable", "disableButton", "newIdEdit", "newNameEdit",
                      "newRoleCombo", "newPasswordEdit", "newRepeatEdit", "addButton",
                      "resetPasswordEdit", "resetRepeatEdit", "resetButton", "closeButton"],
    EnrolmentDialog: ["reenrolUrlEdit", "reenrolCentreEdit", "reenrolTokenEdit",
                      "reenrolButton", "closeButton"],
    AuditDialog: ["auditTable", "verifyButton", "closeButton"],
    ReportDialog: ["periodCombo", "reportDateEdit", "showReportButton", "closeButton",
                   "previewScroll"],
    ManagerSettingsDialog: ["caBundleEdit", "pinEdit", "printerCombo",
                            "paperCombo", "cameraCombo", "languageCombo", "idleSpin",
                            "saveSettingsButton", "cancelButton"],
}  # fmt: skip
FORMS = {
    OperatorsDialog: Ui_OperatorsDialog,
    EnrolmentDialog: Ui_EnrolmentDialog,
    AuditDialog: Ui_AuditDialog,
    ReportDialog: Ui_ReportDialog,
    ManagerSettingsDialog: Ui_ManagerSettingsDialog,
}


def _tab_chain(dialog: QWidget) -> list[str]:
    """The named widgets Tab visits, in order (inner editors of spin boxes left out)."""
    names: list[str] = []
    widget = dialog.nextInFocusChain()
    while widget is not dialog:
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if takes_tab and widget.isVisibleTo(dialog) and widget.isEnabled():
            name = widget.objectName()
            if name and not name.startswith("qt_"):
                names.append(name)
        widget = widget.nextInFocusChain()
    return names


@pytest.fixture
def screens(qtbot, desk, runner, manager_login, kit, wait_idle) -> Iterator[dict[type, Any]]:
    kit.enrol("LHR-0042")
    made: dict[type, Any] = {}
    for kind in (OperatorsDialog, EnrolmentDialog, AuditDialog, ReportDialog):
        made[kind] = kind(desk, runner, manager_login)
    made[ManagerSettingsDialog] = ManagerSettingsDialog(DeskSettings(paper="80mm"))
    for dialog in made.values():
        dialog.show()
    wait_idle()
    yield made
    # Deleted here, on the GUI thread: left to the garbage collector, the last reference
    # to a parentless dialog may go on a runner's thread, which must never delete a widget.
    for dialog in made.values():
        dialog.close()
        dialog.deleteLater()
    made.clear()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_every_screen_is_laid_out_by_its_designer_file_with_the_same_tab_order(screens) -> None:
    for kind, dialog in screens.items():
        assert isinstance(dialog.ui, FORMS[kind]), kind.__name__
        assert dialog.objectName() == kind.__name__
        assert _tab_chain(dialog) == TAB_ORDER[kind], kind.__name__
    operators = screens[OperatorsDialog]
    assert operators.id_edit is operators.ui.newIdEdit
    assert operators.message.objectName() == "managerMessage"
    assert screens[ManagerSettingsDialog].paper_combo.currentIndex() == 1  # 80 mm kept


def test_the_words_from_the_designer_files_follow_the_language(qtbot, screens, languages) -> None:
    operators, report = screens[OperatorsDialog], screens[ReportDialog]
    settings = screens[ManagerSettingsDialog]
    operators.role_combo.setCurrentIndex(1)
    report.period_combo.setCurrentIndex(2)
    english = {kind: dialog.windowTitle() for kind, dialog in screens.items()}
    assert operators.ui.addGroup.title() == "Add an operator"
    assert operators.table.horizontalHeaderItem(3).text() == "State"

    assert languages.set_language("ur")
    qtbot.waitUntil(lambda: operators.windowTitle() != english[OperatorsDialog])
    for kind, dialog in screens.items():
        assert dialog.windowTitle() not in ("", english[kind]), kind.__name__
        assert dialog.isRightToLeft(), kind.__name__
    assert operators.ui.addGroup.title() != "Add an operator"
    assert operators.table.horizontalHeaderItem(3).text() != "State"
    assert operators.role_combo.currentIndex() == 1  # the choices kept through the switch
    assert report.period_combo.currentIndex() == 2
    assert settings.paper_combo.currentIndex() == 1
    assert settings.language_combo.itemText(1) == "اردو"
    assert report.date_edit.layoutDirection() == Qt.LayoutDirection.LeftToRight  # dd-mm-yyyy

    languages.set_language("en")
    qtbot.waitUntil(lambda: operators.windowTitle() == english[OperatorsDialog])
    assert {kind: dialog.windowTitle() for kind, dialog in screens.items()} == english
    assert operators.ui.addGroup.title() == "Add an operator"
    assert operators.table.horizontalHeaderItem(3).text() == "State"
