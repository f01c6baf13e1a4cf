"""``CentralClient``: every call of central-api.md, over one ``requests.Session``.

Safe to share between the outbox worker's threads (up to 4 at once; the pool holds 8).
Every call but enrolment and health is signed with the device key; the clock offset
learnt from ``server_time`` (health and ``401 clock_skew``) is applied to every ``ts``.
On ``401 clock_skew`` a request is re-signed with the corrected offset and sent once more.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit

import requests

from pser_desk.domain.central_config import DEFAULT_CONFIG, CentralConfig
from pser_desk.domain.verdict import Verdict
from pser_desk.security.device import DeviceKey
from pser_desk.security.envelope import b64u_decode, b64u_encode
from pser_desk.security.form_signing import verify_canonical
from pser_desk.security.request_signing import format_ts, parse_ts, sign_request
from pser_desk.sync import outcomes
from pser_desk.sync.heartbeat import Heartbeat, HeartbeatReply, NotTheContract, read_reply
from pser_desk.sync.outcomes import SubmitOutcome
from pser_desk.sync.transport import (
    CONNECT_TIMEOUT,
    READ_TIMEOUT,
    check_base_url,
    configure_session,
    make_session,
    parse_pins,
)
from pser_desk.sync.verdicts import MAX_BATCH, StatusReport, parse_verdict, read_batch

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class CentralError(Exception):
    """A call to central that did not give the contract's answer."""


class CentralUnavailable(CentralError):
    """No usable answer (network, timeout, TLS, 5xx, a body not of the contract): try later."""


class CentralRejected(CentralError):
    """Central answered with one of the contract's errors (``code`` is its ``error`` value)."""

    def __init__(self, status: int, code: str, details: list[dict[str, str]] | None = None) -> None:
        super().__init__(f"central answered {status} {code}")
        self.status = status
        self.code = code
        self.details = details or []


class SignatureInvalid(CentralError):
    """A form definition whose signature does not verify with central's signing key."""


@dataclass(frozen=True)
class Health:
    status: str
    server_time: str
    clock_offset_s: float


@dataclass(frozen=True)
class EnrolAnswer:
    device_id: str
    centre: dict[str, str]
    central_encryption_key: bytes
    central_signing_key: bytes
    server_time: str


@dataclass(frozen=True)
class SignedForm:
    form_id: str
    version: str
    published_at: str
    definition: dict[str, object]
    signature: str


@dataclass
class _Answer:
    status: int
    body: object  # parsed JSON or None
    headers: requests.structures.CaseInsensitiveDict[str]

    def field(self, key: str) -> object:
        """A key of a JSON object body (None when the body is not an object)."""
        return self.body.get(key) if isinstance(self.body, dict) else None


class ServerClock:
    """This PC's clock corrected by central's (``server_time`` of its answers): what
    requests are signed with, so a PC whose clock drifts is not refused (section 3)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset

    def now(self) -> datetime:
        return self._clock() + self.offset

    def learn(self, server_time: object) -> bool:
        """Take central's time (an RFC 3339 UTC string); False if it is not one."""
        if not isinstance(server_time, str):
            return False
        try:
            server = parse_ts(server_time)
        except (TypeError, ValueError):
            return False
        with self._lock:
            self._offset = server - self._clock()
        return True


class CentralClient:
    def __init__(
        self,
        base_url: str,
        *,
        device_id: str | None = None,
        device_key: DeviceKey | None = None,
        session: requests.Session | None = None,
        ca_bundle: str | None = None,
        pinned_spki_sha256: str | Iterable[str] | None = None,
        central_signing_key: bytes | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self._base_path = urlsplit(self.base_url).path
        self.device_id = device_id
        self._key = device_key
        self._verify: bool | str = ca_bundle or True
        pins = parse_pins(pinned_spki_sha256)
        if session is None:
            self.session = make_session(ca_bundle, pins)
        else:
            self.session = session
            configure_session(session, pins)
        self.central_signing_key = central_signing_key
        self._server_clock = ServerClock(clock or (lambda: datetime.now(UTC)))

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- clock
    @property
    def clock_offset(self) -> timedelta:
        return self._server_clock.offset

    def now(self) -> datetime:
        """This PC's clock corrected by what central last told us."""
        return self._server_clock.now()

    def learn_server_time(self, server_time: object) -> bool:
        return self._server_clock.learn(server_time)

    # ---------------------------------------------------------------- low level
    def _url(self, relative: str) -> tuple[str, str]:
        path = self._base_path + relative
        return self.base_url + relative, path

    def _headers(self, method: str, path: str, body: bytes, signed: bool) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if body:
            headers["Content-Type"] = "application/json"
        if signed:
            if self._key is None or self.device_id is None:
                raise CentralError("this PC is not enrolled (no device id or key)")
            ts = format_ts(self.now())
            headers["Authorization"] = sign_request(
                self._key, self.device_id, method, path, body, ts
            )
        return headers

    def _send(
        self,
        method: str,
        relative: str,
        body: bytes = b"",
        *,
        signed: bool = True,
        extra: dict[str, str] | None = None,
    ) -> _Answer:
        url, path = self._url(relative)
        headers = {**self._headers(method, path, body, signed), **(extra or {})}
        response = self.session.request(
            method,
            url,
            data=body if body else None,
            headers=headers,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            allow_redirects=False,
            verify=self._verify,
        )
        try:
            content = response.content
        finally:
            response.close()
        return _Answer(response.status_code, _parse_json(content), response.headers)

    def _send_signed(
        self, method: str, relative: str, body: bytes = b"", extra: dict[str, str] | None = None
    ) -> _Answer:
        """A signed call; on ``401 clock_skew`` correct the offset and re-sign once."""
        answer = self._send(method, relative, body, extra=extra)
        if _is_clock_skew(answer) and self.learn_server_time(answer.field("server_time")):
            log.info(
                "central reported clock skew; offset now %.0f s, signing again",
                self.clock_offset.total_seconds(),
            )
            answer = self._send(method, relative, body, extra=extra)
        return answer

    def _call(
        self, method: str, relative: str, body: bytes = b"", *, signed: bool = True
    ) -> _Answer:
        """For everything but submit: network trouble becomes :class:`CentralUnavailable`."""
        try:
            if signed:
                return self._send_signed(method, relative, body)
            return self._send(method, relative, body, signed=False)
        except requests.exceptions.SSLError:
            raise CentralUnavailable("central's certificate was refused") from None
        except requests.exceptions.RequestException as exc:
            raise CentralUnavailable(f"cannot reach central ({exc.__class__.__name__})") from None

    # ---------------------------------------------------------------- endpoints
    def health(self) -> Health:
        answer = self._call("GET", "/health", signed=False)
        body = answer.body
        if answer.status != 200 or not isinstance(body, dict) or body.get("status") != "ok":
            raise CentralUnavailable(f"central's health answer was HTTP {answer.status}")
        if not self.learn_server_time(body.get("server_time")):
            raise CentralUnavailable("central's health answer has no valid server_time")
        return Health("ok", body["server_time"], self.clock_offset.total_seconds())

    def enroll(
        self,
        centre_code: str,
        token: str,
        device_public_key: bytes,
        device_name: str,
        app_version: str,
    ) -> EnrolAnswer:
        payload = {
            "centre_code": centre_code,
            "enrollment_token": token,
            "device_public_key": b64u_encode(device_public_key),
            "device_name": device_name,
            "app_version": app_version,
        }
        answer = self._call(
            "POST", "/devices/enroll", json.dumps(payload).encode("utf-8"), signed=False
        )
        if answer.status == 201:
            return _enrol_answer(answer.body)
        _raise_contract_error(answer, {401: "invalid_token", 422: "validation"})
        raise AssertionError("unreachable")

    def submit(self, body: bytes, submission_id: str) -> SubmitOutcome:
        """POST the exact *body* bytes; never raises for network trouble (it is an outcome)."""
        try:
            answer = self._send_signed(
                "POST", "/submissions", body, extra={"Idempotency-Key": submission_id}
            )
        except requests.exceptions.SSLError:
            return outcomes.transient("TLS: central's certificate was refused")
        except requests.exceptions.Timeout:
            return outcomes.transient("timeout")
        except requests.exceptions.ConnectionError:
            return outcomes.transient("connection failed or dropped")
        except requests.exceptions.RequestException as exc:
            return outcomes.transient(f"request failed ({exc.__class__.__name__})")
        if 300 <= answer.status < 400:
            return outcomes.transient(f"HTTP {answer.status} redirect not followed", answer.status)
        return outcomes.classify(
            answer.status, answer.body, submission_id, answer.headers.get("Retry-After")
        )

    def submission_status(self, submission_id: str) -> Verdict | None:
        """``GET /submissions/{id}``: central's verdict; None if central never accepted it."""
        _check_ids([submission_id])
        answer = self._call("GET", "/submissions/" + quote(submission_id, safe=""))
        if answer.status == 404 and isinstance(answer.body, dict):
            return None
        verdict = parse_verdict(answer.body, {submission_id}) if answer.status == 200 else None
        if verdict is not None:
            return verdict
        _raise_contract_error(answer, {401: "", 403: "device_revoked"})
        raise CentralUnavailable("central's status answer is not the contract's")

    def submission_statuses(self, submission_ids: Iterable[str]) -> StatusReport:
        """``POST /submissions/status`` in batches of at most 100, in the order given.

        Never raises for central's trouble: the first batch that fails stops the round, its
        error is in ``report.error`` and its ids and the rest are ``report.unanswered``.
        """
        ids = list(dict.fromkeys(submission_ids))
        _check_ids(ids)
        report = StatusReport()
        for start in range(0, len(ids), MAX_BATCH):
            batch = ids[start : start + MAX_BATCH]
            try:
                self._status_batch(batch, report)
            except CentralError as exc:
                report.error = exc
                report.unanswered.extend(ids[start:])
                break
        return report

    def _status_batch(self, batch: list[str], report: StatusReport) -> None:
        body = json.dumps({"submission_ids": batch}, separators=(",", ":")).encode("ascii")
        answer = self._call("POST", "/submissions/status", body)
        report.requests += 1
        if answer.status == 200 and read_batch(answer.body, batch, report):
            return
        _raise_contract_error(answer, {401: "", 403: "device_revoked", 422: "validation"})
        raise CentralUnavailable("central's status answer is not the contract's")

    def heartbeat(
        self,
        beat: Heartbeat,
        current: CentralConfig = DEFAULT_CONFIG,
        signing_key: bytes | None = None,
    ) -> HeartbeatReply:
        """``POST /devices/heartbeat``; the reply's ``config`` is *current* with central's
        signed configuration applied (unchanged when the signature does not verify)."""
        key = signing_key or self.central_signing_key
        if key is None:
            raise CentralError("central's signing key is unknown (enrol first)")
        body = json.dumps(beat.to_json(self.now()), separators=(",", ":")).encode("utf-8")
        answer = self._call("POST", "/devices/heartbeat", body)
        if answer.status != 200:
            _raise_contract_error(answer, {401: "", 403: "device_revoked", 422: "validation"})
        try:
            reply = read_reply(answer.body, key, current)
        except NotTheContract as exc:
            raise CentralUnavailable(str(exc)) from None
        self.learn_server_time(answer.field("server_time"))
        return reply

    def current_form(self, form_id: str, signing_key: bytes | None = None) -> SignedForm:
        """The current form definition, returned only if central's signature verifies."""
        key = signing_key or self.central_signing_key
        if key is None:
            raise CentralError("central's signing key is unknown (enrol first)")
        answer = self._call("GET", f"/forms/{quote(form_id, safe='')}/current")
        if answer.status != 200:
            _raise_contract_error(answer, {401: "", 403: "device_revoked", 404: "not_found"})
        form = _signed_form(answer.body)
        if not verify_canonical(key, form.definition, form.signature):
            raise SignatureInvalid("the form definition's signature does not verify")
        return form


def _check_ids(ids: list[str]) -> None:
    """Submission ids are UUIDs made on this PC: anything else is a bug of the caller."""
    for sid in ids:
        try:
            uuid.UUID(sid)
        except (ValueError, TypeError, AttributeError):
            raise ValueError("a submission id is a UUID") from None


def _parse_json(content: bytes) -> object:
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None


def _is_clock_skew(answer: _Answer) -> bool:
    return (
        answer.status == 401
        and isinstance(answer.body, dict)
        and answer.body.get("error") == "clock_skew"
    )


def _raise_contract_error(answer: _Answer, known: dict[int, str]) -> None:
    body = answer.body if isinstance(answer.body, dict) else {}
    code = body.get("error")
    if (
        answer.status in known
        and isinstance(code, str)
        and (not known[answer.status] or code == known[answer.status])
    ):
        details = body.get("details") if isinstance(body.get("details"), list) else None
        raise CentralRejected(answer.status, code, details)
    raise CentralUnavailable(f"central answered HTTP {answer.status} outside the contract")


def _enrol_answer(body: object) -> EnrolAnswer:
    if not isinstance(body, dict) or not isinstance(body.get("centre"), dict):
        raise CentralUnavailable("central's enrolment answer is not the contract's")
    try:
        centre = body["centre"]
        answer = EnrolAnswer(
            device_id=body["device_id"],
            centre={k: str(centre[k]) for k in ("code", "name", "district", "tehsil")},
            central_encryption_key=b64u_decode(body["central_encryption_key"]),
            central_signing_key=b64u_decode(body["central_signing_key"]),
            server_time=str(body["server_time"]),
        )
    except (TypeError, KeyError, ValueError):
        raise CentralUnavailable("central's enrolment answer is not the contract's") from None
    if (
        not isinstance(answer.device_id, str)
        or len(answer.central_encryption_key) != 32
        or len(answer.central_signing_key) != 32
    ):
        raise CentralUnavailable("central's enrolment answer is not the contract's")
    return answer


def _signed_form(body: object) -> SignedForm:
    if not isinstance(body, dict):
        raise CentralUnavailable("central's form answer is not the contract's")
    try:
        form = SignedForm(
            body["form_id"],
            body["version"],
            body["published_at"],
            body["definition"],
            body["signature"],
        )
    except (TypeError, KeyError):
        raise CentralUnavailable("central's form answer is not the contract's") from None
    if (
        not isinstance(form.definition, dict)
        or not isinstance(form.signature, str)
        or not isinstance(form.version, str)
    ):
        raise CentralUnavailable("central's form answer is not the contract's")
    return form
