from __future__ import annotations

import pytest

from pser_desk.security.passwords import (
    PasswordProblem,
    ScryptParams,
    check_policy,
    hash_password,
    verify_password,
)

FAST = ScryptParams(n=2**10)


def test_hash_verifies_only_the_same_password() -> None:
    stored = hash_password("kitchen-window-42", FAST)
    assert stored.startswith("scrypt$1024$8$1$")
    assert verify_password("kitchen-window-42", stored)
    assert not verify_password("kitchen-window-43", stored)


def test_each_hash_has_its_own_salt() -> None:
    assert hash_password("kitchen-window-42", FAST) != hash_password("kitchen-window-42", FAST)


@pytest.mark.parametrize(
    "stored", ["", "scrypt$x$8$1$AA$AA", "bcrypt$1$2$3$4$5", "scrypt$1024$8$1$!!$AA"]
)
def test_a_malformed_hash_never_matches(stored: str) -> None:
    assert not verify_password("anything-long", stored)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1", PasswordProblem.TOO_SHORT),
        ("Operator-17", PasswordProblem.EQUALS_USER_ID),
        ("35202-1234567-1", PasswordProblem.IS_CNIC),
        ("3520212345671", PasswordProblem.IS_CNIC),
        ("۳۵۲۰۲۱۲۳۴۵۶۷۱", PasswordProblem.IS_CNIC),
        ("password123", PasswordProblem.TOO_COMMON),
        ("aaaaaaaaaaaa", PasswordProblem.TOO_SIMPLE),
        ("1234567890", PasswordProblem.TOO_SIMPLE),
        ("abababababab", PasswordProblem.TOO_SIMPLE),
    ],
)
def test_policy_rejects(password: str, problem: PasswordProblem) -> None:
    assert problem in check_policy(password, "operator-17")


def test_policy_accepts_a_reasonable_password() -> None:
    assert check_policy("kitchen-window-42", "op1") == []
