"""Form definitions on the PC: every version fetched from central, and the shipped files.

``FormRepository`` keeps each version central sent, exactly as signed (canonical JSON
and signature), once it has been verified and parsed (:mod:`pser_desk.sync.forms` does
that). A stored version is never changed or deleted: records finish under the version
they started with, so the rules that judged them must stay available.

``FormRegistry`` answers "the definition of version V of form F" (the stored version,
else a file shipped in ``resources/forms``), "the current version of F" (the highest
version number among both) and "the newest version of F a caller can use" (the desk: one
its wizard can show). Parsed definitions are cached; versions never change.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from pser_desk.domain.form import FormDefinition, FormDefinitionError, parse_form
from pser_desk.security.form_signing import canonical_json
from pser_desk.store.database import Store
from pser_desk.store.errors import Conflict, StoreError
from pser_desk.store.models import FormDefinitionRow, RecordRow

log = logging.getLogger(__name__)

SHIPPED = "shipped"
CENTRAL = "central"


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Order ``2024.10`` after ``2024.2``: numeric parts compare as numbers."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in version.split("."))


def canonical_text(definition: Any) -> str:
    """Sorted keys, no spaces, non-ASCII kept: the text central's signature covers."""
    return canonical_json(definition).decode("utf-8")


class UnknownFormVersion(StoreError):
    def __init__(self, form_id: str, version: str) -> None:
        super().__init__(
            f"form {form_id} version {version} is not on this PC; "
            "a manager can fetch it with 'pser-desk forms update'"
        )
        self.form_id = form_id
        self.version = version


@dataclass(frozen=True, slots=True)
class StoredForm:
    """A verified definition as central sent it (``definition`` is the decoded JSON)."""

    form_id: str
    version: str
    published_at: str
    definition: dict[str, Any]
    signature: str
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class FormVersionInfo:
    """One known version, without its definition: for ``forms list`` and the GUI."""

    form_id: str
    version: str
    source: str  # "central" (fetched, signature verified) or "shipped" (resources/forms)
    published_at: str | None
    fetched_at: datetime | None
    current: bool
    records: int  # records on this PC that name this version

    def as_json(self) -> dict[str, Any]:
        fetched = None if self.fetched_at is None else self.fetched_at.isoformat()
        return {
            "form_id": self.form_id, "version": self.version, "source": self.source,
            "published_at": self.published_at,
            "fetched_at": fetched.replace("+00:00", "Z") if fetched else None,
            "current": self.current, "records": self.records,
        }  # fmt: skip


class FormRepository:
    """The ``form_definitions`` table. Add-only: there is no update and no delete."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def save(self, form: StoredForm) -> bool:
        """Keep *form*; True if new, False if this exact version was already kept.

        The same version with a different definition is refused (:class:`Conflict`):
        records started under a version must be judged by the rules they started with.
        """
        text = canonical_text(form.definition)
        with self._store.write() as session:
            row = session.get(FormDefinitionRow, (form.form_id, form.version))
            if row is not None:
                if row.definition != text:
                    raise Conflict(
                        f"central sent a different definition for form {form.form_id} "
                        f"version {form.version}, which this PC already holds; the one held is kept"
                    )
                return False
            session.add(
                FormDefinitionRow(
                    form_id=form.form_id, version=form.version, published_at=form.published_at,
                    definition=text, signature=form.signature, fetched_at=form.fetched_at,
                )
            )  # fmt: skip
        return True

    def get(self, form_id: str, version: str) -> StoredForm | None:
        with self._store.read() as session:
            row = session.get(FormDefinitionRow, (form_id, version))
            return None if row is None else _stored(row)

    def rows(self, form_id: str | None = None) -> list[StoredForm]:
        query = select(FormDefinitionRow)
        if form_id is not None:
            query = query.where(FormDefinitionRow.form_id == form_id)
        with self._store.read() as session:
            found = [_stored(row) for row in session.scalars(query)]
        return sorted(found, key=lambda f: (f.form_id, version_key(f.version)))

    def versions(self, form_id: str) -> list[str]:
        query = select(FormDefinitionRow.version).where(FormDefinitionRow.form_id == form_id)
        with self._store.read() as session:
            return sorted(session.scalars(query), key=version_key)

    def records_per_version(self) -> dict[tuple[str, str], int]:
        """How many records name each (form id, version): the versions still needed."""
        query = select(RecordRow.form_id, RecordRow.form_version, func.count()).group_by(
            RecordRow.form_id, RecordRow.form_version
        )
        with self._store.read() as session:
            return {(f, v): int(n) for f, v, n in session.execute(query)}


def _stored(row: FormDefinitionRow) -> StoredForm:
    definition: dict[str, Any] = json.loads(row.definition)
    return StoredForm(
        row.form_id, row.version, row.published_at, definition, row.signature, row.fetched_at
    )


def _shipped_index(forms_dir: Path) -> dict[tuple[str, str], Path]:
    """The shipped files by (form_id, version), read from each file's own top keys."""
    index: dict[tuple[str, str], Path] = {}
    for path in sorted(forms_dir.glob("*.json")) if forms_dir.is_dir() else []:
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("shipped form file %s cannot be read; ignored", path.name)
            continue
        if isinstance(obj, dict):
            form_id, version = obj.get("form_id"), obj.get("version")
            if isinstance(form_id, str) and isinstance(version, str):
                index[(form_id, version)] = path
    return index


class FormRegistry:
    """Definitions by (form id, version): stored ones first, then the shipped files.

    Thread-safe. *store* None means the shipped files only (tools and tests).
    """

    def __init__(self, store: Store | None, forms_dir: Path | None = None) -> None:
        self._repo = None if store is None else FormRepository(store)
        self._forms_dir = forms_dir
        self._lock = threading.Lock()
        self._parsed: dict[tuple[str, str], FormDefinition] = {}
        self._shipped: dict[tuple[str, str], Path] | None = None

    @property
    def repository(self) -> FormRepository | None:
        return self._repo

    def _shipped_files(self) -> dict[tuple[str, str], Path]:
        with self._lock:
            if self._shipped is None:
                if self._forms_dir is None:
                    from pser_desk.paths import forms_dir

                    self._forms_dir = forms_dir()
                self._shipped = _shipped_index(self._forms_dir)
            return self._shipped

    def versions(self, form_id: str) -> list[str]:
        """Every version this PC can use, oldest first."""
        stored = self._repo.versions(form_id) if self._repo is not None else []
        shipped = [v for (f, v) in self._shipped_files() if f == form_id]
        return sorted(set(stored) | set(shipped), key=version_key)

    def form_ids(self) -> list[str]:
        stored = {f.form_id for f in self._repo.rows()} if self._repo is not None else set()
        return sorted(stored | {f for (f, _) in self._shipped_files()})

    def current(self, form_id: str) -> FormDefinition:
        """The newest version of *form_id* on this PC (for records started from now on)."""
        versions = self.versions(form_id)
        if not versions:
            raise UnknownFormVersion(form_id, "(any)")
        return self.get(form_id, versions[-1])

    def newest(
        self, form_id: str, usable: Callable[[FormDefinition], bool] | None = None
    ) -> FormDefinition:
        """The newest version of *form_id* that loads and that *usable* accepts.

        The desk passes what its wizard can show; a version it cannot is passed over
        (logged) for the one before it, down to the shipped file.
        """
        for version in reversed(self.versions(form_id)):
            try:
                form = self.get(form_id, version)
            except (FormDefinitionError, UnknownFormVersion):
                log.warning("form %s version %s cannot be read; an older one is used",
                            form_id, version)  # fmt: skip
                continue
            if usable is None or usable(form):
                return form
            log.warning("form %s version %s cannot be shown here; an older one is used",
                        form_id, version)  # fmt: skip
        raise UnknownFormVersion(form_id, "(any)")

    def get(self, form_id: str, version: str) -> FormDefinition:
        """The definition of *version*; :class:`UnknownFormVersion` if this PC has none."""
        key = (form_id, version)
        with self._lock:
            hit = self._parsed.get(key)
        if hit is not None:
            return hit
        form = self._load(form_id, version)
        with self._lock:
            self._parsed.setdefault(key, form)
        return form

    def _load(self, form_id: str, version: str) -> FormDefinition:
        stored = self._repo.get(form_id, version) if self._repo is not None else None
        if stored is not None:
            return _checked(parse_form(stored.definition), form_id, version)
        path = self._shipped_files().get((form_id, version))
        if path is None:
            raise UnknownFormVersion(form_id, version)
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise UnknownFormVersion(form_id, version) from None
        return _checked(parse_form(obj), form_id, version)

    def describe(self) -> list[FormVersionInfo]:
        """Every known version of every form, with whether it is current and in use."""
        stored = {(f.form_id, f.version): f for f in self._repo.rows()} if self._repo else {}
        in_use = self._repo.records_per_version() if self._repo is not None else {}
        infos: list[FormVersionInfo] = []
        for form_id in self.form_ids():
            versions = self.versions(form_id)
            for version in versions:
                kept = stored.get((form_id, version))
                infos.append(
                    FormVersionInfo(
                        form_id, version, CENTRAL if kept else SHIPPED,
                        kept.published_at if kept else None, kept.fetched_at if kept else None,
                        version == versions[-1], in_use.get((form_id, version), 0),
                    )
                )  # fmt: skip
        return infos


def _checked(form: FormDefinition, form_id: str, version: str) -> FormDefinition:
    if (form.form_id, form.version) != (form_id, version):
        raise FormDefinitionError(
            "version", f"the definition is {form.form_id} {form.version}, not {form_id} {version}"
        )
    return form
