"""The drafts list (resume any) and the records list (reprint a slip, correct a returned record).

Both show ids, receipt numbers, states and times only: no name, no CNIC, no search by
name. Rows are loaded on the database lane.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pser_desk.desk.model import LoginResult, RecordItem
from pser_desk.desk.protocol import RecordsApi
from pser_desk.gui.messages import reason_text
from pser_desk.gui.record_texts import problem_text, state_text
from pser_desk.gui.tasks import Runner

log = logging.getLogger(__name__)


def when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%d-%m-%Y %H:%M") if moment else ""


class _ListPage(QWidget):
    """A table of :class:`RecordItem` with buttons; subclasses say which and what they do."""

    refreshed = Signal()
    drafts = False

    def __init__(self, records: RecordsApi, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._records, self._runner = records, runner
        self._login: LoginResult | None = None
        self.items: list[RecordItem] = []
        self.title = QLabel(self)
        self.title.setObjectName("listTitle")
        self.table = QTableWidget(0, 0, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemActivated.connect(lambda _i: self._on_activated())
        self.buttons = QHBoxLayout()
        self.back_button = self._button(self._on_back_clicked)
        self.refresh_button = self._button(self.refresh)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)
        refresh = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.refresh)

    back_requested = Signal()

    def _button(self, slot: object) -> QPushButton:
        button = QPushButton(self)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def _on_back_clicked(self) -> None:
        self.back_requested.emit()

    def set_login(self, login: LoginResult | None) -> None:
        self._login = login

    def refresh_if_shown(self, *_args: object) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        login = self._login
        if login is None:
            return
        drafts = self.drafts
        self._runner.run_task(
            lambda: self._records.recent(login, drafts=drafts), self._on_loaded, self._on_error
        )

    def _on_loaded(self, items: list[RecordItem]) -> None:
        self.items = items
        self._fill()
        if items and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)
        self.refreshed.emit()

    def _on_error(self, exc: BaseException) -> None:
        log.error("list not loaded: %s", exc.__class__.__name__)

    def current(self) -> RecordItem | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def focus_first(self) -> None:
        self.table.setFocus()

    def _fill(self) -> None:
        headers = self._headers()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(self.items))
        for r, item in enumerate(self.items):
            for c, text in enumerate(self._cells(item)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        for c in range(len(headers) - 1):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self._update_buttons()

    def _headers(self) -> list[str]:
        raise NotImplementedError

    def _cells(self, item: RecordItem) -> list[str]:
        raise NotImplementedError

    def _on_activated(self) -> None:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        return None

    def _retranslate(self) -> None:
        # Explicit context: tr() in a base class would look the text up under the subclass.
        self.back_button.setText(QCoreApplication.translate("RecordLists", "&Dashboard"))
        self.refresh_button.setText(QCoreApplication.translate("RecordLists", "&Refresh (F5)"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class DraftsPage(_ListPage):
    """The operator's unfinished registrations: Enter resumes the one selected."""

    resume_requested = Signal(str)  # submission id
    drafts = True

    def __init__(self, records: RecordsApi, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(records, runner, parent)
        self.setObjectName("DraftsPage")
        self.resume_button = self._button(self._on_activated)
        self.buttons.insertWidget(0, self.resume_button)
        self._retranslate()

    def _headers(self) -> list[str]:
        return [self.tr("Started"), self.tr("Last change"), self.tr("Family members")]

    def _cells(self, item: RecordItem) -> list[str]:
        members = str(item.member_count) if item.member_count is not None else ""
        return [when(item.created_at), when(item.updated_at), members]

    def _on_activated(self) -> None:
        item = self.current()
        if item is not None:
            self.resume_requested.emit(item.submission_id)

    def _update_buttons(self) -> None:
        self.resume_button.setEnabled(bool(self.items))

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Unfinished registrations (drafts)"))
        self.resume_button.setText(self.tr("R&esume (Enter)"))
        super()._retranslate()


class RecordsPage(_ListPage):
    """Saved records by receipt number, date and state: reprint, correct."""

    reprint_requested = Signal(str)  # receipt number
    correct_requested = Signal(str)  # submission id

    def __init__(self, records: RecordsApi, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(records, runner, parent)
        self.setObjectName("RecordsPage")
        self.reprint_button = self._button(self._on_reprint_clicked)
        self.correct_button = self._button(self._on_correct_clicked)
        self.buttons.insertWidget(0, self.correct_button)
        self.buttons.insertWidget(0, self.reprint_button)
        self.table.currentCellChanged.connect(lambda *_a: self._update_buttons())
        reprint = QShortcut(QKeySequence.StandardKey.Print, self)
        reprint.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reprint.activated.connect(self._on_reprint_clicked)
        self._retranslate()

    def _headers(self) -> list[str]:
        return [
            self.tr("Receipt number"), self.tr("Saved"), self.tr("State"),
            self.tr("Operator"), self.tr("Tracking id"), self.tr("Central's message"),
        ]  # fmt: skip

    def _cells(self, item: RecordItem) -> list[str]:
        state = self.state_text(item.state)
        if item.state == "acknowledged" and item.verdict in ("verified", "rejected"):
            state = self.verdict_text(item)
        return [
            item.receipt_no or "", when(item.queued_at or item.created_at),
            state, item.operator_id, item.tracking_id or "", self.message_text(item),
        ]  # fmt: skip

    def verdict_text(self, item: RecordItem) -> str:
        if item.verdict == "verified":
            return self.tr("Verified by central")
        if item.dismissed:
            return self.tr("Rejected by central (dealt with)")
        return self.tr("Rejected by central")

    def message_text(self, item: RecordItem) -> str:
        """Central's reason in words for a rejection; a purged record says why it has no slip."""
        if item.verdict == "rejected":
            words = reason_text(item.reason_code)
            urdu = QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
            return words if urdu or not item.reason else f"{words} ({item.reason})"
        if item.purged:
            return self.tr("Personal data removed after verification (safe at central)")
        language = "ur" if self.layoutDirection() == Qt.LayoutDirection.RightToLeft else "en"
        return problem_text(item, None, language)

    def state_text(self, state: str) -> str:
        return state_text(state)

    def _on_activated(self) -> None:
        item = self.current()
        if item is not None and item.state == "needs_correction":
            self.correct_requested.emit(item.submission_id)

    def _on_reprint_clicked(self) -> None:
        item = self.current()
        if item is not None and item.receipt_no:
            self.reprint_requested.emit(item.receipt_no)

    def _on_correct_clicked(self) -> None:
        self._on_activated()

    def _update_buttons(self) -> None:
        item = self.current()
        self.reprint_button.setEnabled(item is not None and bool(item.receipt_no))
        self.correct_button.setEnabled(item is not None and item.state == "needs_correction")

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Saved records"))
        self.reprint_button.setText(self.tr("Re&print slip (Ctrl+P)"))
        self.correct_button.setText(self.tr("&Correct (Enter)"))
        super()._retranslate()
