"""The households central rejected, on the manager's dashboard (issue 16): each with its
receipt, the day central decided and central's reason in words (:class:`RejectionsPanel`),
and the manager's actions (:class:`RejectionActions`): register one again (a new draft
prefilled from its local copy, under a new submission id, opened on the registration
page) or mark it dealt with (after saying yes). Both run on the database lane; a refusal
is said in words on the status bar."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pser_desk.desk.errors import DeskError
from pser_desk.desk.model import Rejection
from pser_desk.gui.messages import error_text, reason_text

if TYPE_CHECKING:
    from pser_desk.gui.shell import DeskController

log = logging.getLogger(__name__)


SHOWN_ROWS = 3  # rows the list always has room for; more scroll


class RejectionsPanel(QWidget):
    """The list (hidden when empty or for an operator) and its two buttons."""

    redo_requested = Signal(str)  # submission id
    dismiss_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rejectionsPanel")
        self._items: tuple[Rejection, ...] = ()
        self.label = QLabel(self)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("rejectedTable")
        table = self.table
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.redo_button = QPushButton(self)
        self.dismiss_button = QPushButton(self)
        self.redo_button.clicked.connect(lambda: self._emit(self.redo_requested))
        self.dismiss_button.clicked.connect(lambda: self._emit(self.dismiss_requested))
        table.itemActivated.connect(lambda _item: self._emit(self.redo_requested))
        table.currentCellChanged.connect(lambda *_a: self._update_buttons())
        buttons = QHBoxLayout()
        buttons.addWidget(self.redo_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(table)
        layout.addLayout(buttons)
        self._retranslate()
        self.setVisible(False)

    def show_rejections(self, items: Sequence[Rejection], *, urdu: bool) -> None:
        """*items* (none for an operator): central's reason in the operator's language,
        with central's own English sentence beside it on the English screen."""
        self._items = tuple(items)
        self.setVisible(bool(self._items))
        table = self.table
        table.setRowCount(len(self._items))
        for row, item in enumerate(self._items):
            table.setItem(row, 0, QTableWidgetItem(item.receipt_no))
            decided = "" if item.decided_at is None else item.decided_at.astimezone().strftime(
                "%d-%m-%Y")  # fmt: skip
            table.setItem(row, 1, QTableWidgetItem("\u2066" + decided + "\u2069"))
            words = reason_text(item.reason_code.value)
            if item.reason and not urdu:
                words += " (" + item.reason + ")"
            table.setItem(row, 2, QTableWidgetItem(words))
        table.resizeRowsToContents()
        shown = sum(table.rowHeight(row) for row in range(min(len(self._items), SHOWN_ROWS)))
        table.setMinimumHeight(  # whole rows, never part of one (the page scrolls instead)
            table.horizontalHeader().sizeHint().height() + shown + 2 * table.frameWidth()
        )
        self._update_buttons()

    def current(self) -> Rejection | None:
        row = self.table.currentRow()
        return self._items[row] if 0 <= row < len(self._items) else None

    def _emit(self, signal: SignalInstance) -> None:
        chosen = self.current()
        if chosen is not None:
            signal.emit(chosen.submission_id)

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.redo_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen)

    def _retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.tr("Receipt number"), self.tr("Decided"), self.tr("Central's reason")]
        )
        self.label.setText(self.tr("Households central rejected"))
        self.redo_button.setText(self.tr("Re&gister again"))
        self.dismiss_button.setText(self.tr("&Mark dealt with"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class RejectionActions(QObject):
    def __init__(self, controller: DeskController) -> None:
        super().__init__(controller)
        self._controller = controller
        self.question: QMessageBox | None = None  # the yes/no question on screen (tests answer)
        controller.dashboard.redo_requested.connect(self.register_again)
        controller.dashboard.dismiss_requested.connect(self.dismiss)

    def register_again(self, submission_id: str) -> None:
        c = self._controller
        login = c.login
        if login is None:
            return
        c.runner.run_task(
            lambda: c.desk.loop.redo(login, submission_id),
            lambda opened: c.open_record(opened.submission_id),
            self._tell_error,
        )

    def dismiss(self, submission_id: str) -> None:
        c = self._controller
        login = c.login
        if login is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Mark dealt with"),
            self.tr("Mark this rejected household as dealt with? It leaves the dashboard."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            c.window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.question = box

        def answered(button: int) -> None:
            self.question = None
            if button == QMessageBox.StandardButton.Yes:
                c.runner.run_task(
                    lambda: c.desk.loop.dismiss(login, submission_id),
                    lambda _summary: c.dashboard.refresh(),
                    self._tell_error,
                )

        box.finished.connect(answered)
        box.open()

    def _tell_error(self, exc: BaseException) -> None:
        code = exc.code if isinstance(exc, DeskError) else "internal"
        log.warning("a rejected household could not be handled: %s", code)
        self._controller.window.statusBar().showMessage(error_text(code), 15_000)
        self._controller.dashboard.refresh()
