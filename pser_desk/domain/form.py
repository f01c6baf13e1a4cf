"""The questionnaire model: a form definition loaded from JSON, and its skip logic.

The GUI renders the wizard from it, the validator checks records against it, and the
slip prints from it: nothing about a question is hard-coded anywhere else. The model is
frozen dataclasses; :func:`parse_form` checks a decoded definition by hand (no
``jsonschema`` at run time) and raises :class:`FormDefinitionError` naming the field,
e.g. ``sections[2].fields[4].options[1].code: missing``.

Record shape (central-api.md section 5): a section's ``kind`` says where its fields live:
``head`` -> ``record["head"]``, ``address`` -> ``record["address"]``, ``answers`` ->
``record["answers"]``, ``members`` -> ``record["members"]`` (the rows of its one roster).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeAlias, TypeVar

from pser_desk.domain.dates import age_on, parse_iso_date
from pser_desk.domain.jsontypes import JsonValue

FORM_FILE = "pser-household-2024.1.json"


class FormDefinitionError(ValueError):
    """A malformed form definition; the message starts with the path of the bad part."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


class FieldType(enum.StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"
    CNIC = "cnic"
    MOBILE = "mobile"
    ROSTER = "roster"


class SectionKind(enum.StrEnum):
    HEAD = "head"
    MEMBERS = "members"
    ADDRESS = "address"
    ANSWERS = "answers"


CHOICE_TYPES = frozenset({FieldType.CHOICE, FieldType.MULTI_CHOICE, FieldType.YES_NO})
NUMBER_TYPES = frozenset({FieldType.INTEGER, FieldType.DECIMAL})


@dataclass(frozen=True, slots=True)
class Label:
    """A text in English and Urdu."""

    en: str
    ur: str

    def text(self, language: str) -> str:
        return self.ur if language == "ur" else self.en


YES_NO_OPTIONS_LABELS = (("yes", Label("Yes", "ہاں")), ("no", Label("No", "نہیں")))


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    label: Label
    exclusive: bool = False  # multi_choice: cannot be ticked with another option ("none")


# What a comparison compares with: true/false for ``answered``, years for the age tests,
# a code or number for ``equals``/``contains``, a tuple of them for ``in``/``not_in``.
ConditionValue: TypeAlias = "str | int | float | bool | tuple[str | int | float, ...] | None"


@dataclass(frozen=True, slots=True)
class Condition:
    """Skip logic. ``op`` is a comparison on ``field`` or ``all``/``any``/``not`` of ``children``."""

    op: str
    field: str | None = None
    value: ConditionValue = None
    children: tuple[Condition, ...] = ()

    def field_refs(self) -> Iterator[str]:
        if self.field is not None:
            yield self.field
        for child in self.children:
            yield from child.field_refs()


@dataclass(frozen=True, slots=True)
class Field:
    id: str
    type: FieldType
    label: Label
    help: Label | None = None
    options: tuple[Option, ...] = ()
    required: bool = False
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    pattern: str | None = None
    max_length: int | None = None
    format: str | None = None
    relevant: Condition | None = None
    options_from: str | None = None
    depends_on: str | None = None
    default: JsonValue = None
    mask: str | None = None
    placeholder: Label | None = None
    must_be: str | None = None
    max_years_ago: int | None = None
    fields: tuple[Field, ...] = ()  # roster columns
    min_rows: int = 0
    max_rows: int | None = None

    @property
    def option_codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    def column(self, column_id: str) -> Field:
        for column in self.fields:
            if column.id == column_id:
                return column
        raise KeyError(f"{self.id}.{column_id}")


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    kind: SectionKind
    label: Label
    fields: tuple[Field, ...]
    help: Label | None = None


# A rule's parameter, of the kind form_parse.RULE_PARAMS names for it.
RuleParam: TypeAlias = "str | int | tuple[str, ...] | Mapping[str, int] | Mapping[str, str]"


@dataclass(frozen=True, slots=True)
class Rule:
    """A cross-field rule: a named ``check`` with its parameters and the issue ``code``."""

    id: str
    check: str
    code: str
    params: Mapping[str, RuleParam] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """A parameter the loader checked to be text (a field reference, a code)."""
        return _param_as(self, name, str)

    def number(self, name: str) -> int:
        return _param_as(self, name, int)

    def texts(self, name: str) -> tuple[str, ...]:
        value = _param_as(self, name, tuple)
        return tuple(str(item) for item in value)

    def int_map(self, name: str) -> Mapping[str, int]:
        value = self._mapping(name)
        return {key: item for key, item in value.items() if isinstance(item, int)}

    def text_map(self, name: str) -> Mapping[str, str]:
        value = self._mapping(name)
        return {key: item for key, item in value.items() if isinstance(item, str)}

    def _mapping(self, name: str) -> Mapping[str, int | str]:
        value = self.params.get(name)
        if not isinstance(value, Mapping):
            raise TypeError(f"rule {self.id}: {name} is not a mapping")
        return value


T = TypeVar("T")


def _param_as(rule: Rule, name: str, kind: type[T]) -> T:
    """The loader checked every parameter's kind (form_parse.RULE_PARAMS); another is a bug."""
    value = rule.params.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"rule {rule.id}: {name} is not {kind.__name__}")
    return value


@dataclass(frozen=True, slots=True)
class FormDefinition:
    form_id: str
    version: str
    title: Label
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = ()

    def all_fields(self) -> tuple[Field, ...]:
        """Every top-level field in form order (roster columns are inside their roster)."""
        return tuple(f for section in self.sections for f in section.fields)

    def field(self, field_id: str) -> Field:
        """A top-level field by id, or a roster column as ``roster.column``."""
        roster_id, _, column_id = field_id.partition(".")
        for candidate in self.all_fields():
            if candidate.id == roster_id:
                return candidate.column(column_id) if column_id else candidate
        raise KeyError(field_id)

    def section_of(self, field_id: str) -> Section:
        for section in self.sections:
            if any(f.id == field_id for f in section.fields):
                return section
        raise KeyError(field_id)

    def sections_of_kind(self, kind: SectionKind) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind is kind)

    @property
    def roster(self) -> Field:
        """The members roster (the one roster field of the ``members`` section)."""
        return self.sections_of_kind(SectionKind.MEMBERS)[0].fields[0]

    def flat_values(self, record: Mapping[str, object]) -> dict[str, object]:
        """Head, address and answers values in one mapping (ids are unique across them)."""
        values: dict[str, object] = {}
        for kind in (SectionKind.HEAD, SectionKind.ADDRESS, SectionKind.ANSWERS):
            part = record.get(kind.value) if isinstance(record, Mapping) else None
            if isinstance(part, Mapping):
                values.update(part)
        return values


def row_values(
    roster: Field, flat: Mapping[str, object], row: Mapping[str, object]
) -> dict[str, object]:
    """What a roster column's skip logic reads: the row, then top-level fields it does not shadow."""
    values = {k: v for k, v in flat.items() if all(k != c.id for c in roster.fields)}
    values.update(row)
    return values


def renderable(form: FormDefinition) -> bool:
    """Whether the desk's wizard can show *form*: a head section and exactly one household
    roster (the desk offers new registrations only under a version it can show)."""
    kinds = [section.kind for section in form.sections]
    return SectionKind.HEAD in kinds and kinds.count(SectionKind.MEMBERS) == 1


# ----------------------------------------------------------------- skip logic


def is_answered(value: object) -> bool:
    """None, an empty or blank string and an empty list count as not answered."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return bool(value)
    return True


def evaluate_condition(
    condition: Condition, values: Mapping[str, object], *, today: date | None = None
) -> bool:
    """True if *condition* holds for *values* (field id -> value). Never raises."""
    op = condition.op
    if op == "all":
        return all(evaluate_condition(c, values, today=today) for c in condition.children)
    if op == "any":
        return any(evaluate_condition(c, values, today=today) for c in condition.children)
    if op == "not":
        return not evaluate_condition(condition.children[0], values, today=today)
    value = values.get(condition.field or "")
    return _compare(op, value, condition.value, today or date.today())


def _compare(op: str, value: object, expected: ConditionValue, today: date) -> bool:
    if op == "answered":
        return is_answered(value) == bool(expected)
    if op in ("age_at_least", "age_below"):
        born = parse_iso_date(value)
        if born is None or not isinstance(expected, int | float):
            return True  # unknown age: ask the question rather than hide it
        age = age_on(born, today)
        return age >= expected if op == "age_at_least" else age < expected
    if op == "contains":
        return isinstance(value, list) and expected in value
    if op == "equals":
        return bool(value == expected)
    if op == "not_equals":
        return is_answered(value) and bool(value != expected)
    member = _hashable(value) and isinstance(expected, tuple) and value in expected
    return member if op == "in" else is_answered(value) and _hashable(value) and not member


def _hashable(value: object) -> bool:
    return isinstance(value, str | int | float | bool)


def evaluate_relevance(
    field_: Field, values: Mapping[str, object], *, today: date | None = None
) -> bool:
    """Whether *field_* is asked, given *values* (for a roster column: the row over the record)."""
    if field_.relevant is None:
        return True
    return evaluate_condition(field_.relevant, values, today=today)


# ----------------------------------------------------------------- loading


def load_form(path: Path | None = None) -> FormDefinition:
    """Load and check a definition file (default: the shipped 2024.1 household form)."""
    if path is None:
        from pser_desk.paths import forms_dir

        path = forms_dir() / FORM_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(
            "", f"cannot read {path.name}: {exc.__class__.__name__}"
        ) from None
    return load_form_text(text)


def load_form_text(text: str) -> FormDefinition:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormDefinitionError("", f"not JSON (line {exc.lineno}, column {exc.colno})") from None
    return parse_form(obj)


def parse_form(obj: object) -> FormDefinition:
    """Check a decoded definition and build the model; raises :class:`FormDefinitionError`."""
    from pser_desk.domain.form_parse import parse_definition

    return parse_definition(obj)
