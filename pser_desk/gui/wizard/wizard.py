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

from pser_desk.domain.carry_forward import infer_head, inference_for
from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.form import FieldType, FormDefinition, Section, SectionKind
from pser_desk.domain.geography import Geography
from pser_desk.domain.mobile import parse_mobile
from pser_desk.domain.validate import ValidationIssue, validate_field, validate_record
from pser_desk.gui.wizard.choice_pane import ChoicePane
from pser_desk.gui.wizard.field_form import FieldForm
from pser_desk.gui.wizard.members_grid import MembersGrid
from pser_desk.gui.wizard.model import build_record, field_path, relevant_values
from pser_desk.gui.wizard.review import ReviewPage
from pser_desk.gui.wizard.scrolling import show_whole

NETWORK_SUFFIX = "_network"  # a mobile field "x" has its network choice in "x_network"
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
        self.external: dict[str, tuple[str, str]] = {}  # path -> (code, detail), e.g. duplicates
        # field id -> (the value last judged, the rules' verdict on it): a question left
        # again unchanged is not judged again
        self._judged: dict[str, tuple[object, ValidationIssue | None]] = {}
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
        form.left_field.connect(self._on_left_field)
        form.finished_last.connect(lambda f=form: self._try_leave(f))
        form.leave_requested.connect(self._leave_anyway)
        for field_id in form.field_ids():
            self.forms[field_id] = form
        return form

    def _make_roster(self, section: Section) -> MembersGrid:
        roster = MembersGrid(
            section.fields[0], self.geography, self.household_values, self.today,
            self.check_member, self.facts,
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
        self.external = {}
        self._judged.clear()
        for form in dict.fromkeys(self.forms.values()):
            form.set_values(values)
            form.reset_marks()
        if self.roster is not None:
            self.roster.set_rows(members)
        self._loading = False
        self.update_relevance()
        self.restart()

    def _on_value_changed(self, form: FieldForm, field_id: str) -> None:
        self._prefill_network(form, field_id)
        self._carry_head(form)
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
        if path in self.externals():
            self.set_external_problem(path, None)
        parsed = parse_cnic(value) if isinstance(value, str) else None
        if parsed is not None and parsed.cnic is not None:
            self.number_completed.emit(path, parsed.cnic.digits)

    def number_at(self, path: str) -> str | None:
        """The 13 digits now at *path* (to check a late answer still applies)."""
        if path.startswith("members"):
            index, column = _member_path(path)
            if self.roster is None or column is None or index >= self.roster.row_count():
                return None
            value = self.roster.editor_at(index, column).value()
        else:
            field_id = path.split(".", 1)[-1]
            form = self.forms.get(field_id)
            value = form.editor(field_id).value() if form is not None else None
        return value if isinstance(value, str) else None

    def _prefill_network(self, form: FieldForm, field_id: str) -> None:
        if self.form.field(field_id).type is not FieldType.MOBILE:
            return
        target_id = field_id + NETWORK_SUFFIX
        if target_id not in form.field_ids():
            return
        target = form.editor(target_id)
        if target.value() is not None and not target.auto_filled:
            return  # the operator chose the network: keep it
        result = parse_mobile(form.editor(field_id).value() or "")
        target.set_value(result.mobile.network_guess.value if result.mobile else None)
        target.auto_filled = target.value() is not None

    def _carry_head(self, form: FieldForm) -> None:
        """The head's answers that follow from others (the gender from the CNIC)."""
        gender_id = self.facts.head_gender
        if gender_id is None or gender_id not in form.field_ids():
            return
        editor = form.editor(gender_id)
        if editor.value() is not None and not editor.auto_filled:
            return  # the operator chose it
        inferred = infer_head({**form.values(), gender_id: None}, self.facts).get(gender_id)
        editor.set_value(inferred)
        editor.auto_filled = inferred is not None
        form.show_hint(gender_id, "carried" if inferred is not None else None)

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
        """Every problem of the record: the rules', a number typed wrong, a CNIC elsewhere
        (the whole record: judged on the review page; the store judges it once more)."""
        found = validate_record(
            self.record(), self.form, geography=self.geography, today=self.today()
        )
        typed = self._input_problems()
        issues = [ValidationIssue.of(i.path, typed.get(i.path, i.code)) for i in found]
        seen = {i.path for i in issues}
        issues += [
            ValidationIssue.of(p, c) for p, (c, _d) in self.externals().items() if p not in seen
        ]
        return issues

    def externals(self) -> dict[str, tuple[str, str]]:
        """Every problem found outside the form: path -> (code, detail)."""
        found = dict(self.external)
        if self.roster is not None:
            found.update(self.roster.external_problems())
        return found

    def _input_problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        for field_id, form in self.forms.items():
            problem = form.editor(field_id).input_problem()
            if problem:
                problems[field_path(self.form.section_of(field_id).kind, field_id)] = problem
        return problems

    def field_problem(self, field_id: str) -> tuple[str, str] | None:
        """(code, detail) of the problem of a household question, if it has one."""
        path = field_path(self.form.section_of(field_id).kind, field_id)
        problem = self.forms[field_id].editor(field_id).input_problem()
        if problem:
            return problem, ""
        if path in self.external:
            return self.external[path]
        issue = self._judge(field_id, path)
        return (issue.code, "") if issue else None

    def _judge(self, field_id: str, path: str) -> ValidationIssue | None:
        """The rules' verdict on one question: only that field (and the rules that read
        it), once per value it takes; the whole record is judged on the review page."""
        value = self.forms[field_id].editor(field_id).value()
        judged = self._judged.get(field_id)
        if judged is not None and judged[0] == value:
            return judged[1]
        found = validate_field(
            self.record(), self.form, path, geography=self.geography, today=self.today()
        )
        issue = found[0] if found else None
        self._judged[field_id] = (value, issue)
        return issue

    def _on_left_field(self, field_id: str) -> None:
        found = self.field_problem(field_id)
        self.forms[field_id].show_error(field_id, *(found or (None, "")))

    def check_member(self, row: dict[str, object]) -> dict[str, str]:
        """Problems of one member row (column -> code), checked within the household."""
        record = self.record()
        record["members"] = [row]
        found: dict[str, str] = {}
        for issue in validate_record(
            record, self.form, geography=self.geography, today=self.today()
        ):
            if issue.path.startswith("members[0]."):
                found.setdefault(issue.path.split(".", 1)[1], issue.code)
        return found

    def set_external_problem(self, path: str, code: str | None, detail: str = "") -> None:
        """A problem found outside the form (a CNIC already registered), shown at its field."""
        part, _, field_id = path.partition(".")
        if part in ("head", "address", "answers"):
            if code:
                self.external[path] = (code, detail)
            else:
                self.external.pop(path, None)
        if part in ("head", "address", "answers") and field_id in self.forms:
            self.forms[field_id].touch(field_id)
            self._on_left_field(field_id)
        elif path.startswith("members") and self.roster is not None:
            index, column = _member_path(path)
            if column is not None:
                self.roster.set_external(index, column, code, detail)

    # ------------------------------------------------------------ leaving a page

    def _try_leave(self, form: FieldForm) -> None:
        """Enter past the last question: go on only if the page has no problem left."""
        first_bad: str | None = None
        count = 0
        for field_id in form.field_ids():
            if not form.is_shown(field_id):
                continue
            form.touch(field_id)
            found = self.field_problem(field_id)
            form.show_error(field_id, *(found or (None, "")))
            if found:
                count += 1
                first_bad = first_bad or field_id
        form.show_page_problems(count)
        if first_bad is None:
            self.next()
        else:
            form.focus_field(first_bad)

    def _leave_anyway(self) -> None:
        """Ctrl+Enter (or the grid's Enter on a fresh row): the next page."""
        self.next()

    def go_to_field(self, path: str) -> None:
        """Back to the page of *path* (``head.cnic``, ``members[1].name``) and focus it."""
        member = path.startswith("members")
        field_id = path.split(".", 1)[1] if "." in path and not member else None
        section = (
            self.form.section_of(field_id)
            if field_id
            else self.form.sections_of_kind(SectionKind.MEMBERS)[0]
        )
        target = next(i for i, p in enumerate(self.section_pages) if p.section is section)
        while self.currentId() > target:
            self.back()
        if field_id:
            form = self.forms[field_id]
            form.touch(field_id)
            self._on_left_field(field_id)
            form.focus_field(field_id)
        elif self.roster is not None:
            index, column = _member_path(path)
            self.roster.focus_problem(index, column)

    def focused_path(self) -> str | None:
        """The path of the question with the focus (``head.name``, ``members[1].name``)."""
        widget = QApplication.focusWidget()
        if widget is None or not self.isAncestorOf(widget):
            return None
        if self.roster is not None and self.roster.isAncestorOf(widget):
            editor = self.roster.editor_of(widget)
            row = self.roster.current_row()
            if editor is None or row is None:
                return None
            return f"members[{row}].{editor.field.id}"
        field_id = widget.objectName().removeprefix("field_")
        if field_id not in self.forms:
            return None
        return field_path(self.form.section_of(field_id).kind, field_id)

    def focus_path(self, path: str) -> None:
        """Put the focus on *path*'s question if it is on the page shown (a resumed draft)."""
        if path.startswith("members") and self.roster is not None:
            index, column = _member_path(path)
            if self.currentPage().isAncestorOf(self.roster):
                self.roster.focus_problem(index, column)
            return
        field_id = path.split(".", 1)[-1]
        form = self.forms.get(field_id)
        if form is not None and self.currentPage().isAncestorOf(form):
            form.focus_field(field_id)

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
        was_loading, self._loading = self._loading, True  # a new language changes no answer
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
            self._fit_header_fonts()
        super().changeEvent(event)

    def _fit_header_fonts(self) -> None:
        """QWizard's own title and subtitle labels keep the height they had: after a switch
        to Urdu the page title was cut by the header line (defect 6)."""
        pages = [*self.section_pages, self.review]
        for label in self.findChildren(QLabel):
            if any(page.isAncestorOf(label) for page in pages):
                continue
            label.setMinimumHeight(label.heightForWidth(max(label.width(), 400))
                                   if label.wordWrap() else label.fontMetrics().height())  # fmt: skip


def _show_in(scroll: QScrollArea, widget: QWidget) -> None:
    if isValid(scroll) and isValid(widget) and widget.hasFocus():
        show_whole(scroll, widget)


def _member_path(path: str) -> tuple[int, str | None]:
    """``members[2].name`` -> (2, "name"); ``members`` -> (0, None)."""
    if "[" not in path:
        return 0, None
    index = int(path[path.index("[") + 1 : path.index("]")])
    column = path.split(".", 1)[1] if "." in path else None
    return index, column
