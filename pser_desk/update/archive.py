"""The full archive of a release: ``manifest.json`` first, then the bundle under ``tree/``.

Written as a deterministic tar (fixed owner and time, manifest order) compressed with xz
(smallest: 129 MB for the 460 MB Linux bundle) or gzip at level 1 (197 MB, but made in
a tenth of the time: tests and trial repositories). Extraction streams the archive once and writes
only what the manifest lists, each file checked against its size and SHA-256 while it is
written; anything else in the archive (another path, a device, a hard link, a link out of
the folder, a file longer than listed) stops it. The manifest itself is bound to the
signed target by its digest (``tree_sha256`` in the target's custom metadata).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import lzma
import os
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Literal

from pser_desk.update.manifest import CHUNK, Entry, Manifest, ManifestError

Compression = Literal["xz", "gz"]
MANIFEST_NAME = "manifest.json"
TREE = "tree/"
Progress = Callable[[int], None]


class ArchiveError(ValueError):
    """An archive that does not hold exactly what its manifest lists."""


def suffix(compression: Compression) -> str:
    return f".tar.{compression}"


def write_archive(
    root: Path, manifest: Manifest, out: Path, compression: Compression = "xz"
) -> None:
    """Write the full archive of the folder *root* (scanned into *manifest*) to *out*."""
    with (
        out.open("wb") as raw,
        compressor(raw, compression) as stream,
        tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        add_bytes(tar, MANIFEST_NAME, manifest.to_bytes())
        for entry in manifest.entries:
            add_entry(tar, TREE + entry.path, entry, root / entry.path)


def compressor(raw: IO[bytes], compression: Compression) -> lzma.LZMAFile | gzip.GzipFile:
    """xz (preset 6) or gzip (level 1: quick), with no name or time in the header, so the
    same tree always makes the same bytes."""
    if compression == "xz":
        return lzma.LZMAFile(raw, "wb", preset=6)
    return gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=1, mtime=0)


def _info(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
    return info


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = _info(name)
    info.size, info.mode = len(data), 0o644
    tar.addfile(info, io.BytesIO(data))


def add_entry(tar: tarfile.TarFile, name: str, entry: Entry, source: Path) -> None:
    info = _info(name)
    if entry.kind == "dir":
        info.type, info.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(info)
    elif entry.kind == "link":
        info.type, info.linkname, info.mode = tarfile.SYMTYPE, entry.target, 0o777
        tar.addfile(info)
    else:
        info.size, info.mode = entry.size, 0o755 if entry.executable else 0o644
        with source.open("rb") as handle:
            tar.addfile(info, handle)


def open_stream(path: Path) -> tarfile.TarFile:
    """A tar read once from start to end (``r|*``: xz, gzip or none, found by content)."""
    try:
        return tarfile.open(path, "r|*")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveError(f"{path.name} is not an archive ({exc})") from None


def read_member(tar: tarfile.TarFile, member: tarfile.TarInfo, limit: int) -> bytes:
    if not member.isfile() or member.size > limit:
        raise ArchiveError(f"{member.name} is not a file of at most {limit} bytes")
    handle = tar.extractfile(member)
    if handle is None:
        raise ArchiveError(f"{member.name} cannot be read")
    return handle.read()


def read_first(tar: tarfile.TarFile, name: str, limit: int) -> bytes:
    """The first member of *tar*, which must be the file *name* (a manifest, a header)."""
    first = tar.next()
    if first is None or first.name != name:
        raise ArchiveError(f"the file does not start with its {name}")
    return read_member(tar, first, limit)


def extract_archive(
    archive: Path, dest: Path, tree_sha256: str | None = None, progress: Progress | None = None
) -> Manifest:
    """Rebuild the release in the new folder *dest*; its manifest once all is checked."""
    dest.mkdir(parents=True)
    try:
        with open_stream(archive) as tar:
            manifest = Manifest.from_bytes(read_first(tar, MANIFEST_NAME, 16 << 20))
            if tree_sha256 is not None and manifest.digest() != tree_sha256:
                raise ArchiveError("the archive's manifest is not the one its release signed")
            expected = manifest.by_path()
            written: set[str] = set()
            while (member := tar.next()) is not None:
                if not member.name.startswith(TREE):
                    raise ArchiveError(f"{member.name} is not part of the bundle")
                path = member.name[len(TREE) :].rstrip("/")
                entry = expected.get(path)
                if entry is None or path in written:
                    raise ArchiveError(f"{path} is not in the release's manifest")
                _extract_member(tar, member, entry, dest)
                written.add(path)
                if progress is not None:
                    progress(entry.size)
    except (tarfile.TarError, EOFError, OSError, ManifestError) as exc:
        raise ArchiveError(f"the archive is damaged ({exc})") from None
    missing = set(expected) - written
    if missing:
        raise ArchiveError(f"{sorted(missing)[0]} is missing from the archive")
    return manifest


def _extract_member(
    tar: tarfile.TarFile, member: tarfile.TarInfo, entry: Entry, dest: Path
) -> None:
    target = dest / entry.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if entry.kind == "dir":
        if not member.isdir():
            raise ArchiveError(f"{entry.path} should be a folder")
        target.mkdir(exist_ok=True)
    elif entry.kind == "link":
        if not member.issym() or member.linkname != entry.target:
            raise ArchiveError(f"{entry.path} should be a link to {entry.target}")
        os.symlink(entry.target, target)
    else:
        if not member.isfile() or member.size != entry.size:
            raise ArchiveError(f"{entry.path} does not have its listed size")
        source = tar.extractfile(member)
        if source is None:
            raise ArchiveError(f"{entry.path} cannot be read")
        write_checked(source, target, entry)


def write_checked(source: IO[bytes], target: Path, entry: Entry) -> None:
    """Copy *source* to *target* (a new file), refusing it unless it is *entry* exactly."""
    digest, size = hashlib.sha256(), 0
    with target.open("xb") as out:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            if size > entry.size:
                break
            digest.update(chunk)
            out.write(chunk)
    if size != entry.size or digest.hexdigest() != entry.sha256:
        target.unlink()
        raise ArchiveError(f"{entry.path} differs from its manifest (size or SHA-256)")
    set_mode(target, entry)


def set_mode(target: Path, entry: Entry) -> None:
    if os.name == "posix":
        target.chmod(0o755 if entry.executable else 0o644)
