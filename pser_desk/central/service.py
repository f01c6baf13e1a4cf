"""The reference central service's behaviour, without HTTP (central-api.md, to the letter).

:meth:`CentralService.handle` takes one request (method, raw path with query, headers,
body bytes) and returns the :class:`Response`; :mod:`pser_desk.central.server` puts it
on the wire and injects faults (:meth:`CentralService.endpoint` names the endpoint a
request is for). Keeping the two apart lets tests and the benchmark reason about each alone.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from pser_desk import paths
from pser_desk.central import decisions, enrolment, heartbeats, submissions
from pser_desk.central import status as lookups
from pser_desk.central.config import CONFIG_FILE, ConfigSource
from pser_desk.central.db import CentralDB, DeviceRow
from pser_desk.central.forms import FormCatalog
from pser_desk.central.keys import CentralKeys, load_or_create_keys
from pser_desk.central.protocol import Request, Response, error, json_response
from pser_desk.central.updates import UpdatesRepository
from pser_desk.domain.verdict import ReasonCode, VerdictStatus
from pser_desk.security.form_signing import sign_canonical
from pser_desk.security.request_signing import (
    AuthHeaderError,
    format_ts,
    parse_authorization,
    verify_request,
    within_skew,
)

log = logging.getLogger(__name__)

BASE_PATH = "/api/v1"
MAX_BODY = 1024 * 1024
DB_FILE = "central.sqlite3"

Clock = Callable[[], datetime]
Handler = Callable[[Request, list[str]], Response]


@dataclass(frozen=True)
class Route:
    handler: Handler
    methods: tuple[str, ...]
    endpoint: str  # the name ``--faults on=...`` uses (pser_desk.central.faults.ENDPOINTS)


class CentralService:
    def __init__(
        self,
        state_dir: Path,
        *,
        db_path: Path | None = None,
        forms_dir: Path | None = None,
        clock: Clock | None = None,
        config_path: Path | None = None,
        updates_dir: Path | None = None,
    ) -> None:
        """*config_path*: central's configuration of the PCs (default
        ``<state>/central-config.json``); *updates_dir*: the TUF repository under /updates."""
        state_dir.mkdir(parents=True, exist_ok=True)
        self.state_dir = state_dir
        self.keys: CentralKeys = load_or_create_keys(state_dir)
        self.db = CentralDB(db_path or state_dir / DB_FILE)
        self.forms = FormCatalog(self.db, forms_dir if forms_dir is not None else paths.forms_dir())
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.config = ConfigSource(config_path or state_dir / CONFIG_FILE, self.keys.signing)
        self.updates = UpdatesRepository(updates_dir) if updates_dir is not None else None

    def close(self) -> None:
        self.db.close()

    def now_ts(self) -> str:
        return format_ts(self.clock())

    # ---------------------------------------------------------------- dispatch
    def handle(self, request: Request) -> Response:
        found = self._find(request.path)
        if found is None:
            return error(404, "not_found")
        route, parts = found
        if request.method not in route.methods:
            response = error(405, "method_not_allowed")
            response.headers["Allow"] = ", ".join(route.methods)
            return response
        if len(request.body) > MAX_BODY:
            return error(413, "too_large")
        return route.handler(request, parts)

    def endpoint_names(self, request: Request) -> tuple[str, ...]:
        """The names ``--faults on=`` may give *request*'s endpoint (an update file is
        ``updates`` and ``update_metadata`` or ``update_targets``)."""
        name = self.endpoint(request)
        if name is None:
            return ()
        if name == "updates":
            kind = urlsplit(request.path).path.split("/")[len(BASE_PATH.split("/")) + 1]
            return (name, f"update_{kind}")
        return (name,)

    def endpoint(self, request: Request) -> str | None:
        """The endpoint *request* is for (None: no such path or method)."""
        found = self._find(request.path)
        if found is None or request.method not in found[0].methods:
            return None
        return found[0].endpoint

    def _find(self, raw_path: str) -> tuple[Route, list[str]] | None:
        path = urlsplit(raw_path).path
        if not path.startswith(BASE_PATH + "/"):
            return None
        parts = path[len(BASE_PATH) + 1 :].split("/")
        route = self._route(parts)
        return None if route is None else (route, parts)

    def _route(self, parts: list[str]) -> Route | None:
        match parts:
            case ["health"]:
                return Route(self._health, ("GET",), "health")
            case ["devices", "enroll"]:
                return Route(self._enroll, ("POST",), "enroll")
            case ["devices", "heartbeat"]:
                return Route(self._heartbeat, ("POST",), "heartbeat")
            case ["submissions"]:
                return Route(self._submit, ("POST",), "submit")
            case ["submissions", "status"]:
                return Route(self._statuses, ("POST",), "status_batch")
            case ["submissions", sid] if sid:
                return Route(self._status, ("GET",), "status")
            case ["forms", form_id, "current"] if form_id:
                return Route(self._form, ("GET",), "forms")
            case ["updates", "metadata" | "targets", *rest] if rest:
                return Route(self._updates, ("GET", "HEAD"), "updates")
        return None

    # ---------------------------------------------------------------- endpoints
    def _health(self, request: Request, parts: list[str]) -> Response:
        return json_response(200, {"status": "ok", "server_time": self.now_ts()})

    def _enroll(self, request: Request, parts: list[str]) -> Response:
        body = _json_or_none(request.body)
        outcome = enrolment.enrol(self, body)
        return json_response(outcome.status, outcome.body)

    def _submit(self, request: Request, parts: list[str]) -> Response:
        device = self.authenticate(request)
        if isinstance(device, Response):
            return device
        return submissions.submit(self, request, device)

    def _status(self, request: Request, parts: list[str]) -> Response:
        device = self.authenticate(request)
        if isinstance(device, Response):
            return device
        return lookups.one(self, device, parts[1])

    def _statuses(self, request: Request, parts: list[str]) -> Response:
        device = self.authenticate(request)
        if isinstance(device, Response):
            return device
        return lookups.many(self, request.body, device)

    def _heartbeat(self, request: Request, parts: list[str]) -> Response:
        device = self.authenticate(request)
        if isinstance(device, Response):
            return device
        return heartbeats.receive(self, request, device)

    def _updates(self, request: Request, parts: list[str]) -> Response:
        """Not signed (section 11): TUF's own signatures protect what is served."""
        if self.updates is None:
            return error(404, "not_found")
        return self.updates.respond(parts[1], parts[2:], dict(request.headers))

    def _form(self, request: Request, parts: list[str]) -> Response:
        device = self.authenticate(request)
        if isinstance(device, Response):
            return device
        form = self.forms.current(parts[1])
        if form is None:
            return error(404, "not_found")
        return json_response(
            200,
            {
                "form_id": form.form_id,
                "version": form.version,
                "published_at": form.published_at,
                "definition": form.definition,
                "signature": sign_canonical(self.keys.signing, form.definition),
            },
        )

    # ---------------------------------------------------------------- signing (section 3)
    def authenticate(self, request: Request) -> DeviceRow | Response:
        """The enrolled, non-revoked device that signed *request*, or the error response."""
        try:
            auth = parse_authorization(request.headers.get("authorization"))
        except AuthHeaderError:
            return error(401, "bad_signature")
        device = self.db.device(auth.device_id)
        if device is None or not verify_request(
            device.public_key, auth, request.method, request.path, request.body
        ):
            return error(401, "bad_signature")
        if device.revoked:
            return error(403, "device_revoked")
        if not within_skew(auth.ts, self.clock()):
            return error(401, "clock_skew", server_time=self.now_ts())
        return device

    # ---------------------------------------------------------------- administration
    def new_token(self, centre_code: str | None = None, ttl_hours: float | None = 72) -> str:
        return enrolment.new_token(self, centre_code, ttl_hours)

    def add_tokens(self, tokens: list[str]) -> None:
        for token in tokens:
            self.db.add_token(token, None, self.now_ts(), None)

    def revoke_device(self, device_id: str) -> bool:
        return self.db.revoke_device(device_id, self.now_ts())

    def publish_form(self, form_id: str, version: str, definition: dict[str, object]) -> None:
        self.forms.publish(form_id, version, definition, self.now_ts())

    def decide(
        self,
        submission_ids: Sequence[str] | None,
        verdict: VerdictStatus,
        reason_code: ReasonCode | None = None,
        reason: str | None = None,
    ) -> decisions.Decision:
        """Verify or reject households (None: verify every one still ``received``)."""
        return decisions.decide(
            self.db, submission_ids, verdict, self.now_ts(), reason_code, reason
        )


def _json_or_none(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
