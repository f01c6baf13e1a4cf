"""Desk versions and update channels, as the updater, the publisher and central read them.

A release version is one to four dotted numbers (``0.2.0``), compared number by number,
the same rule as central's ``min_app_version`` (:func:`version_numbers`).

Channels are rings: ``stable`` (every centre) and ``pilot`` (a few centres that get a
version first). A PC on ``pilot`` is offered the newest version of either ring; a PC on
``stable`` only stable versions. Central chooses a PC's ring with a ``channel`` key in its
signed configuration (central-api.md section 10 passes keys it does not name to the PCs,
signed); a missing or unknown value means ``stable``. Central's own configuration file
names its pilot centres (``"pilot_centres": ["LHR-0042", ...]``): the PCs of those centres
get ``"channel": "pilot"`` in their signed configuration (:func:`config_for_centre`), and
no PC is ever sent the list.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping

from pser_desk.domain.central_config import version_numbers
from pser_desk.domain.receipt import CENTRE_CODE_RE

_RELEASE_RE = re.compile(r"^\d{1,6}(?:\.\d{1,6}){0,3}$")
CHANNEL_KEY = "channel"
PILOT_CENTRES_KEY = "pilot_centres"  # central's file only: never sent to a PC
MAX_PILOT_CENTRES = 1000


class Channel(enum.StrEnum):
    STABLE = "stable"
    PILOT = "pilot"

    def rings(self) -> frozenset[Channel]:
        """The channels whose releases a PC on this channel is offered."""
        if self is Channel.PILOT:
            return frozenset({Channel.PILOT, Channel.STABLE})
        return frozenset({Channel.STABLE})


def is_release_version(text: object) -> bool:
    return isinstance(text, str) and _RELEASE_RE.match(text) is not None


def check_release_version(text: str) -> str:
    """*text* if it is a release version; ValueError naming the rule otherwise."""
    if not is_release_version(text):
        raise ValueError(f"{text!r} is not a version of one to four dotted numbers (0.2.0)")
    return text


def version_key(version: str) -> tuple[int, ...]:
    return version_numbers(version)


def newer(candidate: str, than: str) -> bool:
    return version_key(candidate) > version_key(than)


def channel_of(config: Mapping[str, object]) -> Channel:
    """The channel central's (verified) configuration names; ``stable`` when it names none
    or one this desk does not know."""
    value = config.get(CHANNEL_KEY)
    try:
        return Channel(value) if isinstance(value, str) else Channel.STABLE
    except ValueError:
        return Channel.STABLE


def channel_problem(config: Mapping[str, object]) -> str | None:
    """Why central should refuse its own configuration's ``channel`` (None: fine)."""
    if CHANNEL_KEY not in config:
        return None
    if config[CHANNEL_KEY] in {c.value for c in Channel}:
        return None
    names = " or ".join(f'"{c.value}"' for c in Channel)
    return f"{CHANNEL_KEY}: {names}"


def pilot_centres_problem(config: Mapping[str, object]) -> str | None:
    """Why central should refuse its file's ``pilot_centres`` (None: fine)."""
    if PILOT_CENTRES_KEY not in config:
        return None
    codes = config[PILOT_CENTRES_KEY]
    if (
        not isinstance(codes, list)
        or len(codes) > MAX_PILOT_CENTRES
        or not all(isinstance(code, str) and CENTRE_CODE_RE.match(code) for code in codes)
    ):
        return f"{PILOT_CENTRES_KEY}: a list of at most {MAX_PILOT_CENTRES} centre codes such as LHR-0042"
    return None


def in_pilot(config: Mapping[str, object], centre_code: str | None) -> bool:
    """True when central's file puts *centre_code* on the pilot ring by name."""
    codes = config.get(PILOT_CENTRES_KEY)
    return centre_code is not None and isinstance(codes, list) and centre_code in codes


def config_for_centre(config: Mapping[str, object], centre_code: str | None) -> dict[str, object]:
    """The configuration central sends the PCs of *centre_code*: its file's, without the
    pilot list, with ``"channel": "pilot"`` for a centre the list names."""
    sent = {key: value for key, value in config.items() if key != PILOT_CENTRES_KEY}
    if in_pilot(config, centre_code):
        sent[CHANNEL_KEY] = Channel.PILOT.value
    return sent
