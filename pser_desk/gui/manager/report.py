"""The daily (weekly, monthly) report: choose the period, preview, print, save PDF or CSV.

The figures, the PDF, the CSV and the preview pages are all made on the database lane
with the documents layer's functions; the GUI thread only shows the page images.
Printing goes through :func:`pser_desk.gui.printing.print_pdf` (never raises).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pypdfium2
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from pser_desk.desk.model import LoginResult
from pser_desk.desk.protocol import DeskApi, ReportsApi
from pser_desk.documents.report import render_report_csv, render_report_pdf
from pser_desk.documents.report_model import PKT, ReportData
from pser_desk.gui.forms.ui_manager_report import Ui_ReportDialog
from pser_desk.gui.manager.base import ManagerDialog
from pser_desk.gui.manager.texts import manager_error_text
from pser_desk.gui.printing import PrintResult, print_pdf, print_problem_text
from pser_desk.gui.tasks import Lane, Runner

PERIODS = ("day", "week", "month")
PREVIEW_WIDTH_PX = 820


def period(kind: str, day: date) -> tuple[date, date]:
    """The day itself, its Monday-to-Sunday week, or its calendar month."""
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if kind == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    return day, day


@dataclass(frozen=True)
class BuiltReport:
    data: ReportData
    pdf: bytes
    csv: bytes
    pages: tuple[QImage, ...]


def render_pages(pdf: bytes, width_px: int = PREVIEW_WIDTH_PX) -> tuple[QImage, ...]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            bitmap = page.render(scale=width_px / max(page.get_width(), 1.0))
            image = bitmap.to_pil().convert("RGB")
            raw = image.tobytes("raw", "RGB")
            qimage = QImage(raw, image.width, image.height, 3 * image.width,
                            QImage.Format.Format_RGB888)  # fmt: skip
            images.append(qimage.copy())
        return tuple(images)
    finally:
        document.close()


def build_report(reports: ReportsApi, start: date, end: date, language: str = "en") -> BuiltReport:
    data = reports.daily(start, end)
    pdf = render_report_pdf(data, language)
    return BuiltReport(data, pdf, render_report_csv(data), render_pages(pdf))


def screen_language() -> str:
    """The report follows the desk's language (Urdu when the screens are right to left)."""
    rtl = QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    return "ur" if rtl else "en"


def write_file(path: str, body: bytes) -> str:
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(body)
    tmp.replace(target)
    return str(target)


class ReportDialog(ManagerDialog):
    def __init__(
        self, desk: DeskApi, runner: Runner, login: LoginResult | None,
        printer: str = "", parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(desk, runner, login, parent)
        self.printer = printer
        self.built: BuiltReport | None = None
        self.last_print: PrintResult | None = None
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.ui = Ui_ReportDialog()
        self.ui.setupUi(self)
        ui = self.ui
        today = datetime.now(PKT).date()
        ui.reportDateEdit.setDate(QDate(today.year, today.month, today.day))
        ui.pagesLayout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        ui.showReportButton.clicked.connect(self.build)
        ui.printButton.clicked.connect(self.print_report)
        ui.pdfButton.clicked.connect(self._on_pdf_clicked)
        ui.csvButton.clicked.connect(self._on_csv_clicked)
        ui.closeButton.clicked.connect(self.accept)
        # The screen's public surface (tests drive it).
        self.message, self.period_combo, self.date_edit = (
            ui.managerMessage,
            ui.periodCombo,
            ui.reportDateEdit,
        )
        self.show_button, self.print_button = ui.showReportButton, ui.printButton
        self.pdf_button, self.csv_button = ui.pdfButton, ui.csvButton
        self.pages, self.pages_layout = ui.previewPages, ui.pagesLayout
        self._set_ready(False)

    def _set_ready(self, ready: bool) -> None:
        for button in (self.print_button, self.pdf_button, self.csv_button):
            button.setEnabled(ready)

    # ------------------------------------------------------------ build

    def chosen_period(self) -> tuple[date, date]:
        day = self.date_edit.date().toPython()
        assert isinstance(day, date)
        return period(PERIODS[max(0, self.period_combo.currentIndex())], day)

    def build(self) -> None:
        start, end = self.chosen_period()
        self._set_ready(False)
        self.say(self.tr("Preparing the report..."))
        language = screen_language()
        self.run(lambda: build_report(self.desk.reports, start, end, language), self._on_built)

    def _on_built(self, built: BuiltReport) -> None:
        self.built = built
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for image in built.pages:
            page = QLabel(self.pages)
            page.setPixmap(QPixmap.fromImage(image))
            self.pages_layout.addWidget(page)
        self._set_ready(True)
        data = built.data
        self.say(self.tr("Report ready: %1 registrations queued, %2 acknowledged by central.")
                 .replace("%1", str(data.queued_total))
                 .replace("%2", str(data.acknowledged_total)))  # fmt: skip

    # ------------------------------------------------------------ print, save

    def print_report(self) -> None:
        """Print on the centre's printer; pages are rendered and spooled on the print lane."""
        built = self.built
        if built is None:
            return
        self.last_print = None
        self._set_ready(False)
        self.say(self.tr("Printing..."))
        printer = self.printer or None
        self.run(
            lambda: print_pdf(built.pdf, printer, "a4", job_name="pser-desk-report"),
            self._on_printed,
            lane=Lane.PRINT,
        )

    def _on_printed(self, result: PrintResult) -> None:
        self.last_print = result
        self._set_ready(True)
        if result.ok:
            self.say(self.tr("Sent to the printer %1.").replace("%1", result.printer))
        else:
            self.say_error(self.tr("The report was not printed. %1 Or save it as a PDF.")
                           .replace("%1", print_problem_text(result)))  # fmt: skip

    def _on_pdf_clicked(self) -> None:
        path = self._ask_path(".pdf", self.tr("PDF files (*.pdf)"))
        if path:
            self.save_pdf(path)

    def _on_csv_clicked(self) -> None:
        path = self._ask_path(".csv", self.tr("CSV files (*.csv)"))
        if path:
            self.save_csv(path)

    def _ask_path(self, suffix: str, filter_text: str) -> str:
        built = self.built
        if built is None:
            return ""
        start, end = built.data.start, built.data.end
        name = f"report-{start.isoformat()}" + ("" if start == end else f"-to-{end.isoformat()}")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the report"), str(Path.home() / (name + suffix)), filter_text
        )
        return path

    def save_pdf(self, path: str) -> None:
        if self.built is not None:
            self._save(path, self.built.pdf)

    def save_csv(self, path: str) -> None:
        if self.built is not None:
            self._save(path, self.built.csv)

    def _save(self, path: str, body: bytes) -> None:
        self.run(
            lambda: write_file(path, body),
            lambda saved: self.say(self.tr("Saved to %1.").replace("%1", saved)),
            on_error=lambda _e: self.say_error(manager_error_text("report.not_saved")),
        )

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
        if self.built is not None and self.busy == 0:  # the report in the new language too
            self.build()
