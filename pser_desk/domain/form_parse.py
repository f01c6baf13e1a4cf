"""Hand-written checks of a decoded form definition, building the model of ``form.py``.

Every problem raises :class:`FormDefinitionError` whose message starts with the path of
the bad part (``sections[2].fields[4].options[1].code: missing``), which a JSON schema
validator would not give as clearly. Checks: types and required keys, no unknown keys
(a typo such as ``requried`` must not pass silently), snake_case ids unique in their
scope, options for choice fields, ranges, patterns, skip logic that refers only to
earlier fields and to real option codes, and cross-field rules that refer to real fields.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping
from types import MappingProxyType
from typing import TypedDict

from pser_desk.domain.form import (
    CHOICE_TYPES,
    NUMBER_TYPES,
    YES_NO_OPTIONS_LABELS,
    Condition,
    ConditionValue,
    Field,
    FieldType,
    FormDefinition,
    FormDefinitionError,
    Label,
    Option,
    Rule,
    RuleParam,
    Section,
    SectionKind,
)
from pser_desk.domain.jsontypes import json_value


class TypedAttributes(TypedDict, total=False):
    """The attributes of a :class:`Field` that only some field types have."""

    min: float | None
    max: float | None
    unit: str | None
    pattern: str | None
    format: str | None
    max_length: int | None
    max_years_ago: int | None
    fields: tuple[Field, ...]
    min_rows: int
    max_rows: int | None
    options_from: str
    depends_on: str | None
    must_be: str


ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FORMATS = frozenset({"person_name", "email", "iban_or_account"})
OPTIONS_FROM = {
    "geography.divisions": False,  # value: needs depends_on
    "geography.districts": True,
    "geography.tehsils": True,
}
TOP_KEYS = {"form_id", "version", "title", "sections", "rules", "description", "sources", "$schema"}
SECTION_KEYS = {"id", "kind", "label", "help", "fields"}
FIELD_KEYS = {
    "id", "type", "label", "help", "options", "required", "min", "max", "unit", "pattern",
    "max_length", "format", "relevant", "options_from", "depends_on", "default", "mask",
    "placeholder", "must_be", "max_years_ago", "fields", "min_rows", "max_rows", "note",
}  # fmt: skip
OPTION_KEYS = {"code", "label", "exclusive"}
COMPARISONS = {
    "equals", "not_equals", "in", "not_in", "contains", "answered", "age_at_least", "age_below",
}  # fmt: skip
RULE_PARAMS: dict[str, dict[str, str]] = {
    "min_age": {"field": "ref", "years": "int"},
    "cnic_gender": {"cnic": "ref", "gender": "ref", "skip_values": "strs?"},
    "unique_cnic": {"fields": "refs"},
    "minor_id_type": {"id_type": "ref", "date_of_birth": "ref", "adult_age": "int", "minor_value": "str"},
    "relation_ages": {
        "relation": "ref", "date_of_birth": "ref", "head_date_of_birth": "ref",
        "younger_than_head": "map_int", "older_than_head": "map_int",
    },
    "relation_gender": {"relation": "ref", "gender": "ref", "genders": "map_str"},
    "geography": {"division": "ref", "district": "ref", "tehsil": "ref", "tehsil_code": "str"},
    "spouse_requires_married": {
        "relation": "ref", "marital_status": "ref", "spouse_values": "strs", "married_values": "strs",
    },
}  # fmt: skip


def fail(path: str, problem: str) -> FormDefinitionError:
    return FormDefinitionError(path, problem)


def _obj(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise fail(path, "must be an object")
    return value


def _list(value: object, path: str, *, non_empty: bool = True) -> list[object]:
    if not isinstance(value, list):
        raise fail(path, "must be a list")
    if non_empty and not value:
        raise fail(path, "must not be empty")
    return value


def _get(obj: Mapping[str, object], key: str, path: str) -> object:
    if key not in obj:
        raise fail(f"{path}.{key}" if path else key, "missing")
    return obj[key]


def _text(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(path, "must be a non-empty string")
    return value


def _ident(value: object, path: str) -> str:
    text = _text(value, path)
    if not ID_RE.match(text):
        raise fail(path, f"{text!r} is not a snake_case id")
    return text


def _no_unknown_keys(obj: Mapping[str, object], allowed: set[str], path: str) -> None:
    for key in obj:
        if key not in allowed:
            raise fail(f"{path}.{key}" if path else str(key), "unknown key")


def _label(value: object, path: str) -> Label:
    obj = _obj(value, path)
    _no_unknown_keys(obj, {"en", "ur"}, path)
    en = _text(_get(obj, "en", path), f"{path}.en")
    ur = _text(_get(obj, "ur", path), f"{path}.ur")
    return Label(en, ur)


def _optional_label(obj: Mapping[str, object], key: str, path: str) -> Label | None:
    return _label(obj[key], f"{path}.{key}") if key in obj else None


def _number(obj: Mapping[str, object], key: str, path: str) -> float | None:
    if key not in obj:
        return None
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(f"{path}.{key}", "must be a number")
    return value


def _int(obj: Mapping[str, object], key: str, path: str, *, minimum: int = 0) -> int | None:
    if key not in obj:
        return None
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise fail(f"{path}.{key}", f"must be an integer >= {minimum}")
    return value


def _bool(obj: Mapping[str, object], key: str, path: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise fail(f"{path}.{key}", "must be true or false")
    return value


def _optional_text(obj: Mapping[str, object], key: str, path: str) -> str | None:
    return _text(obj[key], f"{path}.{key}") if key in obj else None


# ----------------------------------------------------------------- options


def _options(field_type: FieldType, obj: Mapping[str, object], path: str) -> tuple[Option, ...]:
    if field_type is FieldType.YES_NO and "options" not in obj:
        return tuple(Option(code, label) for code, label in YES_NO_OPTIONS_LABELS)
    wants = field_type in CHOICE_TYPES and "options_from" not in obj
    if not wants:
        if "options" in obj:
            raise fail(f"{path}.options", f"not allowed for type {field_type.value}")
        return ()
    items = _list(_get(obj, "options", path), f"{path}.options")
    options = tuple(_option(item, f"{path}.options[{i}]") for i, item in enumerate(items))
    seen: set[str] = set()
    for i, option in enumerate(options):
        if option.code in seen:
            raise fail(f"{path}.options[{i}].code", f"duplicate code {option.code!r}")
        seen.add(option.code)
    if field_type is FieldType.YES_NO and seen != {"yes", "no"}:
        raise fail(f"{path}.options", "a yes_no field has exactly the codes 'yes' and 'no'")
    return options


def _option(value: object, path: str) -> Option:
    obj = _obj(value, path)
    _no_unknown_keys(obj, OPTION_KEYS, path)
    code = _ident(_get(obj, "code", path), f"{path}.code")
    label = _label(_get(obj, "label", path), f"{path}.label")
    return Option(code, label, _bool(obj, "exclusive", path))


# ----------------------------------------------------------------- conditions


def _condition(value: object, path: str, scope: Mapping[str, Field]) -> Condition:
    obj = _obj(value, path)
    for group in ("all", "any"):
        if group in obj:
            _no_unknown_keys(obj, {group}, path)
            items = _list(obj[group], f"{path}.{group}")
            kids = tuple(_condition(c, f"{path}.{group}[{i}]", scope) for i, c in enumerate(items))
            return Condition(group, children=kids)
    if "not" in obj:
        _no_unknown_keys(obj, {"not"}, path)
        return Condition("not", children=(_condition(obj["not"], f"{path}.not", scope),))
    ref = _text(_get(obj, "field", path), f"{path}.field")
    if ref not in scope:
        raise fail(f"{path}.field", f"{ref!r} is not an earlier field")
    ops = [key for key in obj if key != "field"]
    if len(ops) != 1 or ops[0] not in COMPARISONS:
        raise fail(path, f"needs exactly one of {sorted(COMPARISONS)} (or all/any/not)")
    op = ops[0]
    return Condition(op, ref, _condition_value(op, obj[op], f"{path}.{op}", scope[ref]))


def _condition_value(op: str, value: object, path: str, target: Field) -> ConditionValue:
    if op == "answered":
        if not isinstance(value, bool):
            raise fail(path, "must be true or false")
        return value
    if op in ("age_at_least", "age_below"):
        if (
            target.type is not FieldType.DATE
            or isinstance(value, bool)
            or not isinstance(value, int)
        ):
            raise fail(path, "needs a date field and a whole number of years")
        return value
    if op == "contains" and target.type is not FieldType.MULTI_CHOICE:
        raise fail(path, "'contains' needs a multi_choice field")
    if op in ("in", "not_in"):
        items = _list(value, path)
        return tuple(_option_value(item, f"{path}[{i}]", target) for i, item in enumerate(items))
    return _option_value(value, path, target)


def _option_value(value: object, path: str, target: Field) -> str | int | float:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise fail(path, "must be a string or a number")
    if target.options and value not in target.option_codes:
        raise fail(path, f"{value!r} is not an option of {target.id}")
    return value


# ----------------------------------------------------------------- fields


def _field(
    value: object, path: str, scope: dict[str, Field], taken: Collection[str], *, in_roster: bool
) -> Field:
    """One field; *scope* is what its skip logic may read, *taken* the ids already used."""
    obj = _obj(value, path)
    _no_unknown_keys(obj, FIELD_KEYS, path)
    field_id = _ident(_get(obj, "id", path), f"{path}.id")
    if field_id in taken:
        raise fail(f"{path}.id", f"duplicate field id {field_id!r}")
    type_text = _text(_get(obj, "type", path), f"{path}.type")
    try:
        field_type = FieldType(type_text)
    except ValueError:
        raise fail(f"{path}.type", f"unknown type {type_text!r}") from None
    if field_type is FieldType.ROSTER and in_roster:
        raise fail(f"{path}.type", "a roster cannot hold a roster")
    built = Field(
        id=field_id,
        type=field_type,
        label=_label(_get(obj, "label", path), f"{path}.label"),
        help=_optional_label(obj, "help", path),
        options=_options(field_type, obj, path),
        required=_bool(obj, "required", path),
        relevant=_condition(obj["relevant"], f"{path}.relevant", scope)
        if "relevant" in obj
        else None,
        mask=_optional_text(obj, "mask", path),
        placeholder=_optional_label(obj, "placeholder", path),
        **_typed_attributes(field_type, obj, path, scope),
    )
    _check_must_be(built, path)
    return _with_default(built, obj, path)


def _typed_attributes(
    field_type: FieldType, obj: Mapping[str, object], path: str, scope: dict[str, Field]
) -> TypedAttributes:
    attrs: TypedAttributes = {}
    _only_for(obj, path, field_type, {"min", "max", "unit"}, NUMBER_TYPES)
    _only_for(obj, path, field_type, {"pattern", "max_length", "format"}, {FieldType.TEXT})
    _only_for(obj, path, field_type, {"max_years_ago"}, {FieldType.DATE})
    _only_for(obj, path, field_type, {"fields", "min_rows", "max_rows"}, {FieldType.ROSTER})
    _only_for(obj, path, field_type, {"options_from", "depends_on"}, {FieldType.CHOICE})
    if field_type in NUMBER_TYPES:
        attrs.update(_range(obj, path))
    if field_type is FieldType.TEXT:
        attrs.update(_text_attributes(obj, path))
    if field_type is FieldType.DATE:
        attrs["max_years_ago"] = _int(obj, "max_years_ago", path, minimum=1)
    if field_type is FieldType.ROSTER:
        attrs.update(_roster(obj, path, scope))
    if "options_from" in obj:
        attrs.update(_options_from(obj, path, scope))
    if "must_be" in obj:
        attrs["must_be"] = _text(obj["must_be"], f"{path}.must_be")
    return attrs


def _only_for(
    obj: Mapping[str, object],
    path: str,
    field_type: FieldType,
    keys: set[str],
    types: Collection[FieldType],
) -> None:
    for key in keys:
        if key in obj and field_type not in types:
            raise fail(f"{path}.{key}", f"not allowed for type {field_type.value}")


def _range(obj: Mapping[str, object], path: str) -> TypedAttributes:
    low, high = _number(obj, "min", path), _number(obj, "max", path)
    if low is not None and high is not None and low > high:
        raise fail(f"{path}.min", f"greater than max ({low} > {high})")
    return {"min": low, "max": high, "unit": _optional_text(obj, "unit", path)}


def _text_attributes(obj: Mapping[str, object], path: str) -> TypedAttributes:
    pattern = _optional_text(obj, "pattern", path)
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise fail(f"{path}.pattern", f"not a regular expression ({exc})") from None
    fmt = _optional_text(obj, "format", path)
    if fmt is not None and fmt not in FORMATS:
        raise fail(f"{path}.format", f"unknown format {fmt!r} (known: {sorted(FORMATS)})")
    return {
        "pattern": pattern,
        "format": fmt,
        "max_length": _int(obj, "max_length", path, minimum=1),
    }


def _roster(obj: Mapping[str, object], path: str, outer: dict[str, Field]) -> TypedAttributes:
    items = _list(_get(obj, "fields", path), f"{path}.fields")
    scope = dict(outer)  # a column reads earlier columns first, then top-level fields
    columns: list[Field] = []
    for i, item in enumerate(items):
        column = _field(item, f"{path}.fields[{i}]", scope, {c.id for c in columns}, in_roster=True)
        scope[column.id] = column
        columns.append(column)
    min_rows = _int(obj, "min_rows", path) or 0
    max_rows = _int(obj, "max_rows", path, minimum=1)
    if max_rows is not None and min_rows > max_rows:
        raise fail(f"{path}.min_rows", f"greater than max_rows ({min_rows} > {max_rows})")
    return {"fields": tuple(columns), "min_rows": min_rows, "max_rows": max_rows}


def _options_from(obj: Mapping[str, object], path: str, scope: dict[str, Field]) -> TypedAttributes:
    source = _text(obj["options_from"], f"{path}.options_from")
    if source not in OPTIONS_FROM:
        raise fail(
            f"{path}.options_from", f"unknown source {source!r} (known: {sorted(OPTIONS_FROM)})"
        )
    depends_on = _optional_text(obj, "depends_on", path)
    if OPTIONS_FROM[source] and depends_on is None:
        raise fail(f"{path}.depends_on", f"missing (needed by {source})")
    if depends_on is not None and depends_on not in scope:
        raise fail(f"{path}.depends_on", f"{depends_on!r} is not an earlier field")
    return {"options_from": source, "depends_on": depends_on}


def _with_default(built: Field, obj: Mapping[str, object], path: str) -> Field:
    if "default" not in obj:
        return built
    default = obj["default"]
    if built.options and default not in built.option_codes:
        raise fail(f"{path}.default", f"{default!r} is not an option code")
    try:
        value = json_value(default)
    except ValueError:
        raise fail(f"{path}.default", "must be a JSON value") from None
    return dataclasses.replace(built, default=value)


def _check_must_be(built: Field, path: str) -> None:
    if built.must_be is not None and built.options and built.must_be not in built.option_codes:
        raise fail(f"{path}.must_be", f"{built.must_be!r} is not an option code")


# ----------------------------------------------------------------- sections and rules


def _section(value: object, path: str, scope: dict[str, Field]) -> Section:
    obj = _obj(value, path)
    _no_unknown_keys(obj, SECTION_KEYS, path)
    section_id = _ident(_get(obj, "id", path), f"{path}.id")
    kind_text = _text(_get(obj, "kind", path), f"{path}.kind")
    try:
        kind = SectionKind(kind_text)
    except ValueError:
        raise fail(f"{path}.kind", f"unknown kind {kind_text!r}") from None
    items = _list(_get(obj, "fields", path), f"{path}.fields")
    fields: list[Field] = []
    for i, item in enumerate(items):
        built = _field(item, f"{path}.fields[{i}]", scope, scope, in_roster=False)
        _check_kind(kind, built, f"{path}.fields[{i}]")
        scope[built.id] = built
        fields.append(built)
    if kind is SectionKind.MEMBERS and len(fields) != 1:
        raise fail(f"{path}.fields", "a members section holds exactly one roster field")
    label = _label(_get(obj, "label", path), f"{path}.label")
    return Section(section_id, kind, label, tuple(fields), _optional_label(obj, "help", path))


def _check_kind(kind: SectionKind, built: Field, path: str) -> None:
    if (built.type is FieldType.ROSTER) != (kind is SectionKind.MEMBERS):
        raise fail(f"{path}.type", "a roster field belongs in (and only in) a members section")


def _rule(value: object, path: str, refs: Mapping[str, Field]) -> Rule:
    obj = _obj(value, path)
    rule_id = _ident(_get(obj, "id", path), f"{path}.id")
    check = _text(_get(obj, "check", path), f"{path}.check")
    if check not in RULE_PARAMS:
        raise fail(f"{path}.check", f"unknown check {check!r} (known: {sorted(RULE_PARAMS)})")
    code = _text(_get(obj, "code", path), f"{path}.code")
    spec = RULE_PARAMS[check]
    _no_unknown_keys(obj, {"id", "check", "code", "description", *spec}, path)
    params = {name: _param(obj, name, kind, path, refs) for name, kind in spec.items()}
    return Rule(rule_id, check, code, MappingProxyType(params))


def _param(
    obj: Mapping[str, object], name: str, kind: str, path: str, refs: Mapping[str, Field]
) -> RuleParam:
    where = f"{path}.{name}"
    if kind.endswith("?"):
        if name not in obj:
            return ()
        kind = kind[:-1]
    value = _get(obj, name, path)
    if kind == "ref":
        return _ref(value, where, refs)
    if kind == "refs":
        return tuple(_ref(v, f"{where}[{i}]", refs) for i, v in enumerate(_list(value, where)))
    if kind == "int":
        number = _int({name: value}, name, path)
        assert number is not None  # the key is there
        return number
    if kind == "str":
        return _text(value, where)
    if kind == "strs":
        return tuple(_text(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where)))
    if kind == "map_int":
        return MappingProxyType(
            {k: _map_int(v, f"{where}.{k}") for k, v in _obj(value, where).items()}
        )
    return MappingProxyType({k: _map_str(v, f"{where}.{k}") for k, v in _obj(value, where).items()})


def _map_int(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(where, "must be int")
    return value


def _map_str(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise fail(where, "must be str")
    return value


def _ref(value: object, where: str, refs: Mapping[str, Field]) -> str:
    text = _text(value, where)
    if text not in refs:
        raise fail(
            where, f"{text!r} is not a field (use head.x, address.x, answers.x or members[].x)"
        )
    return text


def _reference_table(sections: tuple[Section, ...]) -> dict[str, Field]:
    refs: dict[str, Field] = {}
    for section in sections:
        for built in section.fields:
            if built.type is FieldType.ROSTER:
                refs.update({f"{section.kind.value}[].{c.id}": c for c in built.fields})
            else:
                refs[f"{section.kind.value}.{built.id}"] = built
    return refs


REQUIRED_IDS = {
    "head": ("head.cnic", "head.name"),
    "members": ("members[].cnic_or_bform", "members[].name", "members[].relation"),
}


def parse_definition(obj: object) -> FormDefinition:
    top = _obj(obj, "")
    _no_unknown_keys(top, TOP_KEYS, "")
    scope: dict[str, Field] = {}
    sections_raw = _list(_get(top, "sections", ""), "sections")
    sections = tuple(_section(s, f"sections[{i}]", scope) for i, s in enumerate(sections_raw))
    _check_section_ids(sections)
    refs = _reference_table(sections)
    for ids in REQUIRED_IDS.values():
        for ref in ids:
            if ref not in refs:
                raise fail("sections", f"the record needs a field {ref} (central-api.md section 5)")
    rules_raw = _list(top.get("rules", []), "rules", non_empty=False)
    rules = tuple(_rule(r, f"rules[{i}]", refs) for i, r in enumerate(rules_raw))
    return FormDefinition(
        form_id=_text(_get(top, "form_id", ""), "form_id"),
        version=_text(_get(top, "version", ""), "version"),
        title=_label(_get(top, "title", ""), "title"),
        sections=sections,
        rules=rules,
    )


def _check_section_ids(sections: tuple[Section, ...]) -> None:
    seen: set[str] = set()
    for i, section in enumerate(sections):
        if section.id in seen:
            raise fail(f"sections[{i}].id", f"duplicate section id {section.id!r}")
        seen.add(section.id)
    if sum(s.kind is SectionKind.MEMBERS for s in sections) > 1:
        raise fail("sections", "only one members section")
