"""The domain validator, adapted for the store (the form in use and today's date).

A record is judged by the form version it names (``form_version``): records finish
under the version they started with, even after a newer one arrived. ``form`` is the
version new records start under; ``registry`` supplies the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from pser_desk.domain.form import FormDefinition, load_form

if TYPE_CHECKING:
    from pser_desk.store.database import Store


class FormLookup(Protocol):
    """What the validator needs of :class:`pser_desk.store.forms.FormRegistry`."""

    def get(self, form_id: str, version: str) -> FormDefinition: ...


@dataclass
class FormValidator:
    form: FormDefinition
    geography: Any
    registry: FormLookup | None = None

    @classmethod
    def default(cls) -> FormValidator:
        """The shipped form; records naming another shipped version are judged by it."""
        from pser_desk.domain.geography import load_geography
        from pser_desk.store.forms import FormRegistry

        return cls(load_form(), load_geography(), FormRegistry(None))

    @classmethod
    def for_store(cls, store: Store) -> FormValidator:
        """New records start under the newest version on this PC (shipped or fetched)."""
        from pser_desk.domain.geography import load_geography
        from pser_desk.store.forms import FormRegistry

        registry = FormRegistry(store)
        return cls(registry.current(load_form().form_id), load_geography(), registry)

    @property
    def form_id(self) -> str:
        return self.form.form_id

    @property
    def form_version(self) -> str:
        return self.form.version

    def form_for(self, record: Mapping[str, Any]) -> FormDefinition:
        """The definition *record* is judged by: the version it names, else ``form``."""
        form_id = str(record.get("form_id") or self.form.form_id)
        version = str(record.get("form_version") or self.form.version)
        if (form_id, version) == (self.form.form_id, self.form.version) or self.registry is None:
            return self.form
        return self.registry.get(form_id, version)

    def validate(self, record: Mapping[str, Any]) -> Sequence[Any]:
        from pser_desk.domain.validate import ValidationIssue, validate_record
        from pser_desk.store.forms import UnknownFormVersion

        try:
            form = self.form_for(record)
        except UnknownFormVersion:
            return [ValidationIssue.of("form_version", "unknown_form_version")]
        issues: Sequence[Any] = validate_record(
            dict(record), form, geography=self.geography, today=date.today()
        )
        return issues
