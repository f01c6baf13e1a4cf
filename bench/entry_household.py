"""The fixed household of the entry benchmark: a woman heads it, her husband, three children.

Five people (the head and four members, three of them children with B-Forms), every page
of the form answered, in English and in Urdu (names and address typed in Urdu script).
Fictional: the CNICs are well-formed and made up.
"""

from __future__ import annotations

from typing import Any

_NAMES = {
    "en": {
        "head": "Ayesha Bibi", "husband": "Muhammad Aslam", "son": "Ali Aslam",
        "daughter": "Fatima Aslam", "small": "Usman Aslam", "uc": "Samanabad",
        "city": "Lahore", "street": "House 12 Street 4 Samanabad",
    },
    "ur": {
        "head": "عائشہ بی بی", "husband": "محمد اسلم", "son": "علی اسلم",
        "daughter": "فاطمہ اسلم", "small": "عثمان اسلم", "uc": "سمن آباد",
        "city": "لاہور", "street": "مکان 12 گلی 4 سمن آباد",
    },
}  # fmt: skip


def household(language: str) -> dict[str, Any]:
    """The record the benchmark types (``submission_id`` and form ids are the wizard's).
    Each language's household is another family: other CNICs (the desk would rightly
    flag the same numbers as already registered)."""
    n = _NAMES[language]
    place = "35202" if language == "en" else "35201"
    head = {
        "cnic": place + "12345672", "name": n["head"], "father_or_husband_name": n["husband"],
        "date_of_birth": "1985-03-12", "gender": "female", "marital_status": "married",
        "literacy": "yes", "highest_education": "primary", "disability": "none",
        "chronic_illness": "no", "worked_last_month": "yes", "work_type": "home_based_worker",
        "main_income_source": "daily_wages", "monthly_income": 25000,
        "has_bank_account": "no", "mobile_1": "03001234567", "mobile_1_network": "jazz",
    }  # fmt: skip
    members = [
        {"name": n["husband"], "relation": "spouse", "id_type": "cnic",
         "cnic_or_bform": place + "98765431", "date_of_birth": "1980-05-20", "gender": "male",
         "marital_status": "married", "highest_education": "middle", "disability": "none",
         "chronic_illness": "no", "worked_last_month": "yes",
         "work_type": "daily_wage_labourer", "monthly_income": 30000},
        {"name": n["son"], "relation": "son", "id_type": "bform",
         "cnic_or_bform": place + "11111113", "date_of_birth": "2012-08-01", "gender": "male",
         "marital_status": "never_married", "highest_education": "primary",
         "disability": "none", "chronic_illness": "no", "worked_last_month": "no"},
        {"name": n["daughter"], "relation": "daughter", "id_type": "bform",
         "cnic_or_bform": place + "22222224", "date_of_birth": "2016-02-10", "gender": "female",
         "marital_status": "never_married", "highest_education": "below_primary",
         "disability": "none", "chronic_illness": "no", "worked_last_month": "no"},
        {"name": n["small"], "relation": "son", "id_type": "bform",
         "cnic_or_bform": place + "33333335", "date_of_birth": "2021-06-15", "gender": "male",
         "highest_education": "never_attended", "disability": "none", "chronic_illness": "no"},
    ]  # fmt: skip
    address = {
        "current_division": "LHR", "current_district": "LHR-LHR",
        "current_tehsil": "LHR-LHR-03", "current_union_council": n["uc"],
        "current_city_or_village": n["city"], "current_street_address": n["street"],
        "permanent_same_as_current": "yes",
    }  # fmt: skip
    answers = {
        "house_ownership": "rented", "monthly_rent": 8000, "rooms": 2,
        "wall_material": "baked_bricks_blocks", "roof_material": "rcc_rbc",
        "drinking_water": "hand_pump", "toilet": "flush_septic_tank", "cooking_fuel": "lpg",
        "electricity": "grid", "electricity_bill": 3500, "internet_access": "no",
        "has_agricultural_land": "no", "has_livestock": "no", "vehicles": ["motorcycle"],
        "appliances": ["television", "smartphone"], "help_received": ["bisp_kafaalat"],
        "consent": "yes", "head_declaration": "yes", "operator_declaration": "yes",
    }  # fmt: skip
    return {"head": head, "members": members, "address": address, "answers": answers}


def typed_text(field_type: str, value: Any) -> str:
    """What the operator types for a value: a date as ddmmyyyy, digits as they are."""
    if field_type == "date":
        return f"{value[8:10]}{value[5:7]}{value[:4]}"
    return str(value)


def ideal_keys(record: dict[str, Any], form: Any) -> tuple[int, int]:
    """(answer characters, choices) of *record*: what the household itself takes to say,
    whatever the screen. A choice is one key; each ticked option of a tick list is one."""
    from pser_desk.domain.form import CHOICE_TYPES, FieldType

    chars = choices = 0

    def count(field_: Any, value: Any) -> None:
        nonlocal chars, choices
        if field_.type in CHOICE_TYPES:
            choices += len(value) if field_.type is FieldType.MULTI_CHOICE else 1
        else:
            chars += len(typed_text(field_.type.value, value))

    for part in ("head", "address", "answers"):
        for field_id, value in record[part].items():
            count(form.field(field_id), value)
    for row in record["members"]:
        for column_id, value in row.items():
            count(form.roster.column(column_id), value)
    return chars, choices
