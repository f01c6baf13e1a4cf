"""The slip after a save (and a reprint): made off the GUI thread, printed from memory.

The slip PDF shows the head's name, so it is never written to disk by the desk: it is
printed straight from the bytes on the configured printer, or, with no printer set,
shown in a preview with "Print..." and "Save as PDF..." (the operator chooses where).
A print failure says what to do; the record stays queued and can be reprinted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.model import LoginResult, Slip
from pser_desk.desk.protocol import SlipsApi
from pser_desk.gui.messages import error_text
from pser_desk.gui.printing import (
    Paper,
    PrinterChoice,
    PrintResult,
    choose_printer,
    print_pdf,
    print_problem_text,
)
from pser_desk.gui.tasks import Lane, Runner

log = logging.getLogger(__name__)

PREVIEW_WIDTH_PX = 620
PREVIEW_HEIGHT_PX = 640


def render_preview(pdf: bytes, width_px: int = PREVIEW_WIDTH_PX) -> QImage:
    """The slip's first page as an image (PDFium), for the preview."""
    import pypdfium2  # loaded on the first preview, not at start-up

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=width_px / max(page.get_width(), 1.0))
        image = bitmap.to_pil().convert("RGB")
        data = image.tobytes("raw", "RGB")
        return QImage(
            data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888
        ).copy()
    finally:
        document.close()


class SlipPreviewDialog(QDialog):
    """The slip on screen, with Print... and Save as PDF...; nothing is kept on disk."""

    def __init__(
        self, slip: Slip, runner: Runner, image: QImage, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SlipPreviewDialog")
        self.slip, self._runner = slip, runner
        self.result_message = ""
        picture = QLabel(self)
        picture.setObjectName("slipPicture")
        picture.setPixmap(QPixmap.fromImage(image))
        picture.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea(self)
        scroll.setWidget(picture)
        scroll.setWidgetResizable(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.print_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.close_button = QPushButton(self)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        for button in (self.save_button, self.close_button, self.print_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        # At most what a 1366x768 screen leaves under its task bar and title bar.
        self.resize(PREVIEW_WIDTH_PX + 80, PREVIEW_HEIGHT_PX)
        self.setWindowTitle(self.tr("Slip %1").replace("%1", slip.receipt_no))
        self.print_button.setText(self.tr("&Print…"))
        self.save_button.setText(self.tr("&Save as PDF…"))
        self.close_button.setText(self.tr("C&lose"))

    def _on_print_clicked(self) -> None:
        choice = choose_printer(self)
        if choice is not None:
            self.print_to(choice)

    def print_to(self, choice: PrinterChoice) -> None:
        """Print on the chosen printer; the pages are rendered on the print lane."""
        slip = self.slip
        self.print_button.setEnabled(False)
        self.message.setText(self.tr("Printing..."))
        self._runner.run_task(
            lambda: print_pdf(slip.pdf, choice.printer_name, _paper(slip.paper),
                              output_file=choice.output_file, copies=choice.copies,
                              job_name=f"slip {slip.receipt_no}"),
            self._on_printed,
            lambda exc: self._on_printed(PrintResult(False, choice.printer_name, 0, str(exc))),
            lane=Lane.PRINT,
        )  # fmt: skip

    def _on_printed(self, result: PrintResult) -> None:
        if not isValid(self):
            return
        self.print_button.setEnabled(True)
        self.message.setText(print_outcome_text(result))

    def _on_save_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the slip"), str(documents_folder() / f"slip-{self.slip.receipt_no}.pdf"),
            "PDF (*.pdf)",
        )  # fmt: skip
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        pdf = self.slip.pdf
        self._runner.run_task(
            lambda: path.write_bytes(pdf),
            lambda _n: self.message.setText(self.tr("Saved.")),
            lambda exc: self.message.setText(
                self.tr("The slip was not saved there: choose another folder.")
            ),
        )


def documents_folder() -> Path:
    """Where a file the operator saves goes first: their Documents folder (else home), never
    the program's folder (a relative name there was the working directory)."""
    from PySide6.QtCore import QStandardPaths

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def _paper(paper: str) -> Paper:
    return "80mm" if paper == "80mm" else "a4"


def print_outcome_text(result: PrintResult) -> str:
    from PySide6.QtCore import QCoreApplication

    if result.ok:
        return QCoreApplication.translate("SlipPrinter", "The slip was printed.")
    return QCoreApplication.translate(
        "SlipPrinter",
        "The slip did not print. %1 The record is saved and queued: reprint the slip from "
        "the records list (F8, then Ctrl+P).",
    ).replace("%1", print_problem_text(result))


class SlipPrinter(QObject):
    """Makes the slip of a receipt on the database lane, then prints or previews it."""

    printed = Signal(object)  # PrintResult
    failed = Signal(str)  # an operator's message
    previewed = Signal(object)  # SlipPreviewDialog

    def __init__(
        self,
        slips: SlipsApi,
        runner: Runner,
        settings: Callable[[], tuple[str, str]],  # () -> (printer name, paper)
        parent_widget: QWidget | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self._slips, self._runner, self._settings = slips, runner, settings
        self._parent = parent_widget
        self.output_file: str | None = None  # print into this PDF instead (tests)
        self.preview: SlipPreviewDialog | None = None
        self.message: QMessageBox | None = None
        self.failed.connect(self._tell_failed)
        self.printed.connect(self._tell_printed)

    def print_slip(self, login: LoginResult, receipt_no: str) -> None:
        _printer, paper = self._settings()
        self._runner.run_task(
            lambda: self._made(login, receipt_no, paper), self._on_made, self._on_error
        )

    def _made(self, login: LoginResult, receipt_no: str, paper: str) -> tuple[Slip, QImage | None]:
        slip = self._slips.make(login, receipt_no, paper)
        printer, _paper_ = self._settings()
        preview = None if (printer or self.output_file) else render_preview(slip.pdf)
        return slip, preview

    def _on_made(self, made: tuple[Slip, QImage | None]) -> None:
        slip, preview = made
        printer, _paper_ = self._settings()
        if preview is not None:
            self._show_preview(slip, preview)
            return
        output_file = self.output_file
        self._runner.run_task(  # pages rendered and spooled on the print lane
            lambda: print_pdf(slip.pdf, printer or None, _paper(slip.paper),
                              output_file=output_file, job_name=f"slip {slip.receipt_no}"),
            self._on_printed,
            self._on_error,
            lane=Lane.PRINT,
        )  # fmt: skip

    def _on_printed(self, result: PrintResult) -> None:
        if result.ok:
            log.info("slip printed (%d page(s))", result.pages)
            self.printed.emit(result)
        else:
            log.warning("slip not printed")
            self.failed.emit(print_outcome_text(result))

    def _show_preview(self, slip: Slip, image: QImage) -> None:
        dialog = SlipPreviewDialog(slip, self._runner, image, self._parent)
        dialog.finished.connect(lambda _r: self._on_preview_closed(dialog))
        self.preview = dialog
        dialog.open()
        self.previewed.emit(dialog)

    def _on_preview_closed(self, dialog: SlipPreviewDialog) -> None:
        if self.preview is dialog:
            self.preview = None
        dialog.deleteLater()

    def _status_bar(self) -> QStatusBar | None:
        return self._parent.statusBar() if isinstance(self._parent, QMainWindow) else None

    def _tell_failed(self, message: str) -> None:
        """The window says so at once; never modal: the next citizen can be typed meanwhile."""
        bar = self._status_bar()
        if bar is not None:
            bar.showMessage(message)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("DeskController", "The slip did not print"),
            message, QMessageBox.StandardButton.Ok, self._parent,
        )  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = box
        box.open()

    def _tell_printed(self, _result: PrintResult) -> None:
        bar = self._status_bar()
        if bar is not None:
            text = QCoreApplication.translate("DeskController", "The slip was printed.")
            bar.showMessage(text, 10_000)

    def _on_error(self, exc: BaseException) -> None:
        code = exc.code if isinstance(exc, DeskError) else "internal"
        log.error("slip not made: %s", code)
        if code == ErrorCode.RECORD_PURGED:  # retention: the household is safe at central
            self.failed.emit(error_text(code))
            return
        self.failed.emit(
            QCoreApplication.translate(
                "SlipPrinter",
                "The slip could not be made (%1). The record is saved and queued; "
                "reprint the slip from the records list.",
            ).replace("%1", error_text(code))
        )
