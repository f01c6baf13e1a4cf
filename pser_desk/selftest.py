"""``pser-desk --self-test``: checks that an installed (or frozen) copy has what it needs.

Each check prints one line ``ok NAME (detail)`` or ``FAIL NAME: reason``; the exit code
is the number of failures (0 when all pass). The checks run offscreen, use only made-up
data and touch only a temporary folder, so a support person can run it on a centre's PC:

- ``resources``: the form definitions, geography, translations (.qm), fonts and samples
- ``form``: the household form definition and Punjab's geography load and check out
- ``database``: a temporary SQLite database is created (every migration runs), an
  account is added and signs in
- ``envelope``: a text sealed for a test key opens again
- ``keys``: a device key is written as enrolment writes it, private to this user (POSIX
  mode 0600, Windows a user-only ACL), and read back
- ``scan``: the bundled sample cards decode to their numbers (OpenCV, zxing-cpp)
- ``slip``: a slip PDF is rendered (fonts, HarfBuzz), its page drawn by PDFium, the QR
  read back and its signature verified
- ``qt``: Qt starts offscreen, shows a widget, loads the Urdu font and the translation

The module also holds ``startup_probe`` (hidden ``--startup-probe``), which starts the
real window offscreen and exits once the login window is shown: the cold-start benchmark.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from pser_desk import paths
from pser_desk.commands.base import Context
from pser_desk.security.envelope import open_envelope, seal

log = logging.getLogger(__name__)

# A check returns a short detail for its "ok" line, or raises with the reason.
Check = Callable[[Path], str]

URDU_FONT_FILE = "NotoNastaliqUrdu-Regular.ttf"
TRANSLATION_FILE = "pser_desk_ur.qm"
SELF_TEST_PASSWORD = "self-test-pass-2024"  # a throwaway account in a throwaway database


def _check_resources(tmp: Path) -> str:
    forms = sorted(paths.forms_dir().glob("*.json"))
    if not forms:
        raise RuntimeError(f"no form definition in {paths.forms_dir()}")
    for form in forms:
        json.loads(form.read_text(encoding="utf-8"))
    needed = [
        paths.resource("geography", "punjab.json"),
        paths.resource("translations", TRANSLATION_FILE),
        paths.resource("fonts", URDU_FONT_FILE),
        paths.resource("samples", "samples.json"),
    ]
    missing = [str(p.relative_to(paths.bundle_root())) for p in needed if not p.is_file()]
    if missing:
        raise RuntimeError(f"missing {', '.join(missing)} in {paths.bundle_root()}")
    return f"{len(forms)} form(s), geography, translation, font, samples"


def _check_form(tmp: Path) -> str:
    from pser_desk.domain.form import load_form
    from pser_desk.domain.geography import load_geography

    form = load_form()
    geography = load_geography()
    return f"form {form.form_id} {form.version}, {len(geography)} places"


def _check_database(tmp: Path) -> str:
    from pser_desk.store import StoreService
    from pser_desk.store.migrate import current_revision, head_revision

    service = StoreService.open(None, tmp / "db")
    try:
        revision = current_revision(service.store.engine)
        if revision != head_revision():
            raise RuntimeError(f"schema at {revision}, expected {head_revision()}")
        service.operators.add("selftest", "Self Test", "manager", SELF_TEST_PASSWORD, by=None)
        service.operators.login("selftest", SELF_TEST_PASSWORD)
    finally:
        service.close()
    return f"SQLite migrated to {revision}, sign-in works"


def _check_envelope(tmp: Path) -> str:
    key = X25519PrivateKey.generate()
    envelope = seal(b'{"self":"test"}', key.public_key(), b"self-test")
    if open_envelope(envelope, key, b"self-test") != b'{"self":"test"}':
        raise RuntimeError("sealed text did not come back")
    return "sealed and opened"


def _check_keys(tmp: Path) -> str:
    """The device key as enrolment writes it: atomically, private to this user, read back.

    (On Windows Python 3.11 the first write failed: ``os.fchmod`` does not exist there.)
    """
    from pser_desk.security.device import DeviceKey
    from pser_desk.security.private_files import is_private

    data = tmp / "keys"
    key = DeviceKey.generate()
    path = key.save(data)
    if DeviceKey.load(data).public_raw() != key.public_raw():
        raise RuntimeError("the device key read back is not the one written")
    for private in (path.parent, path):
        if not is_private(private):
            raise RuntimeError(f"{private.name} can be opened by other users of this PC")
    if sorted(p.name for p in path.parent.iterdir()) != [path.name]:
        raise RuntimeError("a temporary key file was left behind")
    return "device key written and read back, " + (
        "user-only ACL" if os.name == "nt" else "mode 0600"
    )


def _check_scan(tmp: Path) -> str:
    from pser_desk.scan.samples import samples_dir, self_test

    problems = self_test()
    if problems:
        raise RuntimeError("; ".join(problems))
    manifest = json.loads((samples_dir() / "samples.json").read_text(encoding="utf-8"))
    cards = manifest.get("cards", {})
    if not cards:
        raise RuntimeError("no sample cards in samples.json")
    return f"{len(cards)} sample card(s) read"


def _check_slip(tmp: Path) -> str:
    import pypdfium2

    from pser_desk.documents.slip import SlipData, render_slip
    from pser_desk.documents.slip_reader import decode_qr_tokens
    from pser_desk.documents.slip_token import Verified, issue_token, verify_token

    key = Ed25519PrivateKey.generate()
    submission_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    token = issue_token(
        key,
        receipt_no="SELFTEST-000001",
        submission_id=submission_id,
        cnic_digits="1111111111111",
        issued_at=now,
        device_id="self-test",
    )
    data = SlipData(
        receipt_no="SELFTEST-000001",
        submission_id=submission_id,
        created_at=now,
        centre_code="TEST-0000",
        centre_name="Self test",
        operator_id="selftest",
        head_name="خود جانچ Self Test",
        cnic_masked="11111-XXXXXXX-1",
        member_count=1,
    )
    pdf = render_slip(data, "80mm", token)
    if not pdf.startswith(b"%PDF-"):
        raise RuntimeError("the slip is not a PDF")
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=200 / 72).to_pil()
    finally:
        document.close()
    tokens = decode_qr_tokens(image)
    if tokens != [token]:
        raise RuntimeError(f"the slip's QR code read back as {len(tokens)} token(s)")
    verdict = verify_token(tokens[0], key.public_key())
    if not isinstance(verdict, Verified):
        raise RuntimeError(f"the slip token did not verify ({getattr(verdict, 'reason', '?')})")
    return f"80 mm slip, {len(pdf) // 1024} KB, QR read back and verified"


def _check_qt(tmp: Path) -> str:
    from pser_desk.gui.selftest_qt import check_qt  # Qt lives in gui/ only

    return check_qt(URDU_FONT_FILE, TRANSLATION_FILE)


CHECKS: list[tuple[str, Check]] = [
    ("resources", _check_resources),
    ("form", _check_form),
    ("database", _check_database),
    ("envelope", _check_envelope),
    ("keys", _check_keys),
    ("scan", _check_scan),
    ("slip", _check_slip),
    ("qt", _check_qt),
]


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    return text[:300]


def run(ctx: Context, checks: Sequence[tuple[str, Check]] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failures = 0
    ctx.stdout.write(f"pser-desk self-test ({paths.origin()}: {paths.bundle_root()})\n")
    with tempfile.TemporaryDirectory(prefix="pser-self-test-") as tmp:
        for name, check in CHECKS if checks is None else checks:
            started = time.perf_counter()
            try:
                detail = check(Path(tmp))
            except Exception as exc:  # a self-test reports every failure, it never stops
                failures += 1
                ctx.stdout.write(f"FAIL {name}: {_one_line(exc)}\n")
            else:
                elapsed = time.perf_counter() - started
                ctx.stdout.write(f"ok {name} ({detail}; {elapsed:.2f} s)\n")
            ctx.stdout.flush()
    ctx.stdout.write(f"{failures} failure(s)\n")
    return failures


# ------------------------------------------------------------ cold start


PROBE_TIMEOUT_MS = 60_000


def startup_probe(ctx: Context) -> int:
    """Start the real desk (demo defaults) and exit 0 once the login window is shown."""
    from pser_desk import app

    return app.startup_probe(ctx, PROBE_TIMEOUT_MS)
