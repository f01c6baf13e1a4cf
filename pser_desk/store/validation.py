"""The domain validator, adapted for the store (the form in use and today's date)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pser_desk.domain.form import FormDefinition, load_form


@dataclass
class FormValidator:
    form: FormDefinition
    geography: Any

    @classmethod
    def default(cls) -> FormValidator:
        from pser_desk.domain.geography import load_geography

        return cls(load_form(), load_geography())

    @property
    def form_id(self) -> str:
        return self.form.form_id

    @property
    def form_version(self) -> str:
        return self.form.version

    def validate(self, record: Mapping[str, Any]) -> Sequence[Any]:
        from pser_desk.domain.validate import validate_record

        issues: Sequence[Any] = validate_record(
            dict(record), self.form, geography=self.geography, today=date.today()
        )
        return issues
