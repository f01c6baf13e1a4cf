"""Central's verdict on a household it accepted (central-api.md section 6).

After a ``201`` central checks each household (NADRA family tree, duplicates across
centres, field checks) and decides, hours or days later, ``verified`` or ``rejected``.
``received`` means not decided yet; ``verified`` and ``rejected`` are final.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class VerdictStatus(enum.StrEnum):
    RECEIVED = "received"
    VERIFIED = "verified"
    REJECTED = "rejected"

    @property
    def final(self) -> bool:
        return self is not VerdictStatus.RECEIVED


class ReasonCode(enum.StrEnum):
    """Why central rejected a household (the ``reason_code`` of section 6)."""

    NADRA_MISMATCH = "nadra_mismatch"
    DUPLICATE_MEMBER = "duplicate_member"
    INCOMPLETE = "incomplete"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What central says of one submission: ``reason*`` only when rejected, times in UTC."""

    submission_id: str
    tracking_id: str
    status: VerdictStatus
    reason: str | None = None
    reason_code: ReasonCode | None = None
    decided_at: datetime | None = None

    @property
    def final(self) -> bool:
        return self.status.final
