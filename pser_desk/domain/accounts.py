"""Who works at the desk: an operator or the centre's manager, and their accounts."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Role(enum.StrEnum):
    OPERATOR = "operator"
    MANAGER = "manager"


@dataclass(frozen=True, slots=True)
class Operator:
    """An operator account as the manager's screen and ``operator list`` show it."""

    id: str
    name: str
    role: Role
    disabled: bool
    locked_until: datetime | None
    created_at: datetime
    failed_logins: int = 0

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "disabled": self.disabled,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
            "created_at": self.created_at.isoformat(),
        }
