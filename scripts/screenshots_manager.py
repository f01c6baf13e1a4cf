#!/usr/bin/env python3
"""Screenshots of the scan dialog and the manager's screens, in English and Urdu.

    .venv/bin/python scripts/screenshots_manager.py          # offscreen, into docs/images/

A throwaway store in a temporary folder: a manager, two operators, the PC enrolled
(made-up identity), a day of example households queued, a few acknowledged; the scan
dialog reads the simulated camera's sample card. Nothing here is real data.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "images"
PASSWORD = "centre-manager-77"


def _wait(app: Any, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("screenshots: a screen did not get ready in time")
        app.processEvents()
        time.sleep(0.01)


def _settle(app: Any, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _shoot(widget: Any, name: str) -> None:
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(f"screenshots: {path.relative_to(ROOT)}")


def _store(data_dir: Path) -> tuple[Any, Any]:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from pser_desk.desk.model import LoginOutcome, LoginResult, OperatorInfo
    from pser_desk.domain.accounts import Role
    from pser_desk.domain.example import example_record
    from pser_desk.domain.form import load_form
    from pser_desk.domain.geography import load_geography
    from pser_desk.domain.records import FieldProblem
    from pser_desk.security.envelope import b64u_encode, raw_public
    from pser_desk.store import DeviceIdentity, StoreService
    from pser_desk.store.sealing import new_submission_id

    store = StoreService.open(None, data_dir)
    store.operators.add("mgr1", "Centre Manager", "manager", PASSWORD, by=None)
    session = store.operators.login("mgr1", PASSWORD)
    for op in ("op1", "op2"):
        store.operators.add(op, f"Counter {op[-1]}", "operator", "counter-desk-2026", by=session)
    store.operators.disable("op2", by=session)
    central = X25519PrivateKey.generate()
    store.device.save(DeviceIdentity(
        device_id="dev_7Q2K9", centre_code="LHR-0042", centre_name="Model Town Centre",
        district="Lahore", tehsil="Lahore City", central_url="https://central.pser.example/api/v1",
        central_encryption_key=b64u_encode(raw_public(central.public_key())),
        central_signing_key=b64u_encode(b"\x01" * 32),
        enrolled_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC), device_name="Counter 1",
    ))  # fmt: skip
    form, geography = load_form(), load_geography()
    for seed in range(7):
        record = example_record(seed, form, geography, date.today())
        record = {**record, "submission_id": new_submission_id()}  # stamped, as the desk does
        store.records.queue(record, operator_id="op1" if seed % 3 else "mgr1")
    claimed = [item.submission_id for item in store.outbox.claim_due(3)]
    for n, sid in enumerate(claimed[:2], start=1):
        store.outbox.mark_acknowledged(sid, f"PSER-26-00000000{n}")
    store.outbox.mark_needs_correction(claimed[2], [FieldProblem("head.name", "x")])
    login = LoginResult(LoginOutcome.OK, OperatorInfo("mgr1", "Centre Manager", Role.MANAGER),
                        session)  # fmt: skip
    return store, login


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pser_desk.desk.services import Desk
    from pser_desk.desk.settings import DeskSettings
    from pser_desk.gui.i18n import LanguageManager
    from pser_desk.gui.manager.audit import AuditDialog
    from pser_desk.gui.manager.enrolment import EnrolmentDialog
    from pser_desk.gui.manager.operators import OperatorsDialog
    from pser_desk.gui.manager.report import ReportDialog
    from pser_desk.gui.manager.settings_page import ManagerSettingsDialog
    from pser_desk.gui.scanning.dialog import ScanDialog
    from pser_desk.gui.scanning.session import open_camera
    from pser_desk.gui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        store, login = _store(data_dir)
        runner = TaskRunner()
        services = Desk.on(store, data_dir)  # the application layer the screens are given
        languages = LanguageManager(app, cache_dir=data_dir / "qm")
        settings = DeskSettings(camera="simulated", printer="")
        try:
            for language in ("en", "ur"):
                languages.set_language(language)
                _screens(app, language, runner, services, login, settings,
                         (OperatorsDialog, AuditDialog, ReportDialog, ManagerSettingsDialog,
                          ScanDialog, open_camera, EnrolmentDialog))  # fmt: skip
        finally:
            languages.set_language("en")
            runner.shutdown()
            store.close()
    return 0


def _screens(app: Any, lang: str, runner: Any, services: Any, login: Any, settings: Any,
             kinds: tuple[Any, ...]) -> None:  # fmt: skip
    operators_cls, audit_cls, report_cls, settings_cls, scan_cls, open_camera, enrol_cls = kinds
    idle = lambda: runner.pending == 0  # noqa: E731

    dialog = operators_cls(services, runner, login)
    dialog.show()
    _wait(app, idle)
    dialog.table.selectRow(1)
    _settle(app)
    _shoot(dialog, f"manager_operators_{lang}")
    dialog.close()

    dialog = enrol_cls(services, runner, login)
    dialog.show()
    _wait(app, idle)
    _settle(app)
    _shoot(dialog, f"manager_enrolment_{lang}")
    dialog.close()

    dialog = settings_cls(settings)
    dialog.set_devices(["PSER_PDF", "Counter-Thermal-80"], ["0"])
    dialog.show()
    _settle(app)
    _shoot(dialog, f"manager_settings_{lang}")
    dialog.close()

    dialog = audit_cls(services, runner, login)
    dialog.show()
    _wait(app, idle)
    dialog.verify()
    _wait(app, idle)
    _settle(app)
    _shoot(dialog, f"manager_audit_{lang}")
    dialog.close()

    dialog = report_cls(services, runner, login)
    dialog.show()
    dialog.build()
    _wait(app, idle, 60)
    _settle(app)
    _shoot(dialog, f"manager_report_{lang}")
    dialog.close()

    dialog = scan_cls(lambda: open_camera("simulated"))
    dialog.show()
    _wait(app, lambda: dialog.use_button.isEnabled() and dialog.overlay_drawn)
    _shoot(dialog, f"scan_dialog_{lang}")
    dialog.reject()
    _wait(app, dialog.session.stopped_event.is_set)


if __name__ == "__main__":
    raise SystemExit(main())
