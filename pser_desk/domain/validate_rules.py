"""The cross-field rules of a form definition (its ``rules`` list), as (path, code) pairs.

Each rule names a built-in ``check`` and the fields it reads (``head.x``, ``address.x``,
``answers.x`` or ``members[].x``). A rule only looks at values that are well-formed: a
broken date or CNIC is already reported by the field checks, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date

from pser_desk.domain.cnic import parse_cnic
from pser_desk.domain.dates import age_on, parse_iso_date
from pser_desk.domain.form import FormDefinition, Rule, is_answered
from pser_desk.domain.geography import Geography

Found = list[tuple[str, str]]
Slot = tuple[str, object]  # (path, value)


class RuleContext:
    def __init__(self, record: Mapping[str, object], geography: Geography, today: date) -> None:
        self.record = record
        self.geography = geography
        self.today = today

    def rows(self) -> list[tuple[int, Mapping[str, object]]]:
        rows = self.record.get("members")
        if not isinstance(rows, list):
            return []
        return [(i, row) for i, row in enumerate(rows) if isinstance(row, Mapping)]

    def slots(self, ref: str) -> Iterator[Slot]:
        """Every (path, value) a reference points at: one for ``head.x``, one per row for ``members[].x``."""
        part, _, name = ref.partition(".")
        if part == "members[]":
            for i, row in self.rows():
                yield f"members[{i}].{name}", row.get(name)
            return
        section = self.record.get(part)
        value = section.get(name) if isinstance(section, Mapping) else None
        yield ref, value

    def row_pairs(self, ref_a: str, ref_b: str) -> Iterator[tuple[Slot, Slot]]:
        """The two references side by side, row by row (or once for the head)."""
        yield from zip(self.slots(ref_a), self.slots(ref_b))

    def one(self, ref: str) -> object:
        return next(self.slots(ref), ("", None))[1]


def check_rules(
    record: Mapping[str, object],
    form: FormDefinition,
    geography: Geography,
    today: date,
    *,
    reading: str | None = None,
) -> Found:
    """The issues of *form*'s rules; with *reading* (``head.cnic``), only of the rules
    that read that field (a rule reports only at fields it reads)."""
    ctx = RuleContext(record, geography, today)
    found: Found = []
    for rule in form.rules:
        if reading is None or reading in rule_references(rule):
            found.extend(RULE_CHECKS[rule.check](ctx, rule))
    return found


def rule_references(rule: Rule) -> set[str]:
    """The fields a rule reads (``head.x``, ``members[].x``...): its text parameters."""
    refs: set[str] = set()
    for value in rule.params.values():
        if isinstance(value, str):
            refs.add(value)
        elif isinstance(value, tuple):
            refs.update(str(item) for item in value)
    return refs


def _min_age(ctx: RuleContext, rule: Rule) -> Found:
    found: Found = []
    for path, value in ctx.slots(rule.text("field")):
        born = parse_iso_date(value)
        if (
            born is not None
            and born <= ctx.today
            and age_on(born, ctx.today) < rule.number("years")
        ):
            found.append((path, rule.code))
    return found


def _cnic_gender(ctx: RuleContext, rule: Rule) -> Found:
    found: Found = []
    skip = set(rule.texts("skip_values"))
    for (_, number), (gender_path, gender) in ctx.row_pairs(rule.text("cnic"), rule.text("gender")):
        parsed = parse_cnic(number) if isinstance(number, str) else None
        if (
            parsed is None
            or parsed.cnic is None
            or gender not in ("male", "female")
            or gender in skip
        ):
            continue
        if parsed.cnic.gender.value != gender:
            found.append((gender_path, rule.code))
    return found


def _unique_cnic(ctx: RuleContext, rule: Rule) -> Found:
    found: Found = []
    seen: set[str] = set()
    for ref in rule.texts("fields"):
        for path, value in ctx.slots(ref):
            parsed = parse_cnic(value) if isinstance(value, str) else None
            if parsed is None or parsed.cnic is None:
                continue
            if parsed.cnic.digits in seen:
                found.append((path, rule.code))
            seen.add(parsed.cnic.digits)
    return found


def _minor_id_type(ctx: RuleContext, rule: Rule) -> Found:
    found: Found = []
    pairs = ctx.row_pairs(rule.text("id_type"), rule.text("date_of_birth"))
    for (id_path, id_type), (_, dob) in pairs:
        born = parse_iso_date(dob)
        if born is None or not is_answered(id_type):
            continue
        minor = age_on(born, ctx.today) < rule.number("adult_age")
        if minor and id_type != rule.text("minor_value"):
            found.append((id_path, rule.code))
    return found


def _relation_ages(ctx: RuleContext, rule: Rule) -> Found:
    head_born = parse_iso_date(ctx.one(rule.text("head_date_of_birth")))
    if head_born is None:
        return []
    younger, older = rule.int_map("younger_than_head"), rule.int_map("older_than_head")
    found: Found = []
    for (_, relation), (dob_path, dob) in ctx.row_pairs(
        rule.text("relation"), rule.text("date_of_birth")
    ):
        born = parse_iso_date(dob)
        if born is None or not isinstance(relation, str):
            continue
        if relation in younger and not _gap_ok(head_born, born, younger[relation]):
            found.append((dob_path, rule.code))
        if relation in older and not _gap_ok(born, head_born, older[relation]):
            found.append((dob_path, rule.code))
    return found


def _gap_ok(elder: date, younger: date, years: int) -> bool:
    """*younger* was born after *elder*, and *elder* was at least *years* old by then."""
    return younger > elder and age_on(elder, younger) >= years


def _relation_gender(ctx: RuleContext, rule: Rule) -> Found:
    genders = rule.text_map("genders")
    found: Found = []
    for (_, relation), (gender_path, gender) in ctx.row_pairs(
        rule.text("relation"), rule.text("gender")
    ):
        if not isinstance(relation, str) or gender not in ("male", "female"):
            continue
        if relation in genders and genders[relation] != gender:
            found.append((gender_path, rule.code))
    return found


def _spouse_requires_married(ctx: RuleContext, rule: Rule) -> Found:
    spouses = set(rule.texts("spouse_values"))
    has_spouse = any(
        value in spouses for _, value in ctx.slots(rule.text("relation")) if isinstance(value, str)
    )
    path, status = next(ctx.slots(rule.text("marital_status")))
    if has_spouse and isinstance(status, str) and status not in rule.texts("married_values"):
        return [(path, rule.code)]
    return []


def _geography(ctx: RuleContext, rule: Rule) -> Found:
    district_path, tehsil_path = rule.text("district"), rule.text("tehsil")
    division = ctx.one(rule.text("division"))
    district, tehsil = ctx.one(district_path), ctx.one(tehsil_path)
    geo = ctx.geography
    found: Found = []
    known_district = geo.find(district, "district") is not None
    if known_district and geo.find(division, "division") and not geo.contains(division, district):
        found.append((district_path, rule.code))
    if known_district and geo.find(tehsil, "tehsil") and not geo.contains(district, tehsil):
        found.append((tehsil_path, rule.text("tehsil_code")))
    return found


RULE_CHECKS: dict[str, Callable[[RuleContext, Rule], Found]] = {
    "min_age": _min_age,
    "cnic_gender": _cnic_gender,
    "unique_cnic": _unique_cnic,
    "minor_id_type": _minor_id_type,
    "relation_ages": _relation_ages,
    "relation_gender": _relation_gender,
    "spouse_requires_married": _spouse_requires_married,
    "geography": _geography,
}
