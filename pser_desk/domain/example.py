"""Complete, valid, varied example household records, deterministic per seed.

``example_record(seed, form, geography, today)`` walks the form definition in order,
asks only what the skip logic asks, and fills each answer from a plan of the household
(:mod:`example_people`) so that ages, relations, genders, CNIC gender digits, B-Forms for
minors and the address triple agree. Every CNIC, mobile number and IBAN is well-formed
and fictional. Used by ``pser-desk record example``, the tests, the demo and benchmarks.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Mapping
from datetime import date, timedelta

from pser_desk.domain.dates import age_on, parse_iso_date, years_before
from pser_desk.domain.example_people import Person, plan_household
from pser_desk.domain.form import (
    Field,
    FieldType,
    FormDefinition,
    SectionKind,
    evaluate_relevance,
    row_values,
)
from pser_desk.domain.geography import Geography

# Prefixes of the national numbering plan (pk_mobile_prefixes.json) with their original network.
MOBILE_PREFIXES = {
    "jazz": [f"30{d}" for d in range(10)] + [f"32{d}" for d in range(10)],
    "zong": [f"31{d}" for d in range(10)] + [f"37{d}" for d in range(10)],
    "ufone": [f"33{d}" for d in "01234567" + "9"],
    "telenor": [f"34{d}" for d in range(10)],
}
BANK_CODES = {
    "hbl": "HABB", "ubl": "UNIL", "mcb": "MUCB", "nbp": "NBPA", "abl": "ABPA",
    "bank_of_punjab": "BPUN", "meezan": "MEZN", "bank_alfalah": "ALFH", "askari": "ASCM",
    "bank_al_habib": "BAHL", "faysal": "FAYS", "js_bank": "JSBL", "zarai_taraqiati": "ZTBL",
    "khushhali": "KMBL", "mobilink_microfinance": "JCMA", "easypaisa": "TMFB", "other": "SCBL",
}  # fmt: skip
OTHER_PROVINCE_DISTRICTS = {
    "sindh": ("Karachi East", "Hyderabad", "Sukkur", "Larkana"),
    "khyber_pakhtunkhwa": ("Peshawar", "Mardan", "Swat", "Dera Ismail Khan"),
    "balochistan": ("Quetta", "Sibi", "Jaffarabad"),
    "islamabad": ("Islamabad",),
    "gilgit_baltistan": ("Gilgit", "Skardu"),
    "azad_kashmir": ("Muzaffarabad", "Mirpur", "Kotli"),
}
OPTIONAL_ANSWER_RATE = 0.6


def example_record(
    seed: int, form: FormDefinition, geography: Geography, today: date
) -> dict[str, object]:
    """A complete household record that ``validate_record`` accepts, the same for the same seed."""
    return _Builder(random.Random(seed), form, geography, today).record()


class _Builder:
    def __init__(
        self, rng: random.Random, form: FormDefinition, geography: Geography, today: date
    ) -> None:
        self.rng = rng
        self.form = form
        self.geography = geography
        self.today = today
        self.used_cnics: set[str] = set()
        self.locality = f"3{rng.randint(1000, 9999)}"

    def record(self) -> dict[str, object]:
        submission_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        head, members = plan_household(self.rng)
        flat: dict[str, object] = {}
        record: dict[str, object] = {
            "submission_id": submission_id,
            "form_id": self.form.form_id,
            "form_version": self.form.version,
        }
        record["head"] = self._fill(SectionKind.HEAD, flat, self._person_values(head, members))
        record["members"] = [self._row(m, flat) for m in members]
        record["address"] = self._fill(SectionKind.ADDRESS, flat, {})
        record["answers"] = self._fill(SectionKind.ANSWERS, flat, {})
        return record

    # ------------------------------------------------------------- walking the form

    def _fill(
        self, kind: SectionKind, flat: dict[str, object], preset: Mapping[str, object]
    ) -> dict[str, object]:
        fields = [f for s in self.form.sections_of_kind(kind) for f in s.fields]
        return self._fill_fields(fields, flat, preset)

    def _fill_fields(
        self, fields: list[Field], scope: dict[str, object], preset: Mapping[str, object]
    ) -> dict[str, object]:
        part: dict[str, object] = {}
        for field_ in fields:
            scope.pop(field_.id, None)
            if not evaluate_relevance(field_, scope, today=self.today):
                continue
            value = preset[field_.id] if field_.id in preset else self._answer(field_, scope)
            if value is not None:
                part[field_.id] = scope[field_.id] = value
        return part

    def _row(self, person: Person, flat: Mapping[str, object]) -> dict[str, object]:
        roster = self.form.roster
        scope = row_values(roster, flat, {})
        return self._fill_fields(list(roster.fields), scope, self._person_values(person, []))

    def _answer(self, field_: Field, values: Mapping[str, object]) -> object:
        hook = HOOKS.get(field_.id)
        if hook is not None:
            return hook(self, field_, values)
        if not field_.required and self.rng.random() > OPTIONAL_ANSWER_RATE:
            return None
        return GENERIC[field_.type](self, field_, values)

    # ------------------------------------------------------------- people

    def _person_values(self, person: Person, members: list[Person]) -> dict[str, object]:
        values: dict[str, object] = {
            "name": person.name,
            "date_of_birth": self._birth_date(person.age).isoformat(),
            "gender": person.gender,
            "marital_status": self._marital_status(person, members),
        }
        number = self.cnic(person.gender)
        if person.relation == "head":
            values["cnic"] = number
            values["father_or_husband_name"] = self._father_or_husband(person)
        else:
            values.update(relation=person.relation, cnic_or_bform=number)
            values["id_type"] = "cnic" if person.age >= 18 else "bform"
        return values

    def _birth_date(self, age: int) -> date:
        return years_before(self.today, age) - timedelta(days=self.rng.randint(1, 360))

    def _marital_status(self, person: Person, members: list[Person]) -> str:
        if person.married:
            return "married"
        if person.age < 20 or person.relation in ("son", "daughter", "brother", "sister"):
            return "never_married"
        return self.rng.choice(("widowed", "divorced", "separated", "never_married"))

    def _father_or_husband(self, head: Person) -> str:
        family = head.name.split()[-1] if not head.name.endswith("Bibi") else "Khan"
        return f"{self.rng.choice(('Muhammad', 'Ghulam', 'Abdul', 'Allah'))} {self.rng.choice(('Din', 'Hussain', 'Rasool', 'Ditta', 'Bakhsh'))} {family}"

    def cnic(self, gender: str) -> str:
        while True:
            locality = (
                self.locality
                if self.rng.random() < 0.8
                else f"{self.rng.choice('3336146')}{self.rng.randint(1000, 9999)}"
            )
            serial = f"{self.rng.randint(0, 9_999_999):07d}"
            last = self.rng.choice(
                "13579" if gender == "male" else "2468" if gender == "female" else "123456789"
            )
            number = locality + serial + last
            if number not in self.used_cnics:
                self.used_cnics.add(number)
                return number


# ----------------------------------------------------------------- answers by field id

Hook = Callable[[_Builder, Field, Mapping[str, object]], object]


def _pick(builder: _Builder, field_: Field, _: Mapping[str, object]) -> str:
    return builder.rng.choice(field_.option_codes)


def _age(builder: _Builder, values: Mapping[str, object]) -> int:
    born = parse_iso_date(values.get("date_of_birth"))
    return age_on(born, builder.today) if born else 30


def _highest_education(builder: _Builder, field_: Field, values: Mapping[str, object]) -> str:
    if "relation" in values and _age(builder, values) < 11:  # a young member
        return builder.rng.choice(("below_primary", "never_attended"))
    if "relation" not in values and values.get("literacy") == "no":
        return builder.rng.choice(("never_attended", "below_primary", "religious_education"))
    codes = field_.option_codes
    return builder.rng.choice(codes if "relation" in values else codes[1:])


def _disability(builder: _Builder, field_: Field, _: Mapping[str, object]) -> str:
    return "none" if builder.rng.random() < 0.8 else builder.rng.choice(field_.option_codes[1:])


def _yes_sometimes(rate: float) -> Hook:
    return lambda builder, _f, _v: "yes" if builder.rng.random() < rate else "no"


def _worked(builder: _Builder, _: Field, values: Mapping[str, object]) -> str:
    rate = 0.8 if values.get("gender") == "male" else 0.3
    if _age(builder, values) < 16:
        rate = 0.1
    return "yes" if builder.rng.random() < rate else "no"


def _income_source(builder: _Builder, field_: Field, values: Mapping[str, object]) -> str:
    if values.get("worked_last_month") == "yes":
        return builder.rng.choice(("salary", "daily_wages", "agriculture", "livestock", "business"))
    return builder.rng.choice(
        (
            "remittances",
            "pension",
            "rent",
            "government_support",
            "charity_zakat",
            "no_income",
            "other",
        )
    )


def _money(low: int, high: int) -> Hook:
    return lambda builder, _f, _v: builder.rng.randint(low // 500, high // 500) * 500


def _monthly_income(builder: _Builder, _: Field, values: Mapping[str, object]) -> int:
    if values.get("main_income_source") == "no_income":
        return 0
    return int(builder.rng.randint(8, 160) * 500)


def _account(builder: _Builder, _: Field, values: Mapping[str, object]) -> str:
    if builder.rng.random() < 0.3:
        return "".join(builder.rng.choice("0123456789") for _ in range(14))
    return make_iban(BANK_CODES.get(str(values.get("bank_name")), "SCBL"), builder.rng)


def make_iban(bank_code: str, rng: random.Random) -> str:
    account = "".join(rng.choice("0123456789") for _ in range(16))
    body = bank_code + account
    number = int("".join(str(int(ch, 36)) for ch in body + "PK00"))
    return f"PK{98 - number % 97:02d}{body}"


def _mobile(builder: _Builder, field_: Field, _: Mapping[str, object]) -> str | None:
    if not field_.required and builder.rng.random() > 0.4:
        return None
    network = builder.rng.choice(tuple(MOBILE_PREFIXES))
    prefix = builder.rng.choice(MOBILE_PREFIXES[network])
    return f"0{prefix}{builder.rng.randint(0, 9_999_999):07d}"


def _network(builder: _Builder, field_: Field, values: Mapping[str, object]) -> str:
    number = str(values.get(field_.id.removesuffix("_network"), ""))
    guessed = next((n for n, p in MOBILE_PREFIXES.items() if number[1:4] in p), "other")
    return guessed if builder.rng.random() < 0.85 else builder.rng.choice(field_.option_codes)


def _email(builder: _Builder, _: Field, values: Mapping[str, object]) -> str | None:
    if builder.rng.random() > 0.2:
        return None
    local = str(values.get("name", "user")).lower().replace(" ", ".")
    return f"{local}{builder.rng.randint(1, 99)}@example.pk"


def _division(builder: _Builder, _: Field, __: Mapping[str, object]) -> str:
    return builder.rng.choice(builder.geography.divisions()).code


def _district(builder: _Builder, field_: Field, values: Mapping[str, object]) -> str:
    return builder.rng.choice(
        builder.geography.districts(str(values.get(field_.depends_on or "")))
    ).code


def _tehsil(builder: _Builder, field_: Field, values: Mapping[str, object]) -> str:
    return builder.rng.choice(
        builder.geography.tehsils(str(values.get(field_.depends_on or "")))
    ).code


def _province(builder: _Builder, field_: Field, _: Mapping[str, object]) -> str:
    return "punjab" if builder.rng.random() < 0.6 else builder.rng.choice(field_.option_codes[1:])


def _other_district(builder: _Builder, _: Field, values: Mapping[str, object]) -> str:
    return builder.rng.choice(
        OTHER_PROVINCE_DISTRICTS.get(str(values.get("permanent_province")), ("Karachi East",))
    )


MOHALLAS = ("Islamabad", "Rehmanpura", "Gulshan", "Faisal Town", "Madina Colony", "Ghousia")


def _place_text(kind: str) -> Hook:
    def make(builder: _Builder, field_: Field, values: Mapping[str, object]) -> str | None:
        rng = builder.rng
        prefix = field_.id.split("_")[0]
        tehsil = builder.geography.find(values.get(f"{prefix}_tehsil"))
        town = tehsil.name.en if tehsil else str(values.get("permanent_district_name", "Lahore"))
        if kind == "uc":
            return (
                f"UC-{rng.randint(1, 150)}" if rng.random() < 0.7 else f"Ward {rng.randint(1, 40)}"
            )
        if kind == "city":
            if rng.random() < 0.5:
                return town
            return f"Chak No. {rng.randint(1, 600)} {rng.choice(('GB', 'JB', 'RB', 'EB'))}"
        if kind == "post":
            return None if rng.random() < 0.3 else f"{town} Post Office"
        street = f"House {rng.randint(1, 900)}, Street {rng.randint(1, 40)}"
        return f"{street}, Mohalla {rng.choice(MOHALLAS)}"

    return make


def _same_address(builder: _Builder, _: Field, __: Mapping[str, object]) -> str:
    return "yes" if builder.rng.random() < 0.7 else "no"


def _multi(builder: _Builder, field_: Field, _: Mapping[str, object]) -> list[str]:
    exclusive = [o.code for o in field_.options if o.exclusive]
    others = [o.code for o in field_.options if not o.exclusive]
    if exclusive and builder.rng.random() < 0.3:
        return [exclusive[0]]
    return sorted(builder.rng.sample(others, builder.rng.randint(1, 3)), key=others.index)


def _help_details(builder: _Builder, _: Field, __: Mapping[str, object]) -> str:
    return builder.rng.choice(
        ("Ration from the mosque committee", "School fee support", "Edhi Foundation ration")
    )


def _count(low: int, high: int) -> Hook:
    return lambda builder, _f, _v: builder.rng.randint(low, high)


def _acres(builder: _Builder, _: Field, __: Mapping[str, object]) -> float:
    return round(
        builder.rng.choice((0.5, 1, 1.5, 2, 3, 5, 8, 12.5)) * builder.rng.uniform(0.5, 2), 2
    )


def _yes(_: _Builder, __: Field, ___: Mapping[str, object]) -> str:
    return "yes"


HOOKS: dict[str, Hook] = {
    "highest_education": _highest_education,
    "disability": _disability,
    "literacy": _yes_sometimes(0.65),
    "chronic_illness": _yes_sometimes(0.15),
    "worked_last_month": _worked,
    "main_income_source": _income_source,
    "monthly_income": _monthly_income,
    "has_bank_account": _yes_sometimes(0.5),
    "account_number_or_iban": _account,
    "mobile_1": _mobile,
    "mobile_2": _mobile,
    "mobile_1_network": _network,
    "mobile_2_network": _network,
    "email": _email,
    "current_division": _division,
    "permanent_division": _division,
    "current_district": _district,
    "permanent_district": _district,
    "current_tehsil": _tehsil,
    "permanent_tehsil": _tehsil,
    "permanent_same_as_current": _same_address,
    "permanent_province": _province,
    "permanent_district_name": _other_district,
    "current_union_council": _place_text("uc"),
    "permanent_union_council": _place_text("uc"),
    "current_city_or_village": _place_text("city"),
    "permanent_city_or_village": _place_text("city"),
    "current_post_office": _place_text("post"),
    "permanent_post_office": _place_text("post"),
    "current_street_address": _place_text("street"),
    "permanent_street_address": _place_text("street"),
    "rooms": _count(1, 7),
    "monthly_rent": _money(3000, 45000),
    "electricity_bill": _money(500, 30000),
    "land_acres": _acres,
    "large_animals": _count(0, 12),
    "small_animals": _count(0, 25),
    "poultry": _count(0, 40),
    "help_other_details": _help_details,
    "consent": _yes,
    "head_declaration": _yes,
    "operator_declaration": _yes,
}


def _generic_number(builder: _Builder, field_: Field, _: Mapping[str, object]) -> float:
    low = int(field_.min or 0)
    return builder.rng.randint(low, max(low, min(int(field_.max or low + 10), low + 10)))


def _generic_text(builder: _Builder, field_: Field, _: Mapping[str, object]) -> str:
    return "Example text"[: field_.max_length or None]


def _generic_date(builder: _Builder, _: Field, __: Mapping[str, object]) -> str:
    return (builder.today - timedelta(days=builder.rng.randint(0, 3650))).isoformat()


def _generic_cnic(builder: _Builder, _: Field, __: Mapping[str, object]) -> str:
    return builder.cnic("male")


def _unexpected(_: _Builder, field_: Field, __: Mapping[str, object]) -> object:
    raise ValueError(f"cannot invent a value for {field_.id} ({field_.type})")


GENERIC: dict[FieldType, Hook] = {
    FieldType.TEXT: _generic_text,
    FieldType.INTEGER: _generic_number,
    FieldType.DECIMAL: _generic_number,
    FieldType.DATE: _generic_date,
    FieldType.CHOICE: _pick,
    FieldType.YES_NO: _pick,
    FieldType.MULTI_CHOICE: _multi,
    FieldType.CNIC: _generic_cnic,
    FieldType.MOBILE: _mobile,
    FieldType.ROSTER: _unexpected,
}
