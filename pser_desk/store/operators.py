"""Operator accounts, logins and roles: checked here, in the service layer.

The first account on a PC must be a manager and needs no authentication; creating it
also creates the installation key pair. After that only a logged-in manager adds,
disables and resets accounts (their session holds the unwrapped installation key, which
is wrapped afresh for the new password). Five failed logins lock an account for five
minutes, counted atomically: each attempt is counted (under a row lock) *before* its
password is checked, so parallel guesses never get more than five checks. Passwords are
checked outside the write transaction (scrypt is slow), by opening the operator's key wrap
(one derivation per sign-in). A login proves the installation
key: the private key the password unwraps must match the stored public key (a planted
public key is refused), and a hash or key wrap made with less than the cost in force is
made again with it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pser_desk.domain.accounts import Operator, Role
from pser_desk.domain.text import unsafe_characters
from pser_desk.security import passwords, vault
from pser_desk.security.envelope import b64u_encode
from pser_desk.store import audit_log, installation
from pser_desk.store.audit_log import Event
from pser_desk.store.database import Store
from pser_desk.store.errors import (
    AlreadyExists,
    AuthenticationFailed,
    Conflict,
    InvalidId,
    NotFound,
    OwnAccount,
    PermissionDenied,
    StoreError,
)
from pser_desk.store.models import InstallationKeyRow, KeyWrapRow, OperatorRow

MAX_NAME = 200
MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=5)
OPERATOR_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{1,63}$")
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class NameRejected(Conflict):
    """A name with line breaks, tabs, control or bidi characters (or too long)."""


class PasswordRejected(StoreError):
    def __init__(self, problems: list[passwords.PasswordProblem]) -> None:
        super().__init__("password rejected: " + ", ".join(p.value for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class LoginSession:
    """A logged-in operator; holds the installation private key in memory only."""

    operator_id: str
    role: Role
    installation_key: X25519PrivateKey

    def require_manager(self) -> None:
        if self.role is not Role.MANAGER:
            raise PermissionDenied("only a manager may do this")


def _to_operator(row: OperatorRow) -> Operator:
    return Operator(
        row.id, row.name, Role(row.role), row.disabled, row.locked_until, row.created_at,
        row.failed_logins,
    )  # fmt: skip


def _wrap_row(operator_id: str, wrap: vault.KeyWrap, now: datetime) -> KeyWrapRow:
    return KeyWrapRow(
        operator_id=operator_id,
        salt=wrap.salt,
        nonce=wrap.nonce,
        wrapped=wrap.wrapped,
        params=wrap.params_text(),
        updated_at=now,
    )


def _set_wrap(session: Session, operator_id: str, wrap: vault.KeyWrap, now: datetime) -> None:
    existing = session.get(KeyWrapRow, operator_id)
    if existing is not None:
        session.delete(existing)
        session.flush()
    session.add(_wrap_row(operator_id, wrap, now))


def _check_new_account(operator_id: str, name: str, role: str, password: str) -> Role:
    if not OPERATOR_ID_RE.match(operator_id):
        raise InvalidId(
            "an operator id is 2-64 letters, digits, '_', '.' or '-', starting with a letter"
        )
    if not name.strip():
        raise InvalidId("an operator needs a name")
    refused = unsafe_characters(name)
    if refused:
        raise NameRejected(
            "an operator's name may not hold line breaks, tabs, control or direction-override "
            f"characters (found {', '.join(refused[:3])})"
        )
    if len(name.strip()) > MAX_NAME:
        raise NameRejected(f"an operator's name is at most {MAX_NAME} characters")
    try:
        chosen = Role(role)
    except ValueError:
        raise InvalidId("role must be 'operator' or 'manager'") from None
    problems = passwords.check_policy(password, operator_id)
    if problems:
        raise PasswordRejected(problems)
    return chosen


class OperatorService:
    def __init__(
        self,
        store: Store,
        *,
        clock: Clock = utc_now,
        params: passwords.ScryptParams = passwords.DEFAULT_PARAMS,
    ) -> None:
        self._store = store
        self._clock = clock
        self._params = params

    def count(self) -> int:
        with self._store.read() as session:
            return int(session.scalar(select(func.count()).select_from(OperatorRow)) or 0)

    def list(self) -> list[Operator]:
        with self._store.read() as session:
            rows = session.scalars(select(OperatorRow).order_by(OperatorRow.id))
            return [_to_operator(row) for row in rows]

    def get(self, operator_id: str) -> Operator:
        with self._store.read() as session:
            row = session.get(OperatorRow, operator_id)
            if row is None:
                raise NotFound(f"no operator {operator_id!r}")
            return _to_operator(row)

    def add(
        self, operator_id: str, name: str, role: str, password: str, *, by: LoginSession | None
    ) -> Operator:
        chosen = _check_new_account(operator_id, name, role, password)
        pw_hash = passwords.hash_password(password, self._params)
        now = self._clock()
        if by is None:
            key = vault.generate_installation_key()
        else:
            by.require_manager()
            key = by.installation_key
        wrap = vault.wrap_key(key, password, self._params)
        with self._store.write() as session:
            self._check_adder(session, by, chosen)
            if session.get(OperatorRow, operator_id) is not None:
                raise AlreadyExists(f"operator {operator_id!r} already exists")
            if by is None:
                public = vault.public_bytes(key)
                session.add(InstallationKeyRow(id=1, public_key=public, created_at=now))
                record_key_event(session, public, now)
            row = OperatorRow(
                id=operator_id,
                name=name.strip(),
                role=chosen.value,
                password_hash=pw_hash,
                disabled=False,
                failed_logins=0,
                locked_until=None,
                created_at=now,
            )
            session.add(row)
            session.flush()
            session.add(_wrap_row(operator_id, wrap, now))
            audit_log.append(
                session,
                Event.OPERATOR_ADDED,
                at=now,
                actor=by.operator_id if by else None,
                subject=operator_id,
                detail={"role": chosen.value},
            )
            made = _to_operator(row)
        if by is None:
            installation.remember_key(self._store.data_dir, vault.public_bytes(key))
        return made

    def _check_adder(self, session: Session, by: LoginSession | None, role: Role) -> None:
        existing = int(session.scalar(select(func.count()).select_from(OperatorRow)) or 0)
        if by is None:
            if existing:
                raise PermissionDenied(
                    "operators exist already: a manager must add new ones (--as)"
                )
            if role is not Role.MANAGER:
                raise PermissionDenied("the first account on this PC must be a manager")
            return
        _require_active_manager(session, by, self._clock())

    def login(self, operator_id: str, password: str) -> LoginSession:
        """Check the password; on success the installation key is unwrapped in memory."""
        now = self._clock()
        attempt = self._count_attempt(operator_id, now)
        if attempt is None:
            self._record_unknown(now)
            raise AuthenticationFailed("wrong operator id or password")
        pw_hash, wrap_row = attempt
        # One scrypt derivation per sign-in: the password opens the operator's key wrap
        # (AES-GCM: a wrong password fails its tag) as surely as it matches the hash, and
        # the key is what a session needs. The hash is kept, with the wrap, at the cost
        # in force (restore checks it, and a cheaper one is made again below).
        try:
            key = vault.unwrap_key(_to_wrap(wrap_row), password)
        except vault.VaultError:
            self._record_failure(operator_id, now)
        upgrade = self._upgrade_for(pw_hash, wrap_row, password, key)
        with self._store.write() as session:
            fresh = session.get(OperatorRow, operator_id, with_for_update=True)
            if fresh is None or fresh.disabled:
                raise AuthenticationFailed("this account is disabled; ask a manager")
            public = check_installation_key(session, key)
            fresh.failed_logins, fresh.locked_until = 0, None
            if upgrade is not None:
                fresh.password_hash = upgrade[0]
                _set_wrap(session, operator_id, upgrade[1], now)
            audit_log.append(session, Event.LOGIN, at=now, actor=operator_id, subject=operator_id)
            record_key_event(session, public, now)
            role = Role(fresh.role)
        installation.remember_key(self._store.data_dir, public)
        return LoginSession(operator_id, role, key)

    def _count_attempt(self, operator_id: str, now: datetime) -> tuple[str, KeyWrapRow] | None:
        """Count this attempt before its password is checked (atomically: a row lock on
        PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite); refuse a locked or disabled account."""
        with self._store.write() as session:
            row = session.get(OperatorRow, operator_id, with_for_update=True)
            wrap_row = session.get(KeyWrapRow, operator_id)
            if row is None or wrap_row is None:
                return None
            if row.disabled:
                raise AuthenticationFailed("this account is disabled; ask a manager")
            if row.locked_until is not None and row.locked_until > now:
                minutes = max(1, int((row.locked_until - now).total_seconds() // 60) + 1)
                raise AuthenticationFailed(f"this account is locked for {minutes} more minute(s)")
            if row.failed_logins >= MAX_FAILED_LOGINS:  # the last attempts are being checked
                raise AuthenticationFailed("too many attempts at once; this account is locked")
            row.failed_logins += 1
            session.expunge(wrap_row)
            return row.password_hash, wrap_row

    def _upgrade_for(
        self, pw_hash: str, wrap_row: KeyWrapRow, password: str, key: X25519PrivateKey
    ) -> tuple[str, vault.KeyWrap] | None:
        """A new hash and key wrap at the cost in force, when the stored ones cost less."""
        stored = passwords.hash_params(pw_hash)
        wrap_params = vault.KeyWrap.parse_params(wrap_row.params)
        if stored is not None and not (
            stored.weaker_than(self._params) or wrap_params.weaker_than(self._params)
        ):
            return None
        return passwords.hash_password(password, self._params), vault.wrap_key(
            key, password, self._params
        )

    def _record_unknown(self, now: datetime) -> None:
        with self._store.write() as session:
            audit_log.append(session, Event.LOGIN_FAILED, at=now, detail={"reason": "unknown_id"})

    def _record_failure(self, operator_id: str, now: datetime) -> NoReturn:
        """The attempt was counted already; lock the account when it was the last allowed."""
        with self._store.write() as session:
            row = session.get(OperatorRow, operator_id, with_for_update=True)
            if row is None:
                raise AuthenticationFailed("wrong operator id or password")
            audit_log.append(session, Event.LOGIN_FAILED, at=now, subject=operator_id,
                             detail={"failures": row.failed_logins})  # fmt: skip
            if row.failed_logins >= MAX_FAILED_LOGINS:
                row.failed_logins, row.locked_until = 0, now + LOCK_DURATION
                audit_log.append(session, Event.ACCOUNT_LOCKED, at=now, subject=operator_id)
        raise AuthenticationFailed("wrong operator id or password")

    def disable(self, operator_id: str, *, by: LoginSession) -> None:
        by.require_manager()
        now = self._clock()
        with self._store.write() as session:
            _require_active_manager(session, by, now)
            row = session.get(OperatorRow, operator_id)
            if row is None:
                raise NotFound(f"no operator {operator_id!r}")
            if operator_id == by.operator_id:
                raise OwnAccount("a manager cannot disable their own account")
            row.disabled = True
            audit_log.append(session, Event.OPERATOR_DISABLED, at=now, actor=by.operator_id,
                             subject=operator_id)  # fmt: skip

    def reset(self, operator_id: str, new_password: str, *, by: LoginSession) -> None:
        """A manager sets a new password: re-enabled, unlocked, the key wrapped afresh."""
        by.require_manager()
        problems = passwords.check_policy(new_password, operator_id)
        if problems:
            raise PasswordRejected(problems)
        pw_hash = passwords.hash_password(new_password, self._params)
        wrap = vault.wrap_key(by.installation_key, new_password, self._params)
        now = self._clock()
        with self._store.write() as session:
            _require_active_manager(session, by, now)
            row = session.get(OperatorRow, operator_id)
            if row is None:
                raise NotFound(f"no operator {operator_id!r}")
            row.password_hash, row.disabled = pw_hash, False
            row.failed_logins, row.locked_until = 0, None
            _set_wrap(session, operator_id, wrap, now)
            audit_log.append(session, Event.OPERATOR_RESET, at=now, actor=by.operator_id,
                             subject=operator_id)  # fmt: skip

    def require_active(self, session: Session, operator_id: str) -> OperatorRow:
        return require_active(session, operator_id)


def require_active(session: Session, operator_id: str) -> OperatorRow:
    row = session.get(OperatorRow, operator_id)
    if row is None:
        raise NotFound(f"no operator {operator_id!r}")
    if row.disabled:
        raise PermissionDenied(f"operator {operator_id!r} is disabled")
    return row


def _require_active_manager(session: Session, by: LoginSession, now: datetime) -> None:
    row = require_active(session, by.operator_id)
    if row.role != Role.MANAGER.value:
        raise PermissionDenied("only a manager may do this")


def _to_wrap(row: KeyWrapRow) -> vault.KeyWrap:
    return vault.KeyWrap(row.salt, row.nonce, row.wrapped, vault.KeyWrap.parse_params(row.params))


def installation_public_key(session: Session) -> bytes | None:
    row = session.get(InstallationKeyRow, 1)
    return None if row is None else row.public_key


class InstallationKeyMismatch(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "the installation key stored in this database is not the one the operators' "
            "passwords protect: the database was altered. Nothing was sealed; restore a "
            "backup you trust (pser-desk restore FILE --as MANAGER_ID)"
        )


def check_installation_key(session: Session, key: X25519PrivateKey) -> bytes:
    """The stored installation public key, when it is the public half of *key*."""
    public = vault.public_bytes(key)
    stored = installation_public_key(session)
    if stored is None or not hmac.compare_digest(stored, public):
        raise InstallationKeyMismatch()
    return public


def key_fingerprint(public: bytes) -> str:
    return b64u_encode(hashlib.sha256(public).digest()[:12])


def record_key_event(session: Session, public: bytes, now: datetime) -> None:
    """Audit the installation key (once per key): ``audit verify`` checks the stored key
    against the newest such entry, so a key changed outside the desk is found."""
    fingerprint = key_fingerprint(public)
    if audit_log.latest_detail(session, Event.INSTALLATION_KEY, "fingerprint") == fingerprint:
        return
    audit_log.append(session, Event.INSTALLATION_KEY, at=now, detail={"fingerprint": fingerprint})


def key_audit_problem(session: Session) -> str | None:
    """What is wrong with the stored installation key against the audit chain, if anything."""
    stored = installation_public_key(session)
    recorded = audit_log.latest_detail(session, Event.INSTALLATION_KEY, "fingerprint")
    if stored is None or recorded is None:
        return None
    if key_fingerprint(stored) != recorded:
        return "the installation key was changed outside the desk (it is not the audited one)"
    return None
