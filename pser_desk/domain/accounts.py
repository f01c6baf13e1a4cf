"""Who works at the desk: an operator or the centre's manager."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    OPERATOR = "operator"
    MANAGER = "manager"
