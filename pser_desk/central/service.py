"""The reference central service's behaviour, without HTTP (central-api.md, to the letter).

:meth:`CentralService.handle` takes one request (method, raw path with query, headers,
body bytes) and returns the :class:`Response`; :mod:`pser_desk.central.server` puts it
on the wire and injects faults. Keeping the two apart lets tests and the benchmark reason
about each alone.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pser_desk import paths
from pser_desk.central import enrolment, submissions
from pser_desk.central.db import CentralDB
from pser_desk.central.forms import FormCatalog
from pser_desk.central.keys import CentralKeys, load_or_create_keys
from pser_desk.central.protocol import Request, Response, error, json_response
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


class CentralService:
    def __init__(
        self,
        state_dir: Path,
        *,
        db_path: Path | None = None,
        forms_dir: Path | None = None,
        clock: Clock | None = None,
    ) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.state_dir = state_dir
        self.keys: CentralKeys = load_or_create_keys(state_dir)
        self.db = CentralDB(db_path or state_dir / DB_FILE)
        self.forms = FormCatalog(self.db, forms_dir if forms_dir is not None else paths.forms_dir())
        self.clock: Clock = clock or (lambda: datetime.now(UTC))

    def close(self) -> None:
        self.db.close()

    def now_ts(self) -> str:
        return format_ts(self.clock())

    # ---------------------------------------------------------------- dispatch
    def handle(self, request: Request) -> Response:
        route = urlsplit(request.path).path
        if not route.startswith(BASE_PATH + "/"):
            return error(404, "not_found")
        parts = route[len(BASE_PATH) + 1 :].split("/")
        handler, allowed = self._route(parts)
        if handler is None:
            return error(404, "not_found")
        if request.method != allowed:
            return error(405, "method_not_allowed")
        if len(request.body) > MAX_BODY:
            return error(413, "too_large")
        return handler(request, parts)

    def _route(
        self, parts: list[str]
    ) -> tuple[Callable[[Request, list[str]], Response] | None, str]:
        match parts:
            case ["health"]:
                return self._health, "GET"
            case ["devices", "enroll"]:
                return self._enroll, "POST"
            case ["submissions"]:
                return self._submit, "POST"
            case ["submissions", sid] if sid:
                return self._status, "GET"
            case ["forms", form_id, "current"] if form_id:
                return self._form, "GET"
        return None, ""

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
        row = self.db.submission(parts[1])
        if row is None or row.centre_code != device.centre_code:
            return error(404, "not_found")
        return json_response(
            200,
            {
                "submission_id": row.submission_id,
                "tracking_id": row.tracking_id,
                "status": row.status,
                "reason": row.reason,
            },
        )

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
    def authenticate(self, request: Request) -> Any:
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

    def publish_form(self, form_id: str, version: str, definition: dict[str, Any]) -> None:
        self.forms.publish(form_id, version, definition, self.now_ts())

    def set_status(self, submission_id: str, status: str, reason: str | None = None) -> bool:
        if status not in ("received", "verified", "rejected"):
            raise ValueError("status is received, verified or rejected")
        return self.db.set_status(submission_id, status, reason)


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
