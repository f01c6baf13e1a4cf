"""Printing a PDF (a slip, a report) through Qt: pages rendered by QPdfDocument onto a QPrinter.

``print_pdf`` never raises: it returns a :class:`PrintResult` whose ``message`` tells the
operator what happened. A failed print loses nothing (the record is saved first; the slip
can be reprinted from the records list). Call it on the GUI thread (QPrinter and the print
dialog are GUI objects); rendering a slip page takes a few tens of milliseconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QWidget

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
    message: str
    cancelled: bool = False


def printer_names() -> list[str]:
    return [str(name) for name in QPrinterInfo.availablePrinterNames()]


def default_printer_name() -> str | None:
    name = QPrinterInfo.defaultPrinterName()
    return str(name) or None


def _load(pdf_bytes: bytes) -> tuple[QPdfDocument, QBuffer] | None:
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf_bytes))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        return None
    return document, buffer  # the buffer must live as long as the document


def _page_size(document: QPdfDocument, paper: Paper) -> QPageSize:
    if paper == "a4":
        return QPageSize(QPageSize.PageSizeId.A4)
    height_mm = document.pagePointSize(0).height() / POINTS_PER_MM
    return QPageSize(QSizeF(ROLL_WIDTH_MM, height_mm), QPageSize.Unit.Millimeter, "80mm roll")


def _configure(printer: QPrinter, document: QPdfDocument, paper: Paper, job_name: str) -> None:
    printer.setDocName(job_name)
    printer.setFullPage(True)
    layout = QPageLayout(_page_size(document, paper), QPageLayout.Orientation.Portrait,
                         QMarginsF(0, 0, 0, 0))  # fmt: skip
    printer.setPageLayout(layout)


def _printer(printer_name: str | None, output_file: str | None) -> QPrinter | str:
    """A QPrinter, or the message saying why there is none."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if output_file is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(output_file)
        return printer
    name = printer_name or default_printer_name()
    if not name:
        return "No printer is set up on this PC. Choose one in Settings, then reprint the slip."
    if QPrinterInfo.printerInfo(name).isNull():
        return f"The printer {name} was not found. Check it is switched on, then reprint."
    printer.setPrinterName(name)
    return printer


def _render_page(document: QPdfDocument, page: int, target: QRect) -> QImage:
    size = QSize(target.width(), target.height())
    return document.render(page, size, fillColor=QColor("white"))


def _paint(printer: QPrinter, document: QPdfDocument) -> str | None:
    """Paint every page; None on success, else the operator's message."""
    painter = QPainter()
    if not painter.begin(printer):
        return "The printer could not be started (is it busy or offline?). Reprint the slip."
    try:
        scale = min(1.0, MAX_DPI / max(printer.resolution(), 1))
        for page in range(document.pageCount()):
            if page and not printer.newPage():
                return "The printer stopped after a page. Reprint the slip."
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            scaled = QRect(0, 0, int(target.width() * scale), int(target.height() * scale))
            painter.drawImage(target, _render_page(document, page, scaled))
    finally:
        painter.end()
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        return "The printer reported an error. Check the paper, then reprint."
    return None


def print_pdf(
    pdf_bytes: bytes,
    printer_name: str | None = None,
    paper: Paper = "a4",
    dialog: bool = False,
    parent: QWidget | None = None,
    *,
    output_file: str | None = None,
    job_name: str = "pser-desk",
) -> PrintResult:
    """Print *pdf_bytes* on *printer_name* (default printer if None), or into *output_file*."""
    loaded = _load(pdf_bytes)
    if loaded is None:
        return PrintResult(False, printer_name or "", 0, "The document to print is damaged.")
    document, _buffer = loaded
    printer = _printer(printer_name, output_file)
    if isinstance(printer, str):
        return PrintResult(False, printer_name or "", 0, printer)
    _configure(printer, document, paper, job_name)
    if dialog and QPrintDialog(printer, parent).exec() != QDialog.DialogCode.Accepted:
        return PrintResult(False, printer.printerName(), 0, "Printing was cancelled.", True)
    name = output_file or printer.printerName()
    problem = _paint(printer, document)
    pages = document.pageCount()
    if problem is not None:
        log.warning("printing failed on %s", name)
        return PrintResult(False, name, 0, problem)
    return PrintResult(True, name, pages, f"Sent {pages} page(s) to {name}.")
