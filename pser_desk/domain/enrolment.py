"""This PC's enrolment with central: who it is to central, and central's public keys.

The database keeps it (one row per PC: several PCs of a centre may share a PostgreSQL
database); nothing else does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    device_id: str
    centre_code: str
    centre_name: str
    district: str
    tehsil: str
    central_url: str
    central_encryption_key: str  # b64u raw X25519 public key
    central_signing_key: str  # b64u raw Ed25519 public key
    enrolled_at: datetime
    device_name: str = ""


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A device's slip-signing key (public half) and when it was in use."""

    device_id: str
    public_key: str  # b64u raw Ed25519 public key
    enrolled_at: datetime
    retired_at: datetime | None
