"""The domain validator, adapted for the store: a record is judged by the form version it
names (records finish under the version they started with, even after a newer one
arrived), on the day the caller gives (the store's clock, in Pakistan).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from pser_desk.domain.form import FormDefinition
from pser_desk.domain.geography import Geography, load_geography
from pser_desk.domain.validate import ValidationIssue, validate_record

if TYPE_CHECKING:
    from pser_desk.store.database import Store


class FormLookup(Protocol):
    """What the validator needs of :class:`pser_desk.store.forms.FormRegistry`."""

    def get(self, form_id: str, version: str) -> FormDefinition: ...


@dataclass
class FormValidator:
    registry: FormLookup
    geography: Geography = field(default_factory=load_geography)

    @classmethod
    def shipped(cls) -> FormValidator:
        """The form versions shipped with the desk (no database: tools and tests)."""
        from pser_desk.store.forms import FormRegistry

        return cls(FormRegistry(None))

    @classmethod
    def for_store(cls, store: Store) -> FormValidator:
        """Every version this PC holds, fetched or shipped."""
        from pser_desk.store.forms import FormRegistry

        return cls(FormRegistry(store))

    def validate(self, record: Mapping[str, object], today: date) -> Sequence[ValidationIssue]:
        from pser_desk.store.forms import UnknownFormVersion

        form_id, version = record.get("form_id"), record.get("form_version")
        if not isinstance(form_id, str) or not isinstance(version, str):
            return [ValidationIssue.of("form_version", "unknown_form_version")]
        try:
            form = self.registry.get(form_id, version)
        except UnknownFormVersion:
            return [ValidationIssue.of("form_version", "unknown_form_version")]
        return validate_record(dict(record), form, geography=self.geography, today=today)
