"""The registration wizard: a page per section of the form definition, then the review page.

Keyboard (issue 15): Enter means "next" everywhere, a page is not left past a problem
without Ctrl+Enter (or the Next button), the question with the focus is always scrolled
into view, and the options of a choice are listed with their keys beside the form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from shiboken6 import isValid

from pser_desk.domain.carry_forward import inference_for
from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.form import FieldType, FormDefinition, Section, SectionKind
from pser_desk.domain.geography import Geography
from pser_desk.domain.validate import ValidationIssue
from pser_desk.gui.wizard.carried import carry_head, prefill_network
from pser_desk.gui.wizard.checks import WizardChecks
from pser_desk.gui.wizard.choice_pane import ChoicePane
from pser_desk.gui.wizard.field_form import FieldForm
from pser_desk.gui.wizard.members_grid import MembersGrid
from pser_desk.gui.wizard.model import build_record, field_path, relevant_values
from pser_desk.gui.wizard.paths import WizardPaths
from pser_desk.gui.wizard.review import ReviewPage
from pser_desk.gui.wizard.scrolling import show_whole

PANE_WIDTH = 300
GRID_PANE_HEIGHT = 90  # under the members grid: the options in two lines


class SectionPage(QWizardPage):
    def __init__(self, section: Section, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.setObjectName(f"page_{section.id}")
        self.content = content
        self.pane = ChoicePane(self)
        if isinstance(content, MembersGrid):
            self.scroll_area: QScrollArea = content.scroll_area
            layout: QHBoxLayout | QVBoxLayout = QVBoxLayout(self)
            layout.addWidget(content, 3)
            self.pane.list.setFlow(self.pane.list.Flow.LeftToRight)
            self.pane.list.setWrapping(True)
            self.pane.with_title = False  # the grid's help line says what a digit does
            self.pane.setMaximumHeight(GRID_PANE_HEIGHT)
            layout.addWidget(self.pane, 1)
        else:
            self.scroll_area = QScrollArea(self)
            self.scroll_area.setWidgetResizable(True)
            self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
            self.scroll_area.setWidget(content)
            self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            layout = QHBoxLayout(self)
            layout.addWidget(self.scroll_area, 1)
            self.pane.setFixedWidth(PANE_WIDTH)
            layout.addWidget(self.pane)
        layout.setContentsMargins(0, 0, 0, 0)

    def set_language(self, language: str) -> None:
        self.setTitle(self.section.label.text(language))
        help_ = self.section.help
        self.setSubTitle(help_.text(language) if help_ else "")
        self.pane.set_language(language)


class RegistrationWizard(QWizard):
    """Emits ``record_changed`` on every edit and ``finish_requested`` on Save (never closes)."""

    record_changed = Signal()
    finish_requested = Signal()
    number_completed = Signal(str, str)  # (path, 13 digits): a CNIC or B-Form to look up

    def __init__(
        self,
        form: FormDefinition,
        geography: Geography,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setObjectName("RegistrationWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.form, self.geography, self.today = form, geography, today
        self.facts = inference_for(form)
        self.forms: dict[str, FieldForm] = {}
        self.roster: MembersGrid | None = None
        self.section_pages: list[SectionPage] = []
        self.checks = WizardChecks(self)  # what is wrong, and where
        self.paths = WizardPaths(self)  # where a question is, by its path
        self._language = "en"
        self._loading = False
        for section in form.sections:
            self._add_section(section)
        self.review = ReviewPage(self)
        self.review_id = self.addPage(self.review)
        self.currentIdChanged.connect(self._on_current_id_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)
        self.set_language("en")
        self.update_relevance()

    # ------------------------------------------------------------ building

    def _add_section(self, section: Section) -> None:
        if section.kind is SectionKind.MEMBERS:
            content: QWidget = self._make_roster(section)
        else:
            content = self._make_field_form(section)
        page = SectionPage(section, content, self)
        self.section_pages.append(page)
        self.addPage(page)

    def _make_field_form(self, section: Section) -> FieldForm:
        form = FieldForm(section.fields, self.geography, today=self.today)
        form.setObjectName(f"form_{section.id}")
        form.value_changed.connect(lambda fid, f=form: self._on_value_changed(f, fid))
        form.left_field.connect(self.checks.left_field)
        form.finished_last.connect(lambda f=form: self.checks.try_leave(f))
        form.leave_requested.connect(self._leave_anyway)
        for field_id in form.field_ids():
            self.forms[field_id] = form
        return form

    def _make_roster(self, section: Section) -> MembersGrid:
        roster = MembersGrid(
            section.fields[0], self.geography, self.household_values, self.today,
            self.checks.check_member, self.facts,
        )  # fmt: skip
        roster.changed.connect(self._on_roster_changed)
        roster.number_changed.connect(self._on_roster_number_changed)
        roster.finished.connect(self._leave_anyway)
        roster.leave_requested.connect(self._leave_anyway)
        self.roster = roster
        return roster

    # ------------------------------------------------------------ values

    def household_values(self) -> dict[str, object]:
        return relevant_values(self.form, self.values(), self.today())[0]

    def values(self) -> dict[str, object]:
        merged: dict[str, object] = {}
        for form in set(self.forms.values()):
            merged.update(form.values())
        return merged

    def members(self) -> list[dict[str, object]]:
        return self.roster.rows() if self.roster is not None else []

    def record(self) -> dict[str, object]:
        """What was typed, as the record's parts (``head``, ``address``, ``answers``,
        ``members``); the application layer stamps the ids."""
        return build_record(self.form, self.values(), self.members(), self.today())

    def load(self, values: dict[str, object], members: list[dict[str, object]]) -> None:
        """Show a saved draft (or nothing, for a new citizen) and go to the first page."""
        self._loading = True
        self.checks.reset()
        for form in dict.fromkeys(self.forms.values()):
            form.set_values(values)
            form.reset_marks()
        if self.roster is not None:
            self.roster.set_rows(members)
        self._loading = False
        self.update_relevance()
        self.restart()

    def _on_value_changed(self, form: FieldForm, field_id: str) -> None:
        prefill_network(self.form, form, field_id)
        carry_head(self.facts, form)
        self.update_relevance()
        if not self._loading:
            self.record_changed.emit()
            if self.form.field(field_id).type is FieldType.CNIC:
                path = field_path(self.form.section_of(field_id).kind, field_id)
                self._number_changed(path, form.editor(field_id).value())

    def _on_roster_changed(self) -> None:
        if not self._loading:
            self.record_changed.emit()

    def _on_roster_number_changed(self, row: int, column: str, value: object) -> None:
        if not self._loading:
            self._number_changed(f"members[{row}].{column}", value)

    def _number_changed(self, path: str, value: object) -> None:
        """A CNIC answer changed: an old "elsewhere" problem goes; a complete one is looked up."""
        if path in self.checks.externals():
            self.checks.set_external_problem(path, None)
        parsed = parse_cnic(value) if isinstance(value, str) else None
        if parsed is not None and parsed.cnic is not None:
            self.number_completed.emit(path, parsed.cnic.digits)

    def update_relevance(self) -> None:
        _, relevant = relevant_values(self.form, self.values(), self.today())
        for form in dict.fromkeys(self.forms.values()):
            form.set_relevant(relevant)

    def fill_empty(self, values: Mapping[str, object], hint: str) -> list[str]:
        """Fill the household fields that are still empty (a scanned card); the ids filled."""
        filled: list[str] = []
        for form in dict.fromkeys(self.forms.values()):
            mine = {k: v for k, v in values.items() if k in form.field_ids()}
            for field_id in form.fill_empty(mine, hint):
                filled.append(field_id)
                self._on_value_changed(form, field_id)
        return filled

    def head_cnic_field(self) -> str | None:
        """The id of the head's CNIC question (the first CNIC field outside the roster)."""
        for section in self.form.sections:
            if section.kind is SectionKind.HEAD:
                for field_ in section.fields:
                    if field_.type is FieldType.CNIC:
                        return field_.id
        return None

    # ------------------------------------------------------------ validation

    def issues(self) -> list[ValidationIssue]:
        return self.checks.issues()

    def externals(self) -> dict[str, tuple[str, str]]:
        return self.checks.externals()

    def go_to_field(self, path: str) -> None:
        """Back to the question at *path* (the review's problems)."""
        self.paths.go_to_field(path)

    # ------------------------------------------------------------ leaving a page

    def _leave_anyway(self) -> None:
        """Ctrl+Enter (or the grid's Enter on a fresh row): the next page."""
        self.next()

    # ------------------------------------------------------------ navigation, language

    def _on_current_id_changed(self, page_id: int) -> None:
        page = self.page(page_id)
        if isinstance(page, SectionPage) and isinstance(page.content, FieldForm):
            page.content.show_page_problems(0)
        self.focus_current()

    def focus_current(self) -> None:
        """The keyboard goes to the first question of the page shown (or the grid)."""
        page = self.currentPage()
        if isinstance(page, SectionPage) and isinstance(page.content, FieldForm | MembersGrid):
            page.content.focus_first()

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The focused question scrolled into view; its options listed with their keys."""
        if new is None:
            return
        page = self.currentPage()
        if not isinstance(page, SectionPage) or not page.isAncestorOf(new):
            return
        # After the layout has settled (a page just shown, a question just shown or hidden).
        QTimer.singleShot(0, lambda: _show_in(page.scroll_area, new))
        if isinstance(page.content, MembersGrid):
            page.pane.show_editor(page.content.editor_of(new))
            return
        field_id = new.objectName().removeprefix("field_")
        form = self.forms.get(field_id)
        page.pane.show_editor(form.editor(field_id) if form is page.content else None)

    def accept(self) -> None:
        """Finish means save: the wizard stays on screen (it is embedded, not a dialog)."""
        self.finish_requested.emit()

    def reject(self) -> None:
        """Escape must not hide the embedded wizard; the draft is kept anyway."""
        return None

    def set_language(self, language: str) -> None:
        self._language = language
        was_loading, self._loading = (
            self._loading,
            True,
        )  # a new language changes no answer
        for page in self.section_pages:
            page.set_language(language)
            if isinstance(page.content, (FieldForm, MembersGrid)):
                page.content.set_language(language)
        self._loading = was_loading
        self.review.set_language(language)
        self._retranslate()

    @property
    def language(self) -> str:
        return self._language

    def _retranslate(self) -> None:
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("&Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Save and queue"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        if event.type() == QEvent.Type.FontChange:
            _fit_header_fonts(self)
        super().changeEvent(event)


def _show_in(scroll: QScrollArea, widget: QWidget) -> None:
    if isValid(scroll) and isValid(widget) and widget.hasFocus():
        show_whole(scroll, widget)


def _fit_header_fonts(wizard: RegistrationWizard) -> None:
    """QWizard's own title and subtitle labels keep the height they had: after a switch
    to Urdu the page title was cut by the header line (defect 6)."""
    pages = [*wizard.section_pages, wizard.review]
    for label in wizard.findChildren(QLabel):
        if any(page.isAncestorOf(label) for page in pages):
            continue
        label.setMinimumHeight(label.heightForWidth(max(label.width(), 400))
                               if label.wordWrap() else label.fontMetrics().height())  # fmt: skip
