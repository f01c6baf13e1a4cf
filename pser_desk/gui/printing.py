"""Printing a PDF (a slip, a report) through Qt: pages rendered by PDFium onto a QPrinter.

``print_pdf`` never raises: it returns a :class:`PrintResult` whose ``message`` tells the
operator what happened. A failed print loses nothing (the record is saved first; the slip
can be reprinted from the records list). The desk calls it on its print lane, off the GUI
thread (Qt supports QPainter on a QPrinter there), so a slow printer never freezes the
window; :func:`choose_printer` shows Qt's print dialog on the GUI thread first when the
operator picks a printer by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QMarginsF, QRect, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QWidget

if TYPE_CHECKING:
    import pypdfium2

log = logging.getLogger(__name__)

Paper = Literal["a4", "80mm"]
MAX_DPI = 300  # enough for text and the QR; keeps a page image small
ROLL_WIDTH_MM = 80.0
POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class PrintResult:
    ok: bool
    printer: str
    pages: int
    message: str  # for the log (English)
    problem: str = ""  # what went wrong, as a code the views put in words (printer.none...)


def print_problem_text(result: PrintResult) -> str:
    """What went wrong with the printer, in words, with what to do (any document)."""
    from PySide6.QtCore import QCoreApplication

    texts = {
        "printer.none": QCoreApplication.translate(
            "Printing",
            "No printer is set up on this PC: the centre manager chooses one in Settings.",
        ),
        "printer.not_found": QCoreApplication.translate(
            "Printing", "The printer %1 was not found: check that it is switched on and connected."
        ).replace("%1", result.printer),
        "printer.start": QCoreApplication.translate(
            "Printing", "The printer could not be started: it may be busy or offline."
        ),
        "printer.stopped": QCoreApplication.translate(
            "Printing", "The printer stopped after a page: check it, then print again."
        ),
        "printer.error": QCoreApplication.translate(
            "Printing", "The printer reported an error: check the paper, then print again."
        ),
        "document.damaged": QCoreApplication.translate(
            "Printing", "The document to print is damaged: make it again."
        ),
    }
    return texts.get(result.problem) or QCoreApplication.translate(
        "Printing", "The printer did not print."
    )


def printer_names() -> list[str]:
    return [str(name) for name in QPrinterInfo.availablePrinterNames()]


def default_printer_name() -> str | None:
    name = QPrinterInfo.defaultPrinterName()
    return str(name) or None


class _Document:
    """A loaded PDF: page sizes in points and pages rendered to images (pypdfium2)."""

    def __init__(self, pdf: pypdfium2.PdfDocument) -> None:
        self._pdf = pdf

    def page_count(self) -> int:
        return len(self._pdf)

    def page_points(self, index: int) -> tuple[float, float]:
        width, height = self._pdf[index].get_size()
        return float(width), float(height)

    def render(self, index: int, width_px: int) -> QImage:
        page = self._pdf[index]
        scale = width_px / max(page.get_width(), 1.0)
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
        image = bitmap.to_pil().convert("RGB")
        data = image.tobytes("raw", "RGB")
        stride = 3 * image.width
        return QImage(data, image.width, image.height, stride, QImage.Format.Format_RGB888).copy()

    def close(self) -> None:
        self._pdf.close()


def _load(pdf_bytes: bytes) -> _Document | None:
    import pypdfium2  # PDFium loads when the first page is printed, not at start-up

    try:
        pdf = pypdfium2.PdfDocument(pdf_bytes)
    except pypdfium2.PdfiumError:
        return None
    if len(pdf) < 1:
        pdf.close()
        return None
    return _Document(pdf)


def _page_size(document: _Document, paper: Paper) -> QPageSize:
    if paper == "a4":
        return QPageSize(QPageSize.PageSizeId.A4)
    height_mm = document.page_points(0)[1] / POINTS_PER_MM
    return QPageSize(QSizeF(ROLL_WIDTH_MM, height_mm), QPageSize.Unit.Millimeter, "80mm roll")


def _configure(printer: QPrinter, document: _Document, paper: Paper, job_name: str) -> None:
    printer.setDocName(job_name)
    printer.setFullPage(True)
    layout = QPageLayout(_page_size(document, paper), QPageLayout.Orientation.Portrait,
                         QMarginsF(0, 0, 0, 0))  # fmt: skip
    printer.setPageLayout(layout)


def _printer(printer_name: str | None, output_file: str | None) -> QPrinter | tuple[str, str]:
    """A QPrinter, or (problem code, message) saying why there is none."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if output_file is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(output_file)
        return printer
    name = printer_name or default_printer_name()
    if not name:
        return "printer.none", "No printer is set up on this PC."
    if QPrinterInfo.printerInfo(name).isNull():
        return "printer.not_found", f"The printer {name} was not found."
    printer.setPrinterName(name)
    return printer


def _paint(printer: QPrinter, document: _Document) -> tuple[str, str] | None:
    """Paint every page; None on success, else (problem code, message)."""
    painter = QPainter()
    if not painter.begin(printer):
        return "printer.start", "The printer could not be started."
    try:
        scale = min(1.0, MAX_DPI / max(printer.resolution(), 1))
        for page in range(document.page_count()):
            if page and not printer.newPage():
                return "printer.stopped", "The printer stopped after a page."
            target: QRect = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(target, document.render(page, int(target.width() * scale)))
    finally:
        painter.end()
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        return "printer.error", "The printer reported an error."
    return None


def print_pdf(
    pdf_bytes: bytes,
    printer_name: str | None = None,
    paper: Paper = "a4",
    *,
    output_file: str | None = None,
    job_name: str = "pser-desk",
    copies: int = 1,
) -> PrintResult:
    """Print *pdf_bytes* on *printer_name* (default printer if None), or into *output_file*.

    Runs on a worker thread (the desk's print lane: QPainter on a QPrinter is supported
    there); a print dialog belongs to the GUI thread: :func:`choose_printer` comes first.
    """
    loaded = _load(pdf_bytes)
    if loaded is None:
        return PrintResult(
            False, printer_name or "", 0, "The document to print is damaged.", "document.damaged"
        )
    try:
        return _print_document(loaded, printer_name, paper, output_file, job_name, copies)
    finally:
        loaded.close()


@dataclass(frozen=True)
class PrinterChoice:
    """What the operator chose in the print dialog, to print with on the print lane."""

    printer_name: str
    output_file: str | None
    copies: int


def choose_printer(parent: QWidget | None = None) -> PrinterChoice | None:
    """Qt's print dialog (GUI thread); None when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    default = default_printer_name()
    if default:
        printer.setPrinterName(default)
    if QPrintDialog(printer, parent).exec() != QDialog.DialogCode.Accepted:
        return None
    to_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
    return PrinterChoice(
        printer.printerName(),
        printer.outputFileName() if to_file and printer.outputFileName() else None,
        max(1, printer.copyCount()),
    )


def _print_document(
    document: _Document, printer_name: str | None, paper: Paper,
    output_file: str | None, job_name: str, copies: int = 1,
) -> PrintResult:  # fmt: skip
    printer = _printer(printer_name, output_file)
    if isinstance(printer, tuple):
        return PrintResult(False, printer_name or "", 0, printer[1], printer[0])
    _configure(printer, document, paper, job_name)
    printer.setCopyCount(max(1, copies))
    name = output_file or printer.printerName()
    problem = _paint(printer, document)
    pages = document.page_count()
    if problem is not None:
        log.warning("printing failed on %s: %s", name, problem[0])
        return PrintResult(False, name, 0, problem[1], problem[0])
    return PrintResult(True, name, pages, f"Sent {pages} page(s) to {name}.")
