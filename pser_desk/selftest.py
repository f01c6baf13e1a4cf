"""``pser-desk --self-test``: checks that an installed (or frozen) copy has what it needs.

Each check prints one line ``ok NAME`` or ``FAIL NAME: reason``; the exit code is the
number of failures (0 when all pass). Checks run offscreen and touch only a temporary folder.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from pser_desk import paths
from pser_desk.commands.base import Context
from pser_desk.security.envelope import open_envelope, seal

Check = Callable[[Path], None]


def _check_resources(tmp: Path) -> None:
    forms = sorted(paths.forms_dir().glob("*.json"))
    if not forms:
        raise RuntimeError(f"no form definition in {paths.forms_dir()}")
    for form in forms:
        json.loads(form.read_text(encoding="utf-8"))


def _check_envelope(tmp: Path) -> None:
    key = X25519PrivateKey.generate()
    envelope = seal(b'{"self":"test"}', key.public_key(), b"self-test")
    if open_envelope(envelope, key, b"self-test") != b'{"self":"test"}':
        raise RuntimeError("sealed text did not come back")


CHECKS: list[tuple[str, Check]] = [
    ("resources", _check_resources),
    ("envelope", _check_envelope),
]


def run(ctx: Context) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="pser-self-test-") as tmp:
        for name, check in CHECKS:
            try:
                check(Path(tmp))
            except Exception as exc:  # a self-test reports every failure, it never stops
                failures += 1
                ctx.stdout.write(f"FAIL {name}: {exc}\n")
            else:
                ctx.stdout.write(f"ok {name}\n")
    return failures
