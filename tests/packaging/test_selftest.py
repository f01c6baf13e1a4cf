"""``pser-desk --self-test`` from the checkout: every check passes, and a broken copy fails."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pser_desk import paths, selftest
from pser_desk.commands.base import Context

CHECK_NAMES = [name for name, _ in selftest.CHECKS]


def test_the_checks_cover_what_the_bundle_must_carry() -> None:
    assert CHECK_NAMES == [
        "resources", "form", "database", "envelope", "keys", "scan", "slip", "qt",
    ]  # fmt: skip


@pytest.mark.slow
def test_self_test_from_the_checkout_passes_every_check(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pser_desk", "--self-test"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert lines[0].startswith("pser-desk self-test (source: ")
    assert [line.split()[1] for line in lines[1:-1]] == CHECK_NAMES
    assert all(line.startswith("ok ") for line in lines[1:-1]), lines
    assert lines[-1] == "0 failure(s)"


def test_a_copy_without_its_resources_fails_those_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    empty_bundle = tmp_path / "bundle"
    (empty_bundle / "resources").mkdir(parents=True)
    monkeypatch.setattr(paths, "resources_dir", lambda: empty_bundle / "resources")
    out = io.StringIO()
    checks = [(name, check) for name, check in selftest.CHECKS if name != "qt"]

    code = selftest.run(Context(data_dir=data_dir, stdout=out), checks)

    lines = out.getvalue().splitlines()
    failed = [line.split()[1].rstrip(":") for line in lines if line.startswith("FAIL ")]
    passed = [line.split()[1] for line in lines if line.startswith("ok ")]
    assert failed == ["resources", "form", "scan"], lines
    assert passed == ["database", "envelope", "keys", "slip"], lines
    assert code == 3
    assert lines[-1] == "3 failure(s)"
    assert "no form definition in" in lines[1]
    assert not data_dir.exists(), "the self-test must touch only a temporary folder"


def test_the_keys_check_fails_when_other_users_could_read_the_device_key(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    from pser_desk.security import private_files

    monkeypatch.setattr(private_files, "restrict", lambda path, directory: None)  # as before
    previous = os.umask(0o022)
    try:
        out = io.StringIO()
        code = selftest.run(
            Context(data_dir=data_dir, stdout=out), [("keys", selftest._check_keys)]
        )
    finally:
        os.umask(previous)
    assert code == 1
    assert (
        out.getvalue()
        .splitlines()[1]
        .startswith("FAIL keys: identity can be opened by other users of this PC")
    )
