"""What the desk refuses, named as the attack it stops (one line each, for the manager).

TUF's client raises an exception type per failed check; :func:`classify` turns it into
an :class:`UpdateRefused` whose message names the attack (``refused: freeze: ...``,
``refused: rollback ...``), working out from the metadata itself what happened (which
role, which keys, which versions) rather than from TUF's message text.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import TypeVar

from tuf.api import exceptions
from tuf.api.metadata import Metadata, Root, Snapshot, Targets, Timestamp

_Role = TypeVar("_Role", Root, Targets, Snapshot, Timestamp)  # tuf's Metadata[T] kinds


class Attack(enum.StrEnum):
    HASH = "hash"  # a target or metadata whose length or hash differs from the signed one
    SIGNATURE = "signature"  # signed by unknown keys or too few, or changed after signing
    FREEZE = "freeze"  # expired metadata: the repository stopped renewing it
    ROLLBACK = "rollback"  # older metadata than seen before, or an older desk version
    MIX = "mix"  # metadata that does not match what the metadata above it names


class UpdateRefused(Exception):
    """The update was refused; ``str()`` is the one line for the manager."""

    def __init__(self, attack: Attack, message: str) -> None:
        super().__init__(f"refused: {message}")
        self.attack = attack


class UpdateUnavailable(Exception):
    """The repository cannot be reached or stopped answering: try again later (a partial
    download is kept and resumed)."""


ROLES = ("root", "timestamp", "snapshot", "targets")


def role_in(text: str) -> str:
    for role in ROLES:
        if role in text:
            return role
    return "update"


def classify(
    exc: exceptions.RepositoryError | exceptions.DownloadError,
    downloaded: Mapping[str, bytes],
    cached_versions: Mapping[str, int],
    trusted_root: Metadata[Root] | None,
) -> UpdateRefused | None:
    """The refusal for a TUF error during refresh (None: not an attack, e.g. unreachable).

    *downloaded*: the metadata files this check fetched, by role (the last of each);
    *cached_versions*: the versions this PC trusted before the check, by role;
    *trusted_root*: the root in force when the error came.
    """
    if isinstance(exc, exceptions.ExpiredMetadataError):
        role = role_in(str(exc))
        return UpdateRefused(Attack.FREEZE, f"freeze: {_expired(role, downloaded, trusted_root)}")
    if isinstance(exc, exceptions.EqualVersionNumberError):
        return None
    if isinstance(exc, exceptions.BadVersionNumberError):
        return _versions(exc, downloaded, cached_versions)
    if isinstance(exc, exceptions.UnsignedMetadataError):
        return _signatures(str(exc), downloaded, trusted_root)
    if isinstance(exc, exceptions.LengthOrHashMismatchError):
        role = role_in(str(exc))
        return UpdateRefused(Attack.HASH, f"{role} metadata differs from its signed length or hash")
    if isinstance(exc, exceptions.DownloadLengthMismatchError):
        return UpdateRefused(Attack.HASH, "metadata longer than its signed or allowed length")
    if isinstance(exc, exceptions.RepositoryError):
        return UpdateRefused(Attack.SIGNATURE, f"the update metadata is not valid ({exc})")
    return None


def _expired(role: str, downloaded: Mapping[str, bytes], root: Metadata[Root] | None) -> str:
    moment: datetime | None = None
    if role in downloaded:
        moment = _signed_expires(downloaded[role])
    elif role == "root" and root is not None:
        moment = root.signed.expires
    when = f" at {moment:%Y-%m-%d %H:%M:%S} UTC" if moment is not None else ""
    return f"{role} metadata expired{when} (the repository has stopped renewing it)"


def _signed_expires(data: bytes) -> datetime | None:
    try:
        return Metadata.from_bytes(data).signed.expires
    except Exception:  # noqa: BLE001 - unreadable metadata: no time to quote
        return None


def _version_of(data: bytes) -> int | None:
    try:
        return Metadata.from_bytes(data).signed.version
    except Exception:  # noqa: BLE001
        return None


def _versions(
    exc: Exception, downloaded: Mapping[str, bytes], cached: Mapping[str, int]
) -> UpdateRefused:
    for role in ROLES:
        new = _version_of(downloaded[role]) if role in downloaded else None
        old = cached.get(role)
        if new is not None and old is not None and new < old:
            return UpdateRefused(
                Attack.ROLLBACK, f"rollback of {role} metadata to version {new} from {old}"
            )
    named = _named_snapshot(downloaded)
    if named is not None and named < cached.get("snapshot", 0):
        return UpdateRefused(
            Attack.ROLLBACK,
            f"rollback of snapshot metadata to version {named} from {cached['snapshot']}",
        )
    role = role_in(str(exc))
    return UpdateRefused(
        Attack.MIX,
        f"{role} metadata is not the version the metadata above it names "
        "(a mixed or changing repository; check again later)",
    )


def _named_snapshot(downloaded: Mapping[str, bytes]) -> int | None:
    if "timestamp" not in downloaded:
        return None
    try:
        signed = Metadata.from_bytes(downloaded["timestamp"]).signed
    except Exception:  # noqa: BLE001
        return None
    meta = getattr(signed, "snapshot_meta", None)
    return None if meta is None else int(meta.version)


def _signatures(
    text: str, downloaded: Mapping[str, bytes], root: Metadata[Root] | None
) -> UpdateRefused:
    role = role_in(text)
    data = downloaded.get(role)
    if root is None or data is None:
        return UpdateRefused(Attack.SIGNATURE, f"{role} metadata is not signed as it must be")
    try:
        md = Metadata.from_bytes(data)
    except Exception:  # noqa: BLE001
        return UpdateRefused(Attack.SIGNATURE, f"{role} metadata is not signed as it must be")
    if role == "root" and isinstance(md.signed, Root):
        # A new root must satisfy both the old root's keys and its own.
        for judge in (root.signed, md.signed):
            refusal = _judge(judge, role, md)
            if refusal is not None:
                return refusal
    refusal = _judge(root.signed, role, md)
    return refusal or UpdateRefused(
        Attack.SIGNATURE, f"{role} metadata is not signed as it must be"
    )


def _judge(root: Root, role: str, md: Metadata[_Role]) -> UpdateRefused | None:
    result = root.get_verification_result(role, md.signed_bytes, md.signatures)
    if result.verified:
        return None
    trusted = set(root.roles[role].keyids)
    if not trusted & set(md.signatures):
        return UpdateRefused(
            Attack.SIGNATURE, f"{role} metadata is signed by a key this desk does not trust"
        )
    if not result.signed:
        return UpdateRefused(
            Attack.SIGNATURE,
            f"{role} metadata's signature does not verify (it was changed after signing)",
        )
    return UpdateRefused(
        Attack.SIGNATURE,
        f"{role} metadata has {len(result.signed)} of the {result.threshold} signatures it needs",
    )
