"""The dashboard: today's work, the queue, the connection, records to correct; the
district office's notice, an update required, who sends the queue, and (for a manager)
the households central rejected, each with central's reason in words, to register again
or mark dealt with.

Figures are loaded on the database lane; the page only shows what comes back.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidgetItem, QWidget

from pser_desk.desk.model import DashboardData, LoginResult, RecordItem, SenderNow
from pser_desk.desk.protocol import DashboardApi
from pser_desk.gui.forms.ui_dashboard_page import Ui_DashboardPage
from pser_desk.gui.record_texts import problem_text, state_text
from pser_desk.gui.rejections import RejectionsPanel
from pser_desk.gui.tasks import Runner

log = logging.getLogger(__name__)

WAITING_STATES = ("queued", "sending")
PROBLEM_STATES = ("needs_correction", "duplicate", "failed")


def age_parts(seconds: float) -> tuple[int, int, int]:
    """(days, hours, minutes) of an age in seconds."""
    minutes = int(seconds // 60)
    return minutes // 1440, (minutes // 60) % 24, minutes % 60


class DashboardPage(QWidget):
    new_registration_requested = Signal()
    send_requested = Signal()
    correction_requested = Signal(str)  # submission id
    redo_requested = Signal(str)  # a rejected household's submission id: register it again
    dismiss_requested = Signal(str)  # a rejected household's submission id: dealt with
    refreshed = Signal()

    def __init__(
        self, figures: DashboardApi, runner: Runner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_DashboardPage()
        self.ui.setupUi(self)
        self._figures = figures
        self._runner = runner
        self._login: LoginResult | None = None
        self._data: DashboardData | None = None
        self._loading = False
        table = self.ui.correctionsTable
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)
        self.ui.newButton.clicked.connect(self.new_registration_requested)
        self.ui.refreshButton.clicked.connect(self.refresh)
        self.ui.sendButton.clicked.connect(self.send_requested)
        table.itemActivated.connect(self._on_corrections_item_activated)
        self._sending = False
        self._add_loop_widgets()
        self._retranslate_dynamic()

    def _add_loop_widgets(self) -> None:
        """Central's notice, the update flag and who sends above the figures; the
        rejected households under the corrections."""
        layout = self.ui.mainLayout
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("noticeLabel")
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet("background: #fff4ce; padding: 6px;")
        self.update_label = QLabel(self)
        self.update_label.setObjectName("updateLabel")
        self.update_label.setStyleSheet("color: #a4262c; font-weight: bold;")
        self.sender_label = QLabel(self)
        self.sender_label.setObjectName("senderLabel")
        layout.insertWidget(1, self.notice_label)
        layout.insertWidget(2, self.update_label)
        layout.insertWidget(3, self.sender_label)
        self.rejections = RejectionsPanel(self)
        self.rejections.redo_requested.connect(self.redo_requested)
        self.rejections.dismiss_requested.connect(self.dismiss_requested)
        layout.insertWidget(layout.indexOf(self.ui.correctionsTable) + 1, self.rejections)

    @property
    def data(self) -> DashboardData | None:
        return self._data

    def set_login(self, login: LoginResult | None) -> None:
        self._login = login
        self._retranslate_dynamic()

    def refresh(self) -> None:
        if self._login is None or self._loading:
            return
        self._loading = True
        login = self._login
        self._runner.run_task(
            lambda: self._figures.figures(login), self._on_loaded, self._on_load_error
        )

    def _on_loaded(self, data: DashboardData) -> None:
        self._loading = False
        self._data = data
        self._show()
        self.refreshed.emit()

    def _on_load_error(self, exc: BaseException) -> None:
        self._loading = False
        log.error("dashboard figures could not be loaded: %s", exc.__class__.__name__)

    def pass_finished(self, _attempted: int) -> None:
        """A pass of the sender ended: the figures as they are now."""
        self.set_sending(False)
        self.refresh()

    def set_sending(self, sending: bool) -> None:
        """A pass is on the wire: the button waits, the indicator says so."""
        self._sending = sending
        self.ui.sendButton.setEnabled(not sending)
        self._show()

    def _on_corrections_item_activated(self, item: QTableWidgetItem) -> None:
        rows = self._attention()
        if 0 <= item.row() < len(rows) and rows[item.row()].state == "needs_correction":
            self.correction_requested.emit(rows[item.row()].submission_id)

    def _attention(self) -> list[RecordItem]:
        """Every record that needs someone: returned, already registered, refused."""
        data = self._data
        if data is None:
            return []
        if data.attention:
            return list(data.attention)
        now = datetime.now(UTC)
        return [RecordItem(c.submission_id, c.receipt_no, "needs_correction", "", now, now,
                           corrections=c.problems) for c in data.corrections]  # fmt: skip

    def _show(self) -> None:
        data = self._data
        if data is None:
            return
        counts = data.counts
        self.ui.mineValue.setText(str(data.mine_today))
        self.ui.centreValue.setText(str(data.centre_today))
        self.ui.waitingValue.setText(str(sum(counts.get(s, 0) for s in WAITING_STATES)))
        self.ui.sentValue.setText(str(counts.get("acknowledged", 0)))
        self.ui.problemValue.setText(str(sum(counts.get(s, 0) for s in PROBLEM_STATES)))
        self.ui.oldestValue.setText(self._age_text(data.oldest_unsent_s))
        self.ui.connectionLabel.setText(self._connection_text(data))
        self._fill_corrections(data)
        self._show_loop(data)

    def _show_loop(self, data: DashboardData) -> None:
        notice = data.notice
        urdu = QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
        self.notice_label.setText("" if notice is None else (notice.ur if urdu else notice.en))
        self.notice_label.setVisible(notice is not None)
        self.update_label.setText(
            self.tr("Update required: central asks for a newer version of this program. "
                    "Registration goes on; tell the centre manager.")
        )  # fmt: skip
        self.update_label.setVisible(data.update_required)
        self.sender_label.setText(self._sender_text(data.sender))
        login = self._login
        manager = login is not None and login.operator is not None and login.operator.is_manager
        self.rejections.show_rejections(data.rejections if manager else (), urdu=urdu)

    def _sender_text(self, sender: SenderNow | None) -> str:
        if sender is None:
            return self.tr("Sending: nobody is sending right now")
        who = {
            "window": self.tr("this window or another window of the centre"),
            "agent": self.tr("the background sender"),
            "sync": self.tr("a manager's sync command"),
        }.get(sender.kind, sender.kind)
        since = "\u2066" + sender.since.astimezone().strftime("%H:%M") + "\u2069"
        return (
            self.tr("Sending: %1 (on %2, since %3)")
            .replace("%1", who).replace("%2", "\u2066" + sender.host + "\u2069")
            .replace("%3", since)
        )  # fmt: skip

    def _fill_corrections(self, data: DashboardData) -> None:
        table = self.ui.correctionsTable
        rows = self._attention()
        language = "ur" if self.layoutDirection() == Qt.LayoutDirection.RightToLeft else "en"
        table.setRowCount(len(rows))
        for row, item in enumerate(rows):
            cells = (item.receipt_no or "", state_text(item.state),
                     problem_text(item, None, language))  # fmt: skip
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))

    def _age_text(self, seconds: float | None) -> str:
        if seconds is None:
            return self.tr("nothing waiting")
        days, hours, minutes = age_parts(seconds)
        if days:
            return self.tr("%n day(s)", "", days) + " " + self.tr("%n hour(s)", "", hours)
        if hours:
            return self.tr("%n hour(s)", "", hours) + " " + self.tr("%n minute(s)", "", minutes)
        return self.tr("%n minute(s)", "", minutes)

    def _connection_text(self, data: DashboardData) -> str:
        texts = {
            "online": self.tr("Online"),
            "offline": self.tr("Offline: records wait in the queue"),
            "degraded": self.tr("Central answers with errors: records wait and are retried"),
            "paused": self.tr("Central asked to wait: sending resumes by itself"),
            "revoked": self.tr("This PC is no longer enrolled: call the centre manager"),
        }
        text = texts.get(data.connection, self.tr("Connection: not checked yet"))
        if self._sending:
            text = self.tr("Sending…") + " " + text
        if data.last_sync is not None:
            # Isolated left-to-right run: in Urdu the date and time stay whole and in order.
            when = "\u2066" + data.last_sync.astimezone().strftime("%d-%m-%Y %H:%M") + "\u2069"
            text += " · " + self.tr("last successful sync %1").replace("%1", when)
        return text

    def connection_state(self) -> str:
        return self._data.connection if self._data is not None else "unknown"

    def _retranslate_dynamic(self) -> None:
        self.ui.correctionsTable.setHorizontalHeaderLabels(
            [self.tr("Receipt number"), self.tr("State"), self.tr("What to do")]
        )

        if self._login is not None and self._login.operator is not None:
            name = "\u2068" + self._login.operator.name + "\u2069"  # whole, in either script
            self.ui.greetingLabel.setText(self.tr("Signed in as %1").replace("%1", name))
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._retranslate_dynamic()
        super().changeEvent(event)
