"""The registration wizard: a page per section of the form definition, then the review page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget, QWizard, QWizardPage

from pser_desk.domain.form import FieldType, FormDefinition, Section, SectionKind
from pser_desk.domain.geography import Geography
from pser_desk.domain.mobile import parse_mobile
from pser_desk.domain.validate import ValidationIssue, validate_field, validate_record
from pser_desk.gui.messages import issue_text
from pser_desk.gui.wizard.field_form import FieldForm
from pser_desk.gui.wizard.model import build_record, field_path, relevant_values
from pser_desk.gui.wizard.review import ReviewPage
from pser_desk.gui.wizard.roster import RosterEditor

NETWORK_SUFFIX = "_network"  # a mobile field "x" has its network choice in "x_network"


class SectionPage(QWizardPage):
    def __init__(self, section: Section, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.setObjectName(f"page_{section.id}")
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.content = content

    def set_language(self, language: str) -> None:
        self.setTitle(self.section.label.text(language))
        help_ = self.section.help
        self.setSubTitle(help_.text(language) if help_ else "")


class RegistrationWizard(QWizard):
    """Emits ``record_changed`` on every edit and ``finish_requested`` on Save (never closes)."""

    record_changed = Signal()
    finish_requested = Signal()

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
        self.forms: dict[str, FieldForm] = {}
        self.roster: RosterEditor | None = None
        self.section_pages: list[SectionPage] = []
        self._language = "en"
        self._loading = False
        self._checked: dict[str, object] = {}  # field id -> the value last judged
        for section in form.sections:
            self._add_section(section)
        self.review = ReviewPage(self)
        self.review_id = self.addPage(self.review)
        self.currentIdChanged.connect(self._on_current_id_changed)
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
        form = FieldForm(section.fields, self.geography)
        form.setObjectName(f"form_{section.id}")
        form.value_changed.connect(lambda fid, f=form: self._on_value_changed(f, fid))
        form.left_field.connect(self._on_left_field)
        form.finished_last.connect(self.next)
        for field_id in form.field_ids():
            self.forms[field_id] = form
        return form

    def _make_roster(self, section: Section) -> RosterEditor:
        roster = RosterEditor(
            section.fields[0], self.geography, self.household_values, self.today, self.check_member
        )
        roster.changed.connect(self._on_roster_changed)
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
        self._checked.clear()
        for form in dict.fromkeys(self.forms.values()):
            form.set_values(values)
            for field_id in form.field_ids():
                form.show_hint(field_id, None)
                form.show_error(field_id, None)
        if self.roster is not None:
            self.roster.set_rows(members)
        self._loading = False
        self.update_relevance()
        self.restart()

    def _on_value_changed(self, form: FieldForm, field_id: str) -> None:
        self._prefill_network(form, field_id)
        self.update_relevance()
        if not self._loading:
            self.record_changed.emit()

    def _on_roster_changed(self) -> None:
        if not self._loading:
            self.record_changed.emit()

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
        target.auto_filled = True

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
        return validate_record(
            self.record(), self.form, geography=self.geography, today=self.today()
        )

    def _on_left_field(self, field_id: str) -> None:
        """Judge the field just left, once per value: only that field (and the rules that
        read it); the whole record is judged on the review page and before queueing."""
        form = self.forms[field_id]
        value = form.editor(field_id).value()
        if field_id in self._checked and self._checked[field_id] == value:
            return
        self._checked[field_id] = value
        path = field_path(self.form.section_of(field_id).kind, field_id)
        found = validate_field(
            self.record(), self.form, path, geography=self.geography, today=self.today()
        )
        issue = found[0] if found else None
        form.show_error(
            field_id, issue_text(issue.code) if issue else None, issue.code if issue else None
        )

    def check_member(self, row: dict[str, object]) -> dict[str, tuple[str, str]]:
        """Problems of one member row, checked within the household as it stands."""
        record = self.record()
        record["members"] = [row]
        found: dict[str, tuple[str, str]] = {}
        for issue in validate_record(
            record, self.form, geography=self.geography, today=self.today()
        ):
            if issue.path.startswith("members[0]."):
                found.setdefault(issue.path.split(".", 1)[1], (issue.code, issue_text(issue.code)))
        return found

    def go_to_field(self, path: str) -> None:
        """Back to the page of *path* (``head.cnic``, ``members[1].name``) and focus it."""
        field_id = path.split(".", 1)[1] if "." in path and not path.startswith("members") else None
        section = (
            self.form.section_of(field_id)
            if field_id
            else self.form.sections_of_kind(SectionKind.MEMBERS)[0]
        )
        target = next(i for i, p in enumerate(self.section_pages) if p.section is section)
        while self.currentId() > target:
            self.back()
        if field_id:
            self.forms[field_id].editor(field_id).widget.setFocus()
        elif self.roster is not None:
            self.roster.table.setFocus()

    # ------------------------------------------------------------ navigation, language

    def _on_current_id_changed(self, page_id: int) -> None:
        self.focus_current()

    def focus_current(self) -> None:
        """The keyboard goes to the first question of the page shown (or the roster's Add)."""
        page = self.currentPage()
        if isinstance(page, SectionPage) and isinstance(page.content, FieldForm):
            page.content.focus_first()
        elif isinstance(page, SectionPage) and isinstance(page.content, RosterEditor):
            page.content.add_button.setFocus()

    def accept(self) -> None:
        """Finish means save: the wizard stays on screen (it is embedded, not a dialog)."""
        self.finish_requested.emit()

    def reject(self) -> None:
        """Escape must not hide the embedded wizard; the draft is kept anyway."""
        return None

    def set_language(self, language: str) -> None:
        self._language = language
        for page in self.section_pages:
            page.set_language(language)
            if isinstance(page.content, (FieldForm, RosterEditor)):
                page.content.set_language(language)
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
        super().changeEvent(event)
