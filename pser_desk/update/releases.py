"""What the signed targets say about each release: the desk's custom TUF metadata.

Every target of the repository is a full archive or a patch of one desk version for one
platform; its ``custom`` metadata (inside ``targets.json``, so signed by the targets key)
says which::

    pser-desk/linux-x86_64/0.2.0/pser-desk-0.2.0-linux-x86_64.tar.xz
      {"pser_desk": {"kind": "full", "version": "0.2.0", "platform": "linux-x86_64",
                     "channels": ["stable"], "format": "tar.xz",
                     "tree_sha256": "...", "tree_bytes": 460738560, "files": 423}}
    pser-desk/linux-x86_64/0.2.0/pser-desk-0.1.0-to-0.2.0-linux-x86_64.patch
      {"pser_desk": {"kind": "patch", "version": "0.2.0", "from_version": "0.1.0",
                     "platform": "linux-x86_64", "format": "pser-patch-1",
                     "from_tree_sha256": "...", "tree_sha256": "..."}}

``tree_sha256`` is the digest of the release's manifest (:mod:`~pser_desk.update.manifest`):
a patch and the full archive of one version rebuild the same tree, file for file.
"""

from __future__ import annotations

import platform
import struct
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tuf.api.metadata import TargetFile

from pser_desk.domain.releases import Channel, is_release_version, version_key

CUSTOM_KEY = "pser_desk"
APP = "pser-desk"
PATCH_FORMAT = "pser-patch-1"
ARCHIVE_FORMATS = ("tar.xz", "tar.gz")
_ELF_MACHINES = {0x3E: "x86_64", 0xB7: "aarch64"}


@dataclass(frozen=True)
class Release:
    """A full archive: ``version`` for ``platform``, offered on ``channels``."""

    path: str
    version: str
    platform: str
    channels: frozenset[Channel]
    format: str
    tree_sha256: str
    tree_bytes: int
    length: int

    def custom(self) -> dict[str, object]:
        return {CUSTOM_KEY: {
            "kind": "full", "version": self.version, "platform": self.platform,
            "channels": sorted(c.value for c in self.channels), "format": self.format,
            "tree_sha256": self.tree_sha256, "tree_bytes": self.tree_bytes,
        }}  # fmt: skip


@dataclass(frozen=True)
class Patch:
    """A patch that turns ``from_version`` into ``version`` on ``platform``."""

    path: str
    version: str
    from_version: str
    platform: str
    from_tree_sha256: str
    tree_sha256: str
    length: int

    def custom(self) -> dict[str, object]:
        return {CUSTOM_KEY: {
            "kind": "patch", "version": self.version, "from_version": self.from_version,
            "platform": self.platform, "format": PATCH_FORMAT,
            "from_tree_sha256": self.from_tree_sha256, "tree_sha256": self.tree_sha256,
        }}  # fmt: skip


def full_path(version: str, platform_key: str, fmt: str) -> str:
    return f"{APP}/{platform_key}/{version}/{APP}-{version}-{platform_key}.{fmt}"


def patch_path(old: str, new: str, platform_key: str) -> str:
    return f"{APP}/{platform_key}/{new}/{APP}-{old}-to-{new}-{platform_key}.patch"


def read(path: str, target: TargetFile) -> Release | Patch | None:
    """The release or patch a target is (None: not one of ours, or not well formed)."""
    raw = target.custom.get(CUSTOM_KEY) if isinstance(target.custom, Mapping) else None
    if not isinstance(raw, Mapping):
        return None
    version, plat = raw.get("version"), raw.get("platform")
    if not is_release_version(version) or not isinstance(plat, str):
        return None
    assert isinstance(version, str)
    kind = raw.get("kind")
    if kind == "full":
        return _release(path, version, plat, raw, target.length)
    if kind == "patch":
        return _patch(path, version, plat, raw, target.length)
    return None


def _text(raw: Mapping[str, object], key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) and value else None


def _release(
    path: str, version: str, plat: str, raw: Mapping[str, object], length: int
) -> Release | None:
    fmt, tree = _text(raw, "format"), _text(raw, "tree_sha256")
    channels, size = raw.get("channels"), raw.get("tree_bytes")
    if fmt not in ARCHIVE_FORMATS or tree is None or not isinstance(channels, list):
        return None
    rings = frozenset(Channel(c) for c in channels if c in {ch.value for ch in Channel})
    tree_bytes = size if isinstance(size, int) and not isinstance(size, bool) else 0
    assert fmt is not None
    return Release(path, version, plat, rings, fmt, tree, tree_bytes, length)


def _patch(
    path: str, version: str, plat: str, raw: Mapping[str, object], length: int
) -> Patch | None:
    old, before, after = (
        _text(raw, "from_version"),
        _text(raw, "from_tree_sha256"),
        _text(raw, "tree_sha256"),
    )
    if (
        raw.get("format") != PATCH_FORMAT
        or not is_release_version(old)
        or before is None
        or after is None
    ):
        return None
    assert old is not None
    return Patch(path, version, old, plat, before, after, length)


def catalogue(targets: Mapping[str, TargetFile]) -> tuple[list[Release], list[Patch]]:
    releases: list[Release] = []
    patches: list[Patch] = []
    for path, target in targets.items():
        item = read(path, target)
        if isinstance(item, Release):
            releases.append(item)
        elif isinstance(item, Patch):
            patches.append(item)
    return releases, patches


def newest(releases: Iterable[Release]) -> Release | None:
    ordered = sorted(releases, key=lambda r: version_key(r.version))
    return ordered[-1] if ordered else None


def platform_key() -> str:
    """This PC's platform as the repository names it (``linux-x86_64``, ``windows-x86_64``)."""
    system = "windows" if sys.platform == "win32" else sys.platform.rstrip("0123456789")
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "x64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    return f"{system}-{machine}"


def bundle_platform(bundle: Path) -> str:
    """The platform a built bundle folder is for, read from its executable."""
    if (bundle / f"{APP}.exe").is_file():
        return f"windows-{_pe_machine(bundle / f'{APP}.exe')}"
    exe = bundle / APP
    if not exe.is_file():
        raise ValueError(f"{bundle} holds no {APP} executable: not a built bundle")
    header = exe.read_bytes()[:20]
    if header[:4] != b"\x7fELF":
        raise ValueError(f"{exe} is not a Linux executable")
    machine = struct.unpack_from("<H", header, 18)[0]
    return f"linux-{_ELF_MACHINES.get(machine, hex(machine))}"


def _pe_machine(exe: Path) -> str:
    data = exe.read_bytes()[:4096]
    offset = struct.unpack_from("<I", data, 0x3C)[0] if len(data) >= 0x40 else 0
    if data[:2] != b"MZ" or data[offset : offset + 4] != b"PE\0\0":
        raise ValueError(f"{exe} is not a Windows executable")
    machine = struct.unpack_from("<H", data, offset + 4)[0]
    return {0x8664: "x86_64", 0xAA64: "aarch64"}.get(machine, hex(machine))


def bundle_version(bundle: Path) -> str:
    """The version a built bundle says it is (``_internal/pser_desk/VERSION``)."""
    try:
        return (bundle / "_internal" / "pser_desk" / "VERSION").read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        raise ValueError(f"{bundle} has no readable _internal/pser_desk/VERSION") from None
