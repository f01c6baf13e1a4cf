"""The family members as a grid on the page: one row per member, keyboard only.

Each cell is the same editor the other pages use (a digit chooses an option and moves
on, a complete CNIC or date moves on by itself). Enter goes to the next answer of the
row and, after its last, to a fresh row; Enter on a fresh row leaves the page (with no
member at all it asks for a second Enter first); Insert adds a row; Ctrl+Delete twice
removes the member the cursor is on; Escape never throws anything away.

What the household already says is carried forward into empty cells and skipped by
Enter (``domain/carry_forward``): a married woman's husband's name for her spouse, the
gender from the relation, the B-Form or CNIC from the age, the household's CNIC prefix
at the start of a child's B-Form. Such a cell is shown in italics until edited. A row's
problems, cross-field rules included (a CNIC for a member under 18, a child older than
the parent), show at once under the grid for the row being typed, and the row number is
marked; the page is not left past a problem without Ctrl+Enter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from pser_desk.domain.carry_forward import Inference, bform_prefix, infer_member
from pser_desk.domain.form import Field, FieldType, is_answered
from pser_desk.domain.geography import Geography
from pser_desk.gui.messages import issue_text
from pser_desk.gui.wizard.editors import (
    ChoiceEditor,
    FieldEditor,
    LineEditor,
    fit_width,
    make_editor,
)
from pser_desk.gui.wizard.field_form import (
    ERROR_STYLE,
    NAVIGATION_REASONS,
    is_deliberate_enter,
    is_enter,
)
from pser_desk.gui.wizard.model import relevant_columns
from pser_desk.gui.wizard.scrolling import show_whole

# (row values) -> {column id: problem code} for the columns that have a problem
RowChecker = Callable[[dict[str, object]], dict[str, str]]
CARRIED_STYLE = "font-style: italic; color: #1f4e79;"
GRID_TEXT_CHARS = 24  # a name in a grid cell
VISIBLE_ROWS = 2  # the view always shows the titles and this many members
MIN_COLUMN_WIDTH = 80
TITLE_SLACK = 40  # a word does not break: room for the longer of the two lines
BAD_CELL_PROPERTY = "problem"


@dataclass
class _Row:
    editors: dict[str, FieldEditor]
    number: QLabel
    touched: set[str] = field(default_factory=set)  # passed or answered: problems show
    owned: set[str] = field(default_factory=set)  # typed into (or cleared) by the operator
    problems: dict[str, str] = field(default_factory=dict)
    external: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> (code, detail)
    relevant: set[str] = field(default_factory=set)

    def values(self) -> dict[str, object]:
        return {cid: e.value() for cid, e in self.editors.items()}

    def is_blank(self) -> bool:
        return not any(is_answered(e.value()) and not e.auto_filled for e in self.editors.values())

    def load(self, values: Mapping[str, object]) -> None:
        """A saved member's answers: all the operator's, none passed on this screen yet."""
        for cid, editor in self.editors.items():
            editor.set_value(values.get(cid))
        self.touched, self.owned = set(), set(values)

    def fill_empty(self, values: Mapping[str, object]) -> list[str]:
        """Fill the empty cells (a scanned card), as if typed; the column ids filled."""
        filled = []
        for cid, value in values.items():
            editor = self.editors.get(cid)
            if editor is None or value in (None, ""):
                continue
            if editor.value() is not None and not editor.auto_filled:
                continue  # typed by the operator: kept
            editor.set_value(value)
            editor.auto_filled = False
            self.touched.add(cid)
            self.owned.add(cid)
            filled.append(cid)
        return filled

    def show_relevant(self, relevant: set[str]) -> None:
        """Only the cells that apply to this member show; carried-forward ones in italics."""
        self.relevant = relevant
        for cid, editor in self.editors.items():
            editor.widget.setVisible(cid in relevant)
            carried = editor.auto_filled and editor.value() is not None
            editor.widget.setStyleSheet(CARRIED_STYLE if carried else "")

    def judge(self, found: dict[str, str], everything: bool) -> None:
        """The row's problems: the rules' and the typing's (*found*) where the operator has
        been (or *everything*), and those found elsewhere at once."""
        if self.is_blank():
            self.problems = {}
            return
        for cid, editor in self.editors.items():
            problem = editor.input_problem()
            if problem:
                found[cid] = problem
        shown_to = self.touched | (set(self.editors) if everything else set())
        self.problems = {c: code for c, code in found.items() if c in shown_to}
        for cid, (code, _detail) in self.external.items():
            self.problems.setdefault(cid, code)  # found elsewhere: shown at once

    def set_external(self, column: str, code: str | None, detail: str) -> None:
        self.external.pop(column, None)
        if code:
            self.external[column] = (code, detail)

    def first_problem(self, columns: list[Field]) -> str | None:
        """The leftmost cell with a problem."""
        return next((c.id for c in columns if c.id in self.problems), None)

    def typed_into(self, editor: FieldEditor) -> str | None:
        """The operator typed into *editor*'s cell: its problems show, it is theirs."""
        column = self.column_of(editor)
        if column is not None:
            self.touched.add(column)
            self.owned.add(column)
        return column

    def column_of(self, editor: FieldEditor) -> str | None:
        return next((c for c, e in self.editors.items() if e is editor), None)

    def carry_forward(self, household: dict[str, object], facts: Inference, today: date) -> None:
        """Empty the cells filled in before, then fill in what the row now says (never a
        cell the operator has typed into or cleared)."""
        for editor in self.editors.values():
            if editor.auto_filled and editor.value() is not None:
                editor.set_value(None)  # typed over, it would no longer be auto_filled
                editor.auto_filled = False
        typed = {cid: e.value() for cid, e in self.editors.items()}
        for cid, value in infer_member(typed, household, facts, today).items():
            target = self.editors.get(cid)
            if target is not None and target.value() is None and cid not in self.owned:
                target.set_value(value)
                target.auto_filled = True
        prefix = bform_prefix(self.values(), household, facts)
        cnic = self.editors.get(facts.cnic or "")
        if prefix and isinstance(cnic, LineEditor) and cnic.field.id not in self.owned:
            cnic.start_with(prefix)

    def mark(self, index: int) -> None:
        """Cells with a problem framed in red, carried-forward ones in italics; the row's
        number (1-based *index*) marked when it has a problem."""
        for cid, editor in self.editors.items():
            bad = cid in self.problems
            if editor.widget.property(BAD_CELL_PROPERTY) != bad:
                editor.widget.setProperty(BAD_CELL_PROPERTY, bad)
                editor.widget.setStyleSheet(
                    ("border: 2px solid #b00020;" if bad else "")
                    + (CARRIED_STYLE if editor.auto_filled and editor.value() is not None else "")
                )
        self.number.setText(f"{index} ⚠" if self.problems else str(index))
        self.number.setStyleSheet(ERROR_STYLE if self.problems else "")


class _GridTable(QWidget):
    """The grid itself: a title per column, then a row of cells per member."""

    def __init__(self, columns: list[Field], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("membersTable")
        self.columns = columns
        stack = QVBoxLayout(self)
        self.layout_grid = QGridLayout()
        stack.addLayout(self.layout_grid)
        stack.addStretch(1)  # rows stay at the top, however tall the view
        self.layout_grid.setHorizontalSpacing(6)
        self.layout_grid.setVerticalSpacing(4)
        self.layout_grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        self.headers: list[QLabel] = []
        for c, column in enumerate(columns, start=1):
            header = QLabel(self)
            header.setObjectName(f"header_{column.id}")
            header.setWordWrap(True)
            header.setAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeading)
            header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.layout_grid.addWidget(header, 0, c)
            self.headers.append(header)

    def add_row(self, before: int, today: Callable[[], date], language: str) -> _Row:
        """The cells of the member after *before* others, each the editor its column needs."""
        index = before + 1
        number = QLabel(str(index), self)
        number.setObjectName(f"memberNumber_{index}")
        editors: dict[str, FieldEditor] = {}
        for c, column in enumerate(self.columns, start=1):
            editor = make_editor(column, self)
            editor.widget.setObjectName(f"field_{column.id}")
            editor.widget.setProperty("memberRow", index - 1)
            if isinstance(editor, LineEditor):
                editor.today = today
            editor.set_language(language)
            fit_width(editor, GRID_TEXT_CHARS)
            self.layout_grid.addWidget(editor.widget, index, c)
            editors[column.id] = editor
        self.layout_grid.addWidget(number, index, 0)
        return _Row(editors, number)

    def chain_tab_order(self, rows: list[_Row]) -> None:
        """Tab goes along a row, then to the next row's first cell."""
        widgets = [r.editors[c.id].widget for r in rows for c in self.columns]
        for first, second in zip(widgets, widgets[1:]):
            QWidget.setTabOrder(first, second)

    @staticmethod
    def drop(rows: list[_Row]) -> None:
        for row in rows:
            for widget in (*(e.widget for e in row.editors.values()), row.number):
                widget.hide()
                widget.deleteLater()

    def set_titles(self, language: str) -> None:
        for header, column in zip(self.headers, self.columns):
            header.setText(column.label.text(language))


class MembersGrid(QWidget):
    """The roster as a grid. ``changed`` on every edit; ``finished`` when Enter on a fresh
    row (or Ctrl+Enter) asks to leave the page and nothing stands in the way."""

    changed = Signal()
    finished = Signal()
    leave_requested = Signal()
    number_changed = Signal(int, str, object)  # (row, CNIC column, value)

    def __init__(
        self,
        roster: Field,
        geography: Geography,
        household: Callable[[], dict[str, object]],
        today: Callable[[], date],
        check_row: RowChecker,
        facts: Inference,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"field_{roster.id}")
        self.field = roster
        self._geography, self._household, self._today = geography, household, today
        self._check_row, self._facts = check_row, facts
        self.columns = _grid_order(roster, facts)
        self._rows: list[_Row] = []
        self._language = "en"
        self._loading = False
        self._keys = _GridKeys(self)
        self._last_row: int | None = None
        self._messages = _GridMessages(self)
        self.help_label = self._messages.help_label
        self.count_label = self._messages.count_label
        self.problems_label = self._messages.problems_label
        self.table = _GridTable(self.columns, self)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("membersScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.table)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.help_label)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.problems_label)
        self._retranslate()

    # ------------------------------------------------------------ building

    def _add_row(self) -> _Row:
        row = self.table.add_row(len(self._rows), self._today, self._language)
        for editor in row.editors.values():
            editor.widget.installEventFilter(self._keys)
            editor.changed.connect(lambda e=editor: self._on_cell_changed(e))
            editor.advanced.connect(lambda e=editor: self._keys.advance_from(e))
        self._rows.append(row)
        self.table.chain_tab_order(self._rows)
        self._update_row(row)
        return row

    def _drop_rows(self) -> None:
        self.table.drop(self._rows)
        self._rows = []

    # ------------------------------------------------------------ values

    def rows(self) -> list[dict[str, object]]:
        """The members (rows with anything typed), only their relevant answers."""
        return [self._relevant(r)[0] for r in self._rows if not r.is_blank()]

    def set_rows(self, rows: list[dict[str, object]]) -> None:
        self._loading = True
        self._drop_rows()
        self._last_row = None
        for values in rows:
            row = self._add_row()
            row.load(values)
            self._update_row(row)
        self._loading = False
        self._keys.reset()
        self._say("", 0)
        self._refresh_count()

    def row_count(self) -> int:
        return len(self._rows)

    def is_blank(self, row: int) -> bool:
        return self._rows[row].is_blank()

    def editor_at(self, row: int, column_id: str) -> FieldEditor:
        return self._rows[row].editors[column_id]

    def editor_of(self, widget: QObject | None) -> FieldEditor | None:
        editors = (e for row in self._rows for e in row.editors.values())
        return next((e for e in editors if e.widget is widget), None)

    def current_row(self) -> int | None:
        """The row the keyboard is in, or was in before a dialog (the scanner's) took it;
        None when the grid is not on screen."""
        if not self.isVisible() or self._last_row is None:
            return None
        return self._last_row if self._last_row < len(self._rows) else None

    def _row_index_of(self, widget: QObject | None) -> int | None:
        found = (
            i
            for i, r in enumerate(self._rows)
            if any(e.widget is widget for e in r.editors.values())
        )
        return next(found, None)

    def set_external(self, row_index: int, column: str, code: str | None, detail: str) -> None:
        """A problem found outside the form (the CNIC is in another household)."""
        if not 0 <= row_index < len(self._rows):
            return
        self._rows[row_index].set_external(column, code, detail)
        self._check(self._rows[row_index])

    def external_problems(self) -> dict[str, tuple[str, str]]:
        """Path -> (code, detail) of the members' problems found outside the form."""
        members = enumerate(self._members())
        return {f"members[{i}].{c}": p for i, row in members for c, p in row.external.items()}

    def cnic_column(self) -> str | None:
        return next((c.id for c in self.columns if c.type is FieldType.CNIC), None)

    def fill_empty(self, row_index: int, values: Mapping[str, object]) -> list[str]:
        """Fill a member's empty cells (a scanned card); the column ids filled."""
        row = self._rows[row_index]
        filled = row.fill_empty(values)
        if filled:
            self._on_row_changed(row)
        return filled

    # ------------------------------------------------------------ changes

    def _on_cell_changed(self, editor: FieldEditor) -> None:
        if self._loading:
            return
        index = self._row_index_of(editor.widget)
        if index is None:
            return
        row = self._rows[index]
        column = row.typed_into(editor)
        self._keys.reset()
        self._on_row_changed(row)
        if column is not None and editor.field.type is FieldType.CNIC:
            self.number_changed.emit(index, column, editor.value())

    def _on_row_changed(self, row: _Row) -> None:
        row.carry_forward(self._household(), self._facts, self._today())
        self._update_row(row)
        self._refresh_count()
        self.changed.emit()

    def _update_row(self, row: _Row) -> None:
        """Relevance (hidden cells), carried-forward look, problems of this row."""
        row.show_relevant(self._relevant(row)[1])
        self._check(row)

    def _relevant(self, row: _Row) -> tuple[dict[str, object], set[str]]:
        """(the row's answers that apply, the columns that apply) in this household."""
        return relevant_columns(self.field, self._household(), row.values(), self._today())

    def _check(self, row: _Row, everything: bool = False) -> None:
        row.judge(
            {} if row.is_blank() else self._check_row(self._relevant(row)[0]),
            everything,
        )
        row.mark(self._rows.index(row) + 1 if row in self._rows else 0)
        self._show_problems_of(row)

    def _show_problems_of(self, row: _Row) -> None:
        if row not in self._rows:
            return
        if not row.problems:
            if self._messages.kind == "problems":
                self._say("", 0)
            return
        self._say("problems", self._rows.index(row))

    # ------------------------------------------------------------ keyboard

    def focus_first(self) -> None:
        """Arriving on the page: a fresh row to type the next member into."""
        row = self._rows[-1] if self._rows and self._rows[-1].is_blank() else self._add_row()
        self._keys.focus_cell(row, 0)

    def focus_problem(self, row_index: int, column: str | None) -> None:
        if 0 <= row_index < len(self._rows):
            self._keys.focus_problem(self._rows[row_index], column)

    def _members(self) -> list[_Row]:
        return [r for r in self._rows if not r.is_blank()]

    # ------------------------------------------------------------ messages, language

    def _say(self, kind: str, index: int) -> None:
        self._messages.say(kind, index)

    def all_rows(self) -> list[_Row]:
        return self._rows

    def column_label(self, column_id: str) -> str:
        return self.field.column(column_id).label.text(self._language)

    def _refresh_count(self) -> None:
        self.count_label.setText(self.tr("%n member(s) besides the head", "", len(self._members())))

    def set_language(self, language: str) -> None:
        self._language = language
        self._loading = True
        for row in self._rows:
            for editor in row.editors.values():
                editor.set_language(language)
        self._loading = False
        self._retranslate()

    def _retranslate(self) -> None:
        self.table.set_titles(self._language)
        self._messages.retranslate()
        self._refresh_count()
        self._schedule_fit()

    def _show_cell(self, widget: QWidget) -> None:
        if isValid(widget) and widget.hasFocus():
            show_whole(self.scroll_area, widget)

    def _schedule_fit(self) -> None:
        QTimer.singleShot(0, lambda: _fit_headers(self))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._schedule_fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule_fit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.FontChange):
            for editor in (e for row in self._rows for e in row.editors.values()):
                fit_width(editor, GRID_TEXT_CHARS)
            self._schedule_fit()
        super().changeEvent(event)


class _GridMessages:
    """The grid's words: its keys over it, and the line under it (a row's problems, or
    what a key will do)."""

    def __init__(self, grid: MembersGrid) -> None:
        self._grid = grid
        self.kind, self._index = "", 0
        self.help_label = QLabel(grid)
        self.help_label.setObjectName("membersHelp")
        self.help_label.setWordWrap(True)
        self.count_label = QLabel(grid)
        self.count_label.setObjectName("membersCount")
        self.count_label.hide()  # the row numbers say it; the review counts them
        self.problems_label = QLabel(grid)
        self.problems_label.setObjectName("membersProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.problems_label.hide()

    def say(self, kind: str, index: int) -> None:
        self.kind, self._index = kind, index
        self.show_line()

    def show_line(self) -> None:
        text = self._text()
        self.problems_label.setText(text)
        self.problems_label.setVisible(bool(text))

    def retranslate(self) -> None:
        self.help_label.setText(
            QCoreApplication.translate(
                "MembersGrid",
                "One row per member. Enter: next answer; a digit chooses an option. Insert: "
                "a new row. Enter on an empty row: next page. Ctrl+Delete twice: remove the "
                "member. Answers in italics were filled in from what is known: check them.",
            )
        )
        self.show_line()

    def _text(self) -> str:
        grid, kind, index = self._grid, self.kind, self._index
        if kind == "empty":
            return QCoreApplication.translate(
                "MembersGrid",
                "No family members besides the head? Press Enter again to go on, or type "
                "the first member in this row.",
            )
        if kind == "remove":
            return QCoreApplication.translate(
                "MembersGrid", "Press Ctrl+Delete again to remove member %1."
            ).replace("%1", str(index + 1))
        if kind == "full":
            return QCoreApplication.translate(
                "MembersGrid", "A household has at most %1 members besides the head."
            ).replace("%1", str(grid.field.max_rows))
        rows = grid.all_rows()
        if kind == "problems" and index < len(rows):
            row = rows[index]
            parts = [
                f"{grid.column_label(cid)}: " + issue_text(code, row.external.get(cid, ("", ""))[1])
                for cid, code in row.problems.items()
            ]
            who = QCoreApplication.translate("MembersGrid", "Member %1").replace(
                "%1", str(index + 1)
            )
            return f"{who}: " + "; ".join(parts) if parts else ""
        return ""


class _GridKeys(QObject):
    """The grid's keyboard (an event filter on every cell): Enter moves on and past a
    row's last answer to a fresh row, Enter on a fresh row leaves the page, Insert adds a
    row, Ctrl+Delete twice removes a member, Escape throws nothing away."""

    def __init__(self, grid: MembersGrid) -> None:
        super().__init__(grid)
        self._grid = grid
        self.empty_ok = False  # Enter once more confirms a household of the head alone
        self.remove_armed: int | None = None

    def reset(self) -> None:
        self.empty_ok = False
        self.remove_armed = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            assert isinstance(event, QFocusEvent)
            self._on_cell_left(watched, event.reason() in NAVIGATION_REASONS)
            return False
        if event.type() == QEvent.Type.FocusIn:
            if isinstance(watched, QWidget):
                QTimer.singleShot(0, lambda w=watched: self._grid._show_cell(w))
            index = self._grid._row_index_of(watched)
            if index is not None:
                self._grid._last_row = index
                self._grid._show_problems_of(self._grid._rows[index])
            return False
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        return self._on_key(watched, event)

    def _on_key(self, watched: QObject, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if is_deliberate_enter(event):
            self._grid.leave_requested.emit()
            return True
        if key == Qt.Key.Key_Insert and mods == Qt.KeyboardModifier.NoModifier:
            self._add_row_and_focus()
            return True
        if key == Qt.Key.Key_Delete and mods == Qt.KeyboardModifier.ControlModifier:
            self._remove_key(watched)
            return True
        if key == Qt.Key.Key_Escape:
            return True  # never throws a member away
        if is_enter(event):
            if isinstance(watched, QComboBox) and watched.view().isVisible():
                return False
            self._on_enter(watched)
            return True
        return False

    def focus_cell(self, row: _Row, start: int) -> None:
        """The first cell of *row* from column *start* on that shows."""
        grid = self._grid
        for column in grid.columns[start:]:
            editor = row.editors[column.id]
            if editor.widget.isVisibleTo(grid) or not grid.isVisible():
                editor.widget.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def focus_problem(self, row: _Row, column: str | None) -> None:
        first = row.editors[self._grid.columns[0].id]
        editor = row.editors.get(column or "") or first
        (editor if editor.widget.isVisibleTo(self._grid) else first).widget.setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def _add_row_and_focus(self) -> None:
        grid = self._grid
        if grid.field.max_rows is not None and len(grid._members()) >= grid.field.max_rows:
            grid._say("full", 0)
            return
        blank = next((r for r in grid._rows if r.is_blank()), None)
        self.focus_cell(blank or grid._add_row(), 0)

    def _on_cell_left(self, widget: QObject, navigated: bool) -> None:
        index = self._grid._row_index_of(widget)
        if index is None:
            return
        row = self._grid._rows[index]
        column = next((c for c, e in row.editors.items() if e.widget is widget), None)
        if column is not None and (navigated or column in row.touched):
            row.touched.add(column)
            self._grid._check(row)

    def _on_enter(self, widget: QObject) -> None:
        index = self._grid._row_index_of(widget)
        if index is None:
            return
        row = self._grid._rows[index]
        if row.is_blank() and widget is row.editors[self._grid.columns[0].id].widget:
            self._try_leave()
            return
        editor = self._grid.editor_of(widget)
        if editor is not None:
            self.advance_from(editor)

    def advance_from(self, editor: FieldEditor) -> None:
        """The cell's answer is done: the next cell to type into, or a fresh row."""
        index = self._grid._row_index_of(editor.widget)
        if index is None:
            return
        row = self._grid._rows[index]
        column = row.column_of(editor)
        if column is not None:
            row.touched.add(column)
        self._grid._check(row)
        start = next(i for i, c in enumerate(self._grid.columns) if c.id == column) + 1
        for next_column in self._grid.columns[start:]:
            target = row.editors[next_column.id]
            if next_column.id not in row.relevant or _done_for_us(target):
                row.touched.add(next_column.id)
                continue
            target.widget.setFocus(Qt.FocusReason.TabFocusReason)
            return
        self._grid._check(row, everything=True)
        if row.problems:
            self._grid.focus_problem(index, row.first_problem(self._grid.columns))
            return
        following = self._grid._rows[index + 1] if index + 1 < len(self._grid._rows) else None
        if following is None or not following.is_blank():
            following = self._grid._add_row()
        self.focus_cell(following, 0)

    def _try_leave(self) -> None:
        """Enter on a fresh row: leave the page, unless a member has a problem or there is
        no member at all and this is the first Enter."""
        members = self._grid._members()
        for row in members:
            row.touched |= set(row.editors)
            self._grid._check(row, everything=True)
        bad = next((r for r in members if r.problems), None)
        if bad is not None:
            self._grid.focus_problem(
                self._grid._rows.index(bad), bad.first_problem(self._grid.columns)
            )
            return
        if not members and not self.empty_ok:
            self.empty_ok = True
            self._grid._say("empty", 0)
            return
        self._grid._say("", 0)
        self._grid.finished.emit()

    def _remove_key(self, widget: QObject) -> None:
        index = self._grid._row_index_of(widget)
        if index is None or self._grid._rows[index].is_blank():
            return
        if self.remove_armed != index:
            self.remove_armed = index
            self._grid._say("remove", index)
            return
        keep = [r for i, r in enumerate(self._grid.rows()) if i != index]
        self._grid.set_rows(keep)
        self._grid.changed.emit()
        self._grid.focus_first()


def _fit_headers(grid: MembersGrid) -> None:
    """Column titles wrap to their column's width; the title row is as tall as the
    tallest of them needs (every line shown); the view holds the titles and three rows."""
    if not isValid(grid):
        return
    widths = [_column_width(grid, i) for i in range(len(grid.table.headers))]
    for index, width in enumerate(widths):  # a title needs at most two lines
        grid.table.headers[index].setMinimumWidth(width)  # even when no row shows the column
        for row in grid._rows:
            widget = row.editors[grid.columns[index].id].widget
            if widget.minimumWidth() < width:
                widget.setMinimumWidth(width)
    needed = max((h.heightForWidth(w) for h, w in zip(grid.table.headers, widths)), default=0)
    for header in grid.table.headers:
        if header.minimumHeight() != needed:
            header.setMinimumHeight(needed)
    row_height = max((e.widget.sizeHint().height() for e in grid._rows[0].editors.values()),
                     default=0) if grid._rows else grid.fontMetrics().height() + 12  # fmt: skip
    spacing = grid.table.layout_grid.verticalSpacing()
    bar = grid.scroll_area.horizontalScrollBar().sizeHint().height()
    view = needed + VISIBLE_ROWS * (row_height + spacing) + bar + 16
    grid.scroll_area.setMinimumHeight(view)


def _column_width(grid: MembersGrid, index: int) -> int:
    """A column is as wide as its widest cell, and wide enough for its title to wrap
    into two lines at most."""
    column = grid.columns[index].id
    header = grid.table.headers[index]
    title = header.fontMetrics().horizontalAdvance(header.text())
    cells = [max(r.editors[column].widget.minimumWidth(),
                 r.editors[column].widget.sizeHint().width()) for r in grid._rows]  # fmt: skip
    return max([MIN_COLUMN_WIDTH, title // 2 + TITLE_SLACK, *cells])


def _grid_order(roster: Field, facts: Inference) -> list[Field]:
    """Relation first (it says the most), then name, birth, document, number, gender."""
    first = [facts.relation, facts.name, facts.date_of_birth, facts.id_type, facts.cnic,
             facts.gender]  # fmt: skip
    by_id = {c.id: c for c in roster.fields}
    ordered = [by_id[c] for c in first if c in by_id]
    return ordered + [c for c in roster.fields if c not in ordered]


def _done_for_us(editor: FieldEditor) -> bool:
    """A cell the desk filled in completely (skipped by Enter; Tab still reaches it)."""
    if not editor.auto_filled or editor.value() is None:
        return False
    if isinstance(editor, LineEditor) and editor.field.type is FieldType.CNIC:
        return editor.is_complete_and_valid()
    return True


__all__ = ["ChoiceEditor", "MembersGrid", "RowChecker"]
