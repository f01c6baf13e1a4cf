"""Punjab's divisions, districts and tehsils, by stable code, with English and Urdu names.

The data is ``resources/geography/punjab.json`` (its sources, discrepancies and open
questions are kept in the file). Codes: division ``LHR``, district ``LHR-KSR``, tehsil
``LHR-KSR-02``. A record stores codes; names are for display.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pser_desk.domain.form import Label

GEOGRAPHY_FILE = "punjab.json"
LEVELS = ("division", "district", "tehsil")


class GeographyError(ValueError):
    """A malformed geography file; the message names the bad entry."""


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: Label
    level: str  # "division" | "district" | "tehsil"
    parent: str | None  # the code of the division or district it lies in
    uncertain: bool = False  # listed by a source but not confirmed (see the file)


class Geography:
    """Look-ups over the three levels; every method is a dictionary access, never raises."""

    def __init__(self, places: list[Place], meta: Mapping[str, object] | None = None) -> None:
        self._by_code: dict[str, Place] = {}
        self._children: dict[str | None, list[Place]] = {}
        for place in places:
            if place.code in self._by_code:
                raise GeographyError(f"duplicate code {place.code!r}")
            self._by_code[place.code] = place
            self._children.setdefault(place.parent, []).append(place)
        self.meta: Mapping[str, object] = dict(meta or {})

    def divisions(self) -> tuple[Place, ...]:
        return tuple(self._children.get(None, ()))

    def districts(self, division_code: str) -> tuple[Place, ...]:
        return self._below(division_code, "division")

    def tehsils(self, district_code: str) -> tuple[Place, ...]:
        return self._below(district_code, "district")

    def all_at(self, level: str) -> tuple[Place, ...]:
        return tuple(p for p in self._by_code.values() if p.level == level)

    def _below(self, code: str, level: str) -> tuple[Place, ...]:
        parent = self._by_code.get(code) if isinstance(code, str) else None
        if parent is None or parent.level != level:
            return ()
        return tuple(self._children.get(code, ()))

    def find(self, code: object, level: str | None = None) -> Place | None:
        """The place with *code* (optionally only at *level*), or None."""
        place = self._by_code.get(code) if isinstance(code, str) else None
        if place is None or (level is not None and place.level != level):
            return None
        return place

    def find_by_name(self, name: str, level: str, parent: str | None = None) -> Place | None:
        """A place by its English or Urdu name (case-insensitive), e.g. from a CNIC address."""
        wanted = name.strip().casefold()
        for place in self.all_at(level):
            names = (place.name.en.casefold(), place.name.ur)
            if wanted in names and (parent is None or place.parent == parent):
                return place
        return None

    def contains(self, parent_code: object, child_code: object) -> bool:
        child = self.find(child_code)
        return child is not None and child.parent == parent_code

    def __len__(self) -> int:
        return len(self._by_code)


def load_geography(path: Path | None = None) -> Geography:
    """Load a geography file (default: the shipped Punjab file)."""
    if path is None:
        from pser_desk.paths import resource

        path = resource("geography", GEOGRAPHY_FILE)
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeographyError(f"cannot read {path.name}: {exc.__class__.__name__}") from None
    return parse_geography(obj)


def parse_geography(obj: object) -> Geography:
    if not isinstance(obj, Mapping) or not isinstance(obj.get("divisions"), list):
        raise GeographyError("divisions: missing or not a list")
    places: list[Place] = []
    for i, division in enumerate(obj["divisions"]):
        places.extend(_walk(division, f"divisions[{i}]", 0, None))
    meta = {k: v for k, v in obj.items() if k != "divisions"}
    return Geography(places, meta)


def _walk(entry: object, path: str, depth: int, parent: str | None) -> list[Place]:
    place = _place(entry, path, LEVELS[depth], parent)
    found = [place]
    if depth + 1 < len(LEVELS) and isinstance(entry, Mapping):
        key = LEVELS[depth + 1] + "s"
        children = entry.get(key)
        if not isinstance(children, list) or not children:
            raise GeographyError(f"{path}.{key}: missing or empty")
        for i, child in enumerate(children):
            found.extend(_walk(child, f"{path}.{key}[{i}]", depth + 1, place.code))
    return found


def _place(entry: object, path: str, level: str, parent: str | None) -> Place:
    if not isinstance(entry, Mapping):
        raise GeographyError(f"{path}: must be an object")
    code, name = entry.get("code"), entry.get("name")
    if not isinstance(code, str) or not code:
        raise GeographyError(f"{path}.code: missing")
    if parent is not None and not code.startswith(parent + "-"):
        raise GeographyError(f"{path}.code: {code!r} does not start with {parent}-")
    if not isinstance(name, Mapping) or not all(isinstance(name.get(k), str) for k in ("en", "ur")):
        raise GeographyError(f"{path}.name: needs en and ur")
    return Place(code, Label(name["en"], name["ur"]), level, parent, bool(entry.get("uncertain")))
