"""Operator passwords: scrypt with a per-user salt, the policy a new password must meet.

A stored hash carries its own parameters (``scrypt$N$r$p$salt$hash``, b64u parts), so the
cost can be raised later without invalidating old hashes: a login upgrades a hash (and
the operator's key wrap) made with less than the cost in force. The cost in force is
:data:`PRODUCTION_PARAMS` (N=2^17, r=8, p=1: OWASP's minimum for scrypt), handed to the
store by the application's wiring; only tests hand it a lower one, and a test holds the
wiring's default to the production cost. Verification is constant-time.
The policy returns codes (turned into words by the views), never the password.
"""

from __future__ import annotations

import enum
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from pser_desk.domain.digits import strip_separators, to_ascii_digits
from pser_desk.security.envelope import b64u_decode, b64u_encode

MIN_LENGTH = 10
SALT_BYTES = 16
HASH_BYTES = 32
SCHEME = "scrypt"


@dataclass(frozen=True, slots=True)
class ScryptParams:
    """scrypt cost: N=2**17, r=8, p=1 takes ~0.3-0.5 s and 128 MiB on a mid-range PC."""

    n: int = 2**17
    r: int = 8
    p: int = 1

    def derive(self, secret: str, salt: bytes, length: int = HASH_BYTES) -> bytes:
        kdf = Scrypt(salt=salt, length=length, n=self.n, r=self.r, p=self.p)
        return kdf.derive(secret.encode("utf-8"))

    def weaker_than(self, other: ScryptParams) -> bool:
        """True when a hash made with these costs less to attack than one with *other*."""
        return self.n * self.r * self.p < other.n * other.r * other.p or self.n < other.n


PRODUCTION_PARAMS = ScryptParams(n=2**17, r=8, p=1)
DEFAULT_PARAMS = PRODUCTION_PARAMS


class PasswordProblem(enum.StrEnum):
    TOO_SHORT = "password.too_short"
    EQUALS_USER_ID = "password.equals_user_id"
    IS_CNIC = "password.is_cnic"
    TOO_COMMON = "password.too_common"
    TOO_SIMPLE = "password.too_simple"


_COMMON = frozenset(
    {
        "password", "password1", "password12", "password123", "password1234",
        "passw0rd", "p@ssw0rd", "qwertyuiop", "qwerty1234", "qwerty12345",
        "1q2w3e4r5t", "abcdefghij", "abcd123456", "admin12345", "administrator",
        "welcome123", "iloveyou12", "pakistan123", "pakistan1947", "punjab1234",
        "letmein123", "changeme123", "operator123", "manager123", "pser123456",
    }
)  # fmt: skip

_RUNS = ("0123456789012345678901234567890", "9876543210987654321098765432109",
         "abcdefghijklmnopqrstuvwxyz")  # fmt: skip


def _is_cnic_like(password: str) -> bool:
    digits = strip_separators(to_ascii_digits(password))
    return len(digits) == 13 and digits.isdigit()


def _is_too_simple(password: str) -> bool:
    lowered = password.lower()
    if len(set(lowered)) <= 2:
        return True
    return any(lowered in run for run in _RUNS)


def check_policy(password: str, user_id: str) -> list[PasswordProblem]:
    """Every rule *password* breaks for the operator *user_id*; empty when acceptable."""
    problems: list[PasswordProblem] = []
    if len(password) < MIN_LENGTH:
        problems.append(PasswordProblem.TOO_SHORT)
    if password.strip().casefold() == user_id.strip().casefold():
        problems.append(PasswordProblem.EQUALS_USER_ID)
    if _is_cnic_like(password):
        problems.append(PasswordProblem.IS_CNIC)
    if password.lower() in _COMMON:
        problems.append(PasswordProblem.TOO_COMMON)
    if _is_too_simple(password):
        problems.append(PasswordProblem.TOO_SIMPLE)
    return problems


def hash_password(password: str, params: ScryptParams = DEFAULT_PARAMS) -> str:
    salt = os.urandom(SALT_BYTES)
    digest = params.derive(password, salt)
    return f"{SCHEME}${params.n}${params.r}${params.p}${b64u_encode(salt)}${b64u_encode(digest)}"


def _parse(stored: str) -> tuple[ScryptParams, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        params = ScryptParams(int(parts[1]), int(parts[2]), int(parts[3]))
        return params, b64u_decode(parts[4]), b64u_decode(parts[5])
    except ValueError:
        return None


def hash_params(stored: str) -> ScryptParams | None:
    """The parameters a stored hash was made with (None: not a hash of ours)."""
    parsed = _parse(stored)
    return None if parsed is None else parsed[0]


def verify_password(password: str, stored: str) -> bool:
    """True when *password* matches *stored*; a malformed hash never matches."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    params, salt, expected = parsed
    return hmac.compare_digest(params.derive(password, salt, len(expected)), expected)
