"""The main window: menus with a shortcut for every action, the pages, the status line."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QWidget,
)

from pser_desk import __version__
from pser_desk.desk.model import LoginResult
from pser_desk.gui.forms.ui_main_window import Ui_MainWindow
from pser_desk.gui.screen_fit import fit_to_screen


class MainWindow(QMainWindow):
    lock_requested = Signal()
    switch_requested = Signal()
    language_requested = Signal(str)
    settings_requested = Signal()
    send_requested = Signal()
    new_registration_requested = Signal()
    dashboard_requested = Signal()
    drafts_requested = Signal()
    records_requested = Signal()
    closing = Signal()

    def __init__(self, demo_credentials: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self._demo = demo_credentials
        self._login: LoginResult | None = None
        self._operator_label = QLabel(self)
        self._operator_label.setObjectName("operatorStatus")
        self.ui.statusBar.addPermanentWidget(self._operator_label)
        self.ui.bannerLabel.setObjectName("demoBanner")
        self.ui.bannerLabel.setVisible(demo_credentials is not None)
        self._language_group = QActionGroup(self)
        self._language_group.addAction(self.ui.actionEnglish)
        self._language_group.addAction(self.ui.actionUrdu)
        self.ui.actionEnglish.setChecked(True)
        self.action_drafts = QAction(self)
        self.action_drafts.setObjectName("actionDrafts")
        self.action_drafts.setShortcut(QKeySequence("F7"))
        self.action_records = QAction(self)
        self.action_records.setObjectName("actionRecords")
        self.action_records.setShortcut(QKeySequence("F8"))
        before = self.ui.actionSendNow
        self.ui.menuDesk.insertAction(before, self.action_drafts)
        self.ui.menuDesk.insertAction(before, self.action_records)
        self._scrolled: dict[QWidget, QScrollArea] = {}
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._connect_actions()
        self._retranslate_dynamic()

    def _connect_actions(self) -> None:
        ui = self.ui
        ui.actionLock.triggered.connect(self.lock_requested)
        ui.actionSwitchOperator.triggered.connect(self.switch_requested)
        ui.actionQuit.triggered.connect(self.close)
        ui.actionSettings.triggered.connect(self.settings_requested)
        ui.actionSendNow.triggered.connect(self.send_requested)
        ui.actionNewRegistration.triggered.connect(self.new_registration_requested)
        ui.actionDashboard.triggered.connect(self.dashboard_requested)
        ui.actionEnglish.triggered.connect(lambda: self.language_requested.emit("en"))
        ui.actionUrdu.triggered.connect(lambda: self.language_requested.emit("ur"))
        ui.actionAbout.triggered.connect(self._on_about_triggered)
        self.action_drafts.triggered.connect(self.drafts_requested)
        self.action_records.triggered.connect(self.records_requested)

    def fit_to_screen(self) -> None:
        """Never taller or wider than the screen's free area (1366x768 with a task bar:
        the status line was off-screen), title bar included; placed inside it."""
        fit_to_screen(self)
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.left() + max(0, (area.width() - self.frameGeometry().width()) // 2),
                      area.top())  # fmt: skip

    def show_as_last_time(self, maximized: bool) -> None:
        """Shown inside the screen, maximised if it was when the desk last closed."""
        if not self.isVisible():
            self.fit_to_screen()
            if maximized:
                self.showMaximized()
        self.show()

    def add_page(self, page: QWidget, *, scrolled: bool = False) -> None:
        """*scrolled*: the page scrolls when it is taller than the window (the dashboard,
        whose lines and lists grow with what central says; Urdu rows are twice as tall),
        so that it never makes the window taller than the screen."""
        if not scrolled:
            self.ui.pages.addWidget(page)
            return
        area = QScrollArea(self.ui.pages)
        area.setObjectName(f"{page.objectName() or 'page'}Scroll")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(page)
        self._scrolled[page] = area
        self.ui.pages.addWidget(area)

    def show_page(self, page: QWidget) -> None:
        self.ui.pages.setCurrentWidget(self._scrolled.get(page, page))

    def current_page(self) -> QWidget | None:
        shown = self.ui.pages.currentWidget()
        return shown.widget() if isinstance(shown, QScrollArea) else shown

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The widget the keyboard reaches on a scrolled page comes into view."""
        for area in self._scrolled.values():
            if new is not None and area.isAncestorOf(new):
                area.ensureWidgetVisible(new)

    def set_language_checked(self, language: str) -> None:
        (self.ui.actionUrdu if language == "ur" else self.ui.actionEnglish).setChecked(True)

    def set_login(self, login: LoginResult | None) -> None:
        self._login = login
        self._retranslate_dynamic()

    def set_locked(self, locked: bool) -> None:
        """Hide everything on screen while the session is locked."""
        self.ui.centralWidget.setVisible(not locked)
        for action in self.actions_needing_login():
            action.setEnabled(not locked)

    def actions_needing_login(self) -> list[QAction]:
        ui = self.ui
        return [
            ui.actionDashboard, ui.actionNewRegistration, ui.actionSendNow, ui.actionLock,
            ui.actionSwitchOperator, ui.actionSettings, self.action_drafts, self.action_records,
        ]  # fmt: skip

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About PSER Desk"),
            self.tr("PSER Desk %1: the registration-centre client of the Punjab "
                    "Socio-Economic Registry.").replace("%1", __version__),
        )  # fmt: skip

    def _retranslate_dynamic(self) -> None:
        self.action_drafts.setText(self.tr("&Drafts"))
        self.action_records.setText(self.tr("&Records"))
        if self._demo is not None:
            self.ui.bannerLabel.setText(
                self.tr("DEMO: nothing here is real. Sign in as %1 with the password %2.")
                .replace("%1", self._demo[0])
                .replace("%2", self._demo[1])
            )
        op = self._login.operator if self._login else None
        self._operator_label.setText(
            self.tr("Operator: %1").replace("%1", op.operator_id) if op else self.tr("Signed out")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._retranslate_dynamic()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
