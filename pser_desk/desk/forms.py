"""Form definitions: the version new registrations follow, the one a record names, updates.

New registrations follow the newest version on this PC that the desk can show (shipped
with the desk or fetched from central); a record finishes under the version it started
with. ``forms update`` fetches central's current versions, checks central's signature and
keeps them (every version is kept).
"""

from __future__ import annotations

from collections.abc import Callable

from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.failures import desk_errors
from pser_desk.desk.model import FormRef
from pser_desk.domain.form import FormDefinition, FormDefinitionError, load_form, renderable
from pser_desk.security.envelope import b64u_decode
from pser_desk.store import StoreService
from pser_desk.store.forms import FormRegistry, FormVersionInfo, UnknownFormVersion
from pser_desk.sync.client import CentralClient
from pser_desk.sync.forms import FormRefused, FormUpdate, update_form

__all__ = ["FormUpdate", "Forms"]


class Forms:
    def __init__(self, store: StoreService, client: Callable[[], CentralClient]) -> None:
        self._store = store
        self._registry = FormRegistry(store.store)
        self._client = client  # a central client for this PC (the sender makes it)
        self._form_id: str | None = None

    @property
    def form_id(self) -> str:
        """The household form's id (the shipped definition names it)."""
        if self._form_id is None:
            self._form_id = load_form().form_id
        return self._form_id

    def current_form(self) -> FormDefinition:
        """The newest version on this PC the wizard can show (fetched or shipped)."""
        with desk_errors():
            return self._registry.newest(self.form_id, renderable)

    def version_names(self) -> tuple[str, ...]:
        """Every version of the household form this PC can use (for the heartbeat)."""
        with desk_errors():
            return tuple(self._registry.versions(self.form_id))

    def current_ref(self) -> FormRef:
        form = self.current_form()
        return FormRef(form.form_id, form.version)

    def form_version(self, form: FormRef) -> FormDefinition:
        """The version a draft or a returned record names, as this PC holds it."""
        with desk_errors():
            try:
                found = self._registry.get(form.form_id, form.version)
            except UnknownFormVersion:
                raise DeskError(
                    ErrorCode.FORM_UNKNOWN_VERSION, f"no form {form} on this PC"
                ) from None
            except FormDefinitionError:
                raise DeskError(ErrorCode.FORM_UNREADABLE, f"form {form} cannot be read") from None
        if not renderable(found):
            raise DeskError(ErrorCode.FORM_UNREADABLE, f"form {form} cannot be shown by this desk")
        return found

    def versions(self) -> list[FormVersionInfo]:
        """Every version on this PC, which is current, how many records use each."""
        with desk_errors():
            return self._registry.describe()

    def update(self, form_ids: list[str] | None = None) -> tuple[list[FormUpdate], dict[str, str]]:
        """Fetch, verify and keep central's current version of each form; returns the
        updates and the version new records of each form now use."""
        with desk_errors():
            identity = self._store.device.require()
            repository = self._registry.repository
            wanted = form_ids or self._registry.form_ids()
        if repository is None:
            raise DeskError(ErrorCode.STORE_UNAVAILABLE, "no database to keep forms in")
        signing_key = b64u_decode(identity.central_signing_key)
        client = self._client()
        try:
            with desk_errors():
                updates = [update_form(client, repository, f, signing_key) for f in wanted]
        except FormRefused as exc:
            raise DeskError(ErrorCode.FORM_REFUSED, str(exc)) from None
        finally:
            client.close()
        with desk_errors():
            current = {f: self._registry.current(f).version for f in wanted}
        return updates, current
