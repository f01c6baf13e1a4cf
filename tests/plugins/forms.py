"""The shipped household form definition, Punjab's geography and example records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from pser_desk.domain.example import example_record
from pser_desk.domain.form import FormDefinition, load_form
from pser_desk.domain.geography import Geography, load_geography

# A fixed "today" so that ages (and so validity) never depend on the day the tests run.
TODAY = date(2026, 11, 24)


@pytest.fixture(scope="session")
def household_form() -> FormDefinition:
    return load_form()


@pytest.fixture(scope="session")
def punjab() -> Geography:
    return load_geography()


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def make_example(
    household_form: FormDefinition, punjab: Geography
) -> Callable[[int], dict[str, Any]]:
    """``make_example(seed)``: a complete, valid household record (as of TODAY)."""

    def make(seed: int) -> dict[str, Any]:
        return example_record(seed, household_form, punjab, TODAY)

    return make
