"""Manifests, full archives and patches: a release rebuilt file by file, every file checked."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from pser_desk.update.archive import ArchiveError, add_bytes, extract_archive, write_archive
from pser_desk.update.manifest import Entry, Manifest, ManifestError, scan, verify_tree
from pser_desk.update.patch import apply_patch, make_patch


def tree(root: Path, files: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for name, target in (links or {}).items():
        (root / name).symlink_to(target)
    (root / "pser-desk").chmod(0o755)
    return root


BIG = os.urandom(400_000)
OLD = {"pser-desk": b"\x7fELF" + BIG[:50_000], "_internal/lib.so": BIG, "_internal/x.txt": b"x"}


def test_a_full_archive_rebuilds_the_tree_exactly(tmp_path: Path) -> None:
    source = tree(tmp_path / "a", OLD, {"_internal/lib.so.6": "lib.so"})
    (source / "_internal" / "empty").mkdir()
    manifest = scan(source)
    for compression in ("xz", "gz"):
        archive = tmp_path / f"a.tar.{compression}"
        write_archive(source, manifest, archive, compression)  # type: ignore[arg-type]
        out = tmp_path / f"out-{compression}"
        assert extract_archive(archive, out, manifest.digest()).digest() == manifest.digest()
        verify_tree(out, manifest)
        assert os.readlink(out / "_internal" / "lib.so.6") == "lib.so"
        assert os.access(out / "pser-desk", os.X_OK)
        assert (out / "_internal" / "empty").is_dir()


def test_an_archive_is_deterministic(tmp_path: Path) -> None:
    source = tree(tmp_path / "a", OLD)
    manifest = scan(source)
    write_archive(source, manifest, tmp_path / "1.tar.gz", "gz")
    os.utime(source / "_internal" / "x.txt", (1, 1))
    write_archive(source, manifest, tmp_path / "2.tar.gz", "gz")
    assert (tmp_path / "1.tar.gz").read_bytes() == (tmp_path / "2.tar.gz").read_bytes()


def _crafted(tmp_path: Path, manifest: Manifest, members: list[tuple[str, bytes]]) -> Path:
    path = tmp_path / "crafted.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        add_bytes(tar, "manifest.json", manifest.to_bytes())
        for name, data in members:
            add_bytes(tar, name, data)
    return path


def test_an_archive_holding_other_bytes_or_other_files_is_refused(tmp_path: Path) -> None:
    good = Manifest.checked(
        (Entry("a.txt", "file", 3, __import__("hashlib").sha256(b"abc").hexdigest()),)
    )
    cases = {
        "changed": [("tree/a.txt", b"abd")],
        "longer": [("tree/a.txt", b"abcd")],
        "extra": [("tree/a.txt", b"abc"), ("tree/b.txt", b"planted")],
        "outside": [("tree/a.txt", b"abc"), ("../../etc/passwd", b"x")],
        "missing": [],
    }
    for name, members in cases.items():
        with pytest.raises(ArchiveError):
            extract_archive(_crafted(tmp_path, good, members), tmp_path / f"out-{name}")
    with pytest.raises(ArchiveError, match="not the one its release signed"):
        extract_archive(
            _crafted(tmp_path, good, [("tree/a.txt", b"abc")]), tmp_path / "o", "0" * 64
        )


@pytest.mark.parametrize(
    "entry",
    [
        {"path": "../evil", "kind": "dir"},
        {"path": "/etc/passwd", "kind": "dir"},
        {"path": "a\\b", "kind": "dir"},
        {"path": "C:/x", "kind": "dir"},
        {"path": "a/./b", "kind": "dir"},
        {"path": "lib", "kind": "link", "target": "../../../etc"},
        {"path": "lib", "kind": "link", "target": "/usr/lib"},
    ],
)
def test_a_manifest_that_leaves_the_folder_is_refused(entry: dict[str, object]) -> None:
    with pytest.raises(ManifestError):
        Manifest.from_bytes(json.dumps({"format": 1, "entries": [entry]}).encode())


def test_names_that_differ_only_by_case_and_files_under_links_are_refused() -> None:
    digest = "0" * 64
    with pytest.raises(ManifestError, match="case"):
        Manifest.checked((Entry("A.dll", "file", 1, digest), Entry("a.dll", "file", 1, digest)))
    with pytest.raises(ManifestError, match="not a folder"):
        Manifest.checked((Entry("lib", "link", target="x"), Entry("lib/a", "file", 1, digest)))


def test_a_patch_carries_only_what_changed_and_rebuilds_the_new_tree(tmp_path: Path) -> None:
    old_root = tree(tmp_path / "old", OLD, {"_internal/lib.so.6": "lib.so"})
    new_files = {
        **OLD,
        "pser-desk": OLD["pser-desk"][:-10] + b"0123456789",
        "_internal/new.txt": b"new",
    }
    del new_files["_internal/x.txt"]
    new_files["_internal/moved.txt"] = b"x"  # renamed: copied from its old place
    new_root = tree(tmp_path / "new", new_files, {"_internal/lib.so.6": "lib.so"})
    old, new = scan(old_root), scan(new_root)
    plan = make_patch(old_root, old, new_root, new, tmp_path / "p.patch", ("0.1.0", "0.1.1"))
    assert (plan.copied, plan.deltas, plan.added) == (2, 1, 1)
    assert (tmp_path / "p.patch").stat().st_size < 2_000  # a 450 KB tree, a 10-byte change
    out = tmp_path / "rebuilt"
    built = apply_patch(tmp_path / "p.patch", old_root, out, from_tree_sha256=old.digest(),
                        tree_sha256=new.digest())  # fmt: skip
    assert built.digest() == new.digest()
    verify_tree(out, new)


def test_a_patch_refuses_an_installation_that_is_not_the_old_release(tmp_path: Path) -> None:
    old_root = tree(tmp_path / "old", OLD)
    new_root = tree(tmp_path / "new", {**OLD, "pser-desk": OLD["pser-desk"] + b"!"})
    old, new = scan(old_root), scan(new_root)
    make_patch(old_root, old, new_root, new, tmp_path / "p.patch", ("0.1.0", "0.1.1"))
    (old_root / "_internal" / "lib.so").write_bytes(BIG[:-1] + b"?")  # a damaged library
    with pytest.raises(ArchiveError, match="not the file its release shipped"):
        apply_patch(tmp_path / "p.patch", old_root, tmp_path / "out")
    with pytest.raises(ArchiveError, match="not made from the installed release"):
        apply_patch(tmp_path / "p.patch", old_root, tmp_path / "out2", from_tree_sha256="1" * 64)


def test_verify_tree_names_a_planted_file(tmp_path: Path) -> None:
    root = tree(tmp_path / "a", OLD)
    manifest = scan(root)
    (root / "_internal" / "planted.py").write_bytes(io.BytesIO(b"print(1)").read())
    with pytest.raises(ManifestError, match="planted.py is unexpected"):
        verify_tree(root, manifest)
