"""A patch from one release to the next, applied file by file to the installed bundle.

A one-line change to the desk changes a few files of a 460 MB bundle (the executable,
which holds the Python modules, and little else), so a patch carries only those: a file
whose content the old version already has is copied from the installed bundle, a
changed file comes as a bsdiff delta against its old self (bsdiff4, wheels for Linux and
Windows), and anything new whole. Every file is checked against the new manifest (inside
the patch, which is itself a signed TUF target) before the new version can run; a file
of the installed bundle that is not what the old release shipped stops the patch, and
the PC falls back to the full archive.

Why not one binary diff of the whole archive (tufup's way): bsdiff needs about 17 times
its input in memory to make a patch (460 MB -> ~8 GB) and both whole versions in memory
to apply it (~1 GB on a centre's PC); file by file, the largest file bounds both.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path

import bsdiff4

from pser_desk.update.archive import (
    ArchiveError,
    Progress,
    add_bytes,
    add_entry,
    compressor,
    open_stream,
    read_first,
    read_member,
    write_checked,
)
from pser_desk.update.manifest import Manifest, ManifestError

PATCH_FORMAT = "pser-patch-1"
PATCH_NAME = "patch.json"
BSDIFF_MAX_BYTES = 96 << 20  # larger files go whole (bsdiff's memory is ~17x the file)
DELTA_WORTH = 0.6  # a delta larger than this share of the file: send the file whole


@dataclass(frozen=True)
class PatchPlan:
    ops: dict[str, dict[str, str]]  # path -> {"op": "copy"|"delta"|"add", "from": old path}
    copied: int
    deltas: int
    added: int


def plan(old: Manifest, new: Manifest) -> dict[str, dict[str, str]]:
    """How each file of *new* is made from *old*: copied, a delta, or added whole."""
    old_files = {e.path: e for e in old.files()}
    by_hash: dict[str, str] = {}
    for entry in old.files():
        by_hash.setdefault(entry.sha256, entry.path)
    ops: dict[str, dict[str, str]] = {}
    for entry in new.files():
        previous = old_files.get(entry.path)
        if previous is not None and previous.sha256 == entry.sha256:
            ops[entry.path] = {"op": "copy", "from": entry.path, "sha256": entry.sha256}
        elif entry.sha256 in by_hash:
            ops[entry.path] = {"op": "copy", "from": by_hash[entry.sha256], "sha256": entry.sha256}
        elif previous is not None and max(previous.size, entry.size) <= BSDIFF_MAX_BYTES:
            ops[entry.path] = {"op": "delta", "from": entry.path, "sha256": previous.sha256}
        else:
            ops[entry.path] = {"op": "add"}
    return ops


def make_patch(
    old_root: Path,
    old: Manifest,
    new_root: Path,
    new: Manifest,
    out: Path,
    versions: tuple[str, str],
) -> PatchPlan:
    """Write the patch from *old_root* (release versions[0]) to *new_root* (versions[1])."""
    ops = plan(old, new)
    deltas: dict[str, bytes] = {}
    for path, op in ops.items():
        if op["op"] != "delta":
            continue
        before, after = (old_root / op["from"]).read_bytes(), (new_root / path).read_bytes()
        delta = bsdiff4.diff(before, after)
        if len(delta) <= DELTA_WORTH * len(after):
            deltas[path] = delta
        else:
            ops[path] = {"op": "add"}
    header = {
        "format": PATCH_FORMAT,
        "from_version": versions[0],
        "to_version": versions[1],
        "from_tree_sha256": old.digest(),
        "manifest": json.loads(new.to_bytes()),
        "ops": ops,
    }
    with (
        out.open("wb") as raw,
        compressor(raw, "xz") as stream,
        tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        add_bytes(tar, PATCH_NAME, json.dumps(header, sort_keys=True).encode("utf-8"))
        for path, delta in sorted(deltas.items()):
            add_bytes(tar, f"delta/{path}", delta)
        wanted = new.by_path()
        for path, op in sorted(ops.items()):
            if op["op"] == "add":
                add_entry(tar, f"add/{path}", wanted[path], new_root / path)
    kinds = [op["op"] for op in ops.values()]
    return PatchPlan(ops, kinds.count("copy"), kinds.count("delta"), kinds.count("add"))


def apply_patch(
    patch: Path,
    installed: Path,
    dest: Path,
    *,
    from_tree_sha256: str | None = None,
    tree_sha256: str | None = None,
    progress: Progress | None = None,
) -> Manifest:
    """Rebuild the new release in the new folder *dest* from *installed* and *patch*."""
    dest.mkdir(parents=True)
    try:
        with open_stream(patch) as tar:
            header = _header(read_first(tar, PATCH_NAME, 32 << 20))
            manifest = Manifest.from_bytes(json.dumps(header["manifest"]).encode("utf-8"))
            _check_binding(header, manifest, from_tree_sha256, tree_sha256)
            ops = _ops(header, manifest)
            done = _members(tar, manifest, ops, installed, dest, progress)
    except (tarfile.TarError, EOFError, OSError, ManifestError, ValueError) as exc:
        if isinstance(exc, ArchiveError):
            raise
        raise ArchiveError(f"the patch cannot be applied ({exc})") from None
    _copies(manifest, ops, installed, dest, done, progress)
    _links_and_dirs(manifest, dest)
    return manifest


def _header(data: bytes) -> dict[str, object]:
    header = json.loads(data)
    if not isinstance(header, dict) or header.get("format") != PATCH_FORMAT:
        raise ArchiveError(f"the patch is not {PATCH_FORMAT}")
    return header


def _check_binding(
    header: dict[str, object], manifest: Manifest, old: str | None, new: str | None
) -> None:
    if old is not None and header.get("from_tree_sha256") != old:
        raise ArchiveError("the patch is not made from the installed release")
    if new is not None and manifest.digest() != new:
        raise ArchiveError("the patch's manifest is not the one its release signed")


def _ops(header: dict[str, object], manifest: Manifest) -> dict[str, dict[str, str]]:
    ops = header.get("ops")
    files = {e.path for e in manifest.files()}
    if not isinstance(ops, dict) or set(ops) != files:
        raise ArchiveError("the patch does not say how to make every file")
    for path, op in ops.items():
        if not isinstance(op, dict) or op.get("op") not in ("copy", "delta", "add"):
            raise ArchiveError(f"the patch's step for {path} is not understood")
    return ops


def _members(
    tar: tarfile.TarFile,
    manifest: Manifest,
    ops: dict[str, dict[str, str]],
    installed: Path,
    dest: Path,
    progress: Progress | None,
) -> set[str]:
    wanted, done = manifest.by_path(), set[str]()
    while (member := tar.next()) is not None:
        kind, _, path = member.name.partition("/")
        op = ops.get(path)
        if op is None or path in done or kind not in ("delta", "add") or op["op"] != kind:
            raise ArchiveError(f"{member.name} is not part of the patch")
        entry, target = wanted[path], dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "add":
            source = tar.extractfile(member)
            if source is None or member.size != entry.size:
                raise ArchiveError(f"{path} does not have its listed size")
            write_checked(source, target, entry)
        else:
            old = _installed_file(installed, op["from"], op["sha256"])
            after = bsdiff4.patch(old, read_member(tar, member, 4 * BSDIFF_MAX_BYTES))
            write_checked(io.BytesIO(after), target, entry)
        done.add(path)
        if progress is not None:
            progress(entry.size)
    return done


def _installed_file(installed: Path, rel: str, sha256: str) -> bytes:
    try:
        data = (installed / rel).read_bytes()
    except OSError:
        raise ArchiveError(f"the installed {rel} cannot be read") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ArchiveError(f"the installed {rel} is not the file its release shipped")
    return data


def _copies(
    manifest: Manifest,
    ops: dict[str, dict[str, str]],
    installed: Path,
    dest: Path,
    done: set[str],
    progress: Progress | None,
) -> None:
    wanted = manifest.by_path()
    for path, op in ops.items():
        if op["op"] != "copy":
            continue
        entry, source = wanted[path], installed / op["from"]
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with source.open("rb") as handle:
                write_checked(handle, target, entry)
        except (OSError, ArchiveError):
            raise ArchiveError(
                f"the installed {op['from']} is not the file its release shipped"
            ) from None
        done.add(path)
        if progress is not None:
            progress(entry.size)
    missing = {e.path for e in manifest.files()} - done
    if missing:
        raise ArchiveError(f"the patch does not make {sorted(missing)[0]}")


def _links_and_dirs(manifest: Manifest, dest: Path) -> None:
    for entry in manifest.entries:
        target = dest / entry.path
        if entry.kind == "dir":
            target.mkdir(parents=True, exist_ok=True)
        elif entry.kind == "link":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(entry.target)
