"""Form definition updates (central-api.md section 7): fetch, verify, check, keep.

A new version is kept, and so used for records started from then on, only when

1. central's Ed25519 signature over the definition verifies with the signing key this
   PC received at enrolment (the client checks it: :meth:`CentralClient.current_form`);
2. the signed definition itself names the form id and version central's answer gives
   (the signature covers only ``definition``: a validly signed old version relabelled
   as new is refused);
3. the domain loader (:func:`pser_desk.domain.form.parse_form`) accepts it.

Anything else is refused with one line and nothing is stored. Versions already kept are
never replaced (:class:`pser_desk.store.forms.FormRepository`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from pser_desk.domain.form import FormDefinitionError, parse_form
from pser_desk.store.errors import Conflict
from pser_desk.store.forms import FormRepository, StoredForm
from pser_desk.sync.client import CentralRejected, SignatureInvalid, SignedForm

log = logging.getLogger(__name__)


class FormSource(Protocol):
    """What the updater needs of :class:`pser_desk.sync.client.CentralClient`."""

    def current_form(self, form_id: str, signing_key: bytes | None = None) -> SignedForm: ...


class FormRefused(Exception):
    """Central's definition was not taken; the message says why (one line, no data)."""


@dataclass(frozen=True, slots=True)
class FormUpdate:
    form_id: str
    version: str
    published_at: str
    new: bool  # False: this PC already held this version

    def as_json(self) -> dict[str, object]:
        return {
            "form_id": self.form_id,
            "version": self.version,
            "published_at": self.published_at,
            "status": "new" if self.new else "unchanged",
        }


def update_form(
    client: FormSource,
    repository: FormRepository,
    form_id: str,
    signing_key: bytes,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> FormUpdate:
    """Fetch the current version of *form_id*; keep it if it verifies and parses.

    Raises :class:`FormRefused` for a definition that must not be used, and lets
    :class:`pser_desk.sync.client.CentralUnavailable` through (try again later).
    """
    try:
        signed = client.current_form(form_id, signing_key)
    except SignatureInvalid:
        raise FormRefused(
            f"central's definition of {form_id} was refused: its signature does not verify "
            "with central's signing key from enrolment; nothing was stored"
        ) from None
    except CentralRejected as exc:
        raise FormRefused(f"central has no form {form_id} ({exc.status} {exc.code})") from None
    _check_names(signed, form_id)
    try:
        parse_form(signed.definition)
    except FormDefinitionError as exc:
        raise FormRefused(
            f"central's {form_id} {signed.version} was refused: this version of pser-desk "
            f"cannot read it ({exc}); nothing was stored"
        ) from None
    stored = StoredForm(
        signed.form_id, signed.version, signed.published_at, signed.definition,
        signed.signature, clock(),
    )  # fmt: skip
    try:
        new = repository.save(stored)
    except Conflict as exc:
        raise FormRefused(str(exc)) from None
    if new:
        log.info("form %s version %s kept (published %s)", form_id, signed.version,
                 signed.published_at)  # fmt: skip
    return FormUpdate(signed.form_id, signed.version, signed.published_at, new)


def _check_names(signed: SignedForm, form_id: str) -> None:
    """The answer's labels must be the ones inside the signed definition."""
    inner = (signed.definition.get("form_id"), signed.definition.get("version"))
    if signed.form_id != form_id or inner != (signed.form_id, signed.version):
        raise FormRefused(
            f"central's answer for {form_id} was refused: it is labelled "
            f"{signed.form_id} {signed.version} but the signed definition is "
            f"{inner[0]} {inner[1]}; nothing was stored"
        )
