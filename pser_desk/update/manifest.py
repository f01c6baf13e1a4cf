"""A bundle folder as a manifest: every file with its size and SHA-256, links, empty folders.

The manifest travels inside each full archive and each patch (both signed as TUF targets),
so that whichever way a PC rebuilds a release, every file it writes is checked against it
before the new version can run. Paths are POSIX, relative, and may not leave the folder:
a manifest naming ``..``, an absolute path, a backslash, a drive, two names that differ only
by case (one file on Windows) or a link pointing outside is refused whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

Kind = Literal["file", "link", "dir"]
CHUNK = 1 << 20
MAX_MANIFEST_BYTES = 16 << 20
MAX_ENTRIES = 100_000


class ManifestError(ValueError):
    """A manifest (or a tree checked against one) that is not what it must be."""


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    kind: Kind
    size: int = 0
    sha256: str = ""
    executable: bool = False
    target: str = ""  # a link's target, relative to the link's folder

    def to_json(self) -> dict[str, object]:
        if self.kind == "file":
            return {"path": self.path, "kind": "file", "size": self.size,
                    "sha256": self.sha256, "executable": self.executable}  # fmt: skip
        if self.kind == "link":
            return {"path": self.path, "kind": "link", "target": self.target}
        return {"path": self.path, "kind": "dir"}


@dataclass(frozen=True)
class Manifest:
    entries: tuple[Entry, ...]

    def files(self) -> Iterator[Entry]:
        return (e for e in self.entries if e.kind == "file")

    def by_path(self) -> dict[str, Entry]:
        return {e.path: e for e in self.entries}

    @property
    def total_bytes(self) -> int:
        return sum(e.size for e in self.files())

    def to_bytes(self) -> bytes:
        """Canonical JSON (sorted keys, no spaces): what :meth:`digest` hashes."""
        body = {"format": 1, "entries": [e.to_json() for e in self.entries]}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def digest(self) -> str:
        return hashlib.sha256(self.to_bytes()).hexdigest()

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        if len(data) > MAX_MANIFEST_BYTES:
            raise ManifestError("the manifest is too large")
        try:
            raw = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise ManifestError("the manifest is not JSON") from None
        if not isinstance(raw, dict) or raw.get("format") != 1:
            raise ManifestError("the manifest is not format 1")
        items = raw.get("entries")
        if not isinstance(items, list) or len(items) > MAX_ENTRIES:
            raise ManifestError("the manifest has no list of entries")
        return cls.checked(tuple(_entry(item) for item in items))

    @classmethod
    def checked(cls, entries: tuple[Entry, ...]) -> Manifest:
        """A manifest of *entries* once every path and link is safe (sorted by path)."""
        ordered = tuple(sorted(entries, key=lambda e: e.path))
        folded: set[str] = set()
        for entry in ordered:
            check_path(entry.path)
            if entry.path.casefold() in folded:
                raise ManifestError(f"{entry.path} appears twice (names differ only by case)")
            folded.add(entry.path.casefold())
            if entry.kind == "link":
                _check_link(entry)
        kinds = {e.path: e.kind for e in ordered}
        for entry in ordered:
            parent = posixpath.dirname(entry.path)
            while parent:
                if kinds.get(parent, "dir") != "dir":
                    raise ManifestError(f"{entry.path} is inside {parent}, which is not a folder")
                parent = posixpath.dirname(parent)
        return cls(ordered)


def check_path(path: str) -> None:
    """Refuse a path that is not a plain relative POSIX path inside the folder."""
    if not path or "\\" in path or "\0" in path or path.startswith("/") or ":" in path:
        raise ManifestError(f"{path!r} is not a relative path inside the bundle")
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ManifestError(f"{path!r} is not a relative path inside the bundle")


def _check_link(entry: Entry) -> None:
    target = entry.target
    if not target or target.startswith("/") or "\\" in target or "\0" in target:
        raise ManifestError(f"the link {entry.path} points outside the bundle")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(entry.path), target))
    if joined == ".." or joined.startswith("../") or joined == ".":
        raise ManifestError(f"the link {entry.path} points outside the bundle")


def _entry(item: object) -> Entry:
    if not isinstance(item, dict):
        raise ManifestError("a manifest entry is not an object")
    path, kind = item.get("path"), item.get("kind")
    if not isinstance(path, str):
        raise ManifestError("a manifest entry has no path")
    if kind == "file":
        size, digest, executable = item.get("size"), item.get("sha256"), item.get("executable")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ManifestError(f"{path}: no size")
        if not isinstance(digest, str) or len(digest) != 64:
            raise ManifestError(f"{path}: no SHA-256")
        return Entry(path, "file", size, digest, executable is True)
    if kind == "link":
        target = item.get("target")
        if not isinstance(target, str):
            raise ManifestError(f"{path}: a link without a target")
        return Entry(path, "link", target=target)
    if kind == "dir":
        return Entry(path, "dir")
    raise ManifestError(f"{path}: unknown kind {kind!r}")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def scan(root: Path) -> Manifest:
    """The manifest of the folder *root* (files, symbolic links, empty folders)."""
    entries: list[Entry] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        base = Path(folder)
        rel_base = base.relative_to(root).as_posix()
        for name in sorted(dirs):
            full = base / name
            rel = name if rel_base == "." else f"{rel_base}/{name}"
            if full.is_symlink():
                entries.append(Entry(rel, "link", target=os.readlink(full)))
            elif not any(full.iterdir()):
                entries.append(Entry(rel, "dir"))
        for name in sorted(names):
            full = base / name
            rel = name if rel_base == "." else f"{rel_base}/{name}"
            info = full.lstat()
            if stat.S_ISLNK(info.st_mode):
                entries.append(Entry(rel, "link", target=os.readlink(full)))
            elif stat.S_ISREG(info.st_mode):
                executable = bool(info.st_mode & stat.S_IXUSR)
                entries.append(Entry(rel, "file", info.st_size, file_sha256(full), executable))
            else:
                raise ManifestError(f"{rel} is neither a file, a folder nor a link")
    return Manifest.checked(tuple(entries))


def verify_tree(root: Path, manifest: Manifest) -> None:
    """Raise :class:`ManifestError` unless *root* holds exactly what *manifest* lists."""
    found = scan(root)
    if found.digest() == manifest.digest():
        return
    expected, actual = _comparable(manifest), _comparable(found)
    if expected == actual:
        return
    for path in sorted(set(expected) | set(actual)):
        if expected.get(path) != actual.get(path):
            what = (
                "missing"
                if path not in actual
                else "unexpected"
                if path not in expected
                else "different"
            )
            raise ManifestError(f"{path} is {what} in the rebuilt version")
    raise ManifestError("the rebuilt version differs from its manifest")


def _comparable(manifest: Manifest) -> dict[str, Entry]:
    """Entries by path; on Windows without the executable bit, which NTFS does not keep."""
    if os.name != "nt":
        return manifest.by_path()
    return {e.path: replace(e, executable=False) for e in manifest.entries}
