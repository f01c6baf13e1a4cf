#!/usr/bin/env python3
"""Screenshots of every screen, every wizard page and the slip preview, in English and Urdu,
into docs/images/.

    .venv/bin/python scripts/screenshots.py                 # offscreen (no display needed)
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py --real

The desk runs as in the demo (a store in a temporary folder, the embedded central service, the
shipped form) at the size a 1366x768 screen leaves it; the wizard is filled with the domain's
example household (seed 7), so every page shows realistic answers, with the focus on a choice
so that its options and their number keys show beside the form; the members page shows the
grid with a fresh row being typed. The slip preview is the one shown when no printer is set.
With ``--real`` the pictures are taken from the X screen under the openbox window manager
(started here when it is installed), title bars and all.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "images"
SIZE = (1366, 698)  # 1366x768 less a task bar and a title bar


def _settle(app, rounds: int = 30) -> None:
    import time

    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.01)


def _wait_for(app, condition, timeout: float = 10.0) -> None:
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("screenshots: the desk did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def _save(widget, name: str, real: bool) -> Path:
    from PySide6.QtGui import QGuiApplication

    path = OUT / f"{name}.png"
    if real:
        screen = QGuiApplication.primaryScreen()
        geo = widget.window().frameGeometry()
        pixmap = screen.grabWindow(0, geo.x(), geo.y(), geo.width(), geo.height())
    else:
        pixmap = widget.window().grab()
    pixmap.save(str(path))
    print(f"screenshots: {path.relative_to(ROOT)}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", action="store_true", help="grab from the X screen (xvfb-run)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not args.real:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    manager = _window_manager() if args.real else None
    os.environ["PSER_DESK_DATA_DIR"] = tempfile.mkdtemp(prefix="pser-shots-")
    OUT.mkdir(parents=True, exist_ok=True)

    from PySide6.QtWidgets import QApplication

    from pser_desk import app as wiring
    from pser_desk.commands.base import Context
    from pser_desk.domain.example import example_record
    from pser_desk.gui.wizard.model import split_record

    qt_app = QApplication(sys.argv[:1])
    data_dir = Path(os.environ["PSER_DESK_DATA_DIR"])
    services = wiring.build_services(Context(data_dir=data_dir), demo=True)
    controller = wiring.build_controller(services)
    controller.start()
    _wait_for(qt_app, lambda: controller.login_dialog is not None)
    page = controller.registration
    wizard = page.wizard
    record = example_record(args.seed, wizard.form, wizard.geography, date.today())
    _register_some(controller, wizard, args.seed)
    for language in ("en", "ur"):
        controller.set_language(language, save=False)
        _shoot_language(qt_app, controller, record, split_record, language, args.real)
    controller.shutdown()
    services.close()
    if manager is not None:
        manager.terminate()
        manager.wait(10)
    return 0


def _window_manager():
    """openbox on the X display, if installed (title bars, focus as on a desk)."""
    import shutil
    import subprocess
    import time

    if shutil.which("openbox") is None:
        print("screenshots: openbox is not installed; windows have no frames")
        return None
    proc = subprocess.Popen(["openbox"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    return proc


def _register_some(controller, wizard, seed: int, count: int = 3) -> None:
    """A few households queued and delivered to the demo's central, for the lists."""
    from pser_desk.domain.example import example_record

    desk = controller.desk
    demo = desk.sessions.login(*controller.demo)
    for n in range(count):
        other = example_record(seed + 100 + n, wizard.form, wizard.geography, date.today())
        other.pop("submission_id", None)
        desk.records.add(demo, other)
    desk.sending.send_once()


def _shoot_language(qt_app, controller, record, split_record, language: str, real: bool) -> None:
    if controller.login_dialog is None:
        controller.lock()
    dialog = controller.login_dialog
    dialog.ui.operatorEdit.setText("demo")
    _settle(qt_app)
    _save(dialog, f"login_{language}", real)
    dialog.ui.passwordEdit.setText(controller.demo[1])
    dialog.ui.loginButton.click()
    _wait_for(qt_app, lambda: controller.login_dialog is None)
    window = controller.window
    window.resize(*SIZE)
    controller.show_dashboard()
    _settle(qt_app, 60)
    _save(window, f"dashboard_{language}", real)
    controller.show_registration()
    wizard = controller.registration.wizard
    values, members = split_record(wizard.form, record)
    wizard.load(values, members)
    for number, section_page in enumerate(wizard.section_pages, start=1):
        _focus_a_choice(wizard, section_page)
        _settle(qt_app)
        _save(window, f"wizard_{number:02d}_{section_page.section.id}_{language}", real)
        wizard.next()
    _settle(qt_app)
    _save(window, f"wizard_{len(wizard.section_pages) + 1:02d}_review_{language}", real)
    controller.registration.flush_draft()  # the household just typed is a draft now
    for name, show in (("drafts", controller.show_drafts), ("records", controller.show_records)):
        show()
        _settle(qt_app, 60)
        _save(window, f"{name}_{language}", real)
    _shoot_slip_preview(qt_app, controller, language, real)
    window.ui.actionLock.trigger()
    _settle(qt_app)


def _shoot_slip_preview(qt_app, controller, language: str, real: bool) -> None:
    """A delivered household's slip, as shown when no printer is set (a first print: each
    language takes its own household, a second print would say REPRINT)."""
    slips = controller.slips
    # no printer chosen: the desk shows the preview
    controller.settings = dataclasses.replace(controller.settings, printer="")
    slips.output_file = None
    items = [i for i in controller.desk.records.recent(controller.login) if i.tracking_id]
    items.sort(key=lambda item: item.created_at, reverse=True)
    chosen = items[("en", "ur").index(language)]
    slips.print_slip(controller.login, chosen.receipt_no)
    _wait_for(qt_app, lambda: slips.preview is not None, timeout=30.0)
    _settle(qt_app, 60)
    _save(slips.preview, f"slip_preview_{language}", real)
    slips.preview.reject()
    _settle(qt_app)


def _focus_a_choice(wizard, section_page) -> None:
    """The focus on the page's first choice (its options and keys show beside the form), or
    on the members grid's fresh row."""
    from pser_desk.gui.wizard.editors import ChoiceEditor

    content = section_page.content
    if content is wizard.roster:
        content.focus_first()
        return
    for field_id in content.field_ids():
        editor = content.editor(field_id)
        if isinstance(editor, ChoiceEditor) and content.is_shown(field_id):
            editor.widget.setFocus()
            return


if __name__ == "__main__":
    sys.exit(main())
