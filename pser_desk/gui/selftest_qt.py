"""The Qt half of ``pser-desk --self-test`` and the cold-start probe (Qt lives in gui/)."""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any

from pser_desk import paths
from pser_desk.commands.base import Context

log = logging.getLogger(__name__)


def check_qt(urdu_font_file: str, translation_file: str) -> str:
    """Qt starts offscreen, shows a widget, loads the Urdu font and the translation."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTranslator, qVersion
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    label = QLabel("PSER")
    label.show()
    app.processEvents()
    shown = label.isVisible()
    label.close()
    label.deleteLater()
    if not shown:
        raise RuntimeError("a widget could not be shown")
    font_id = QFontDatabase.addApplicationFont(str(paths.resource("fonts", urdu_font_file)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        raise RuntimeError("the Urdu font did not load")
    translator = QTranslator()
    if not translator.load(str(paths.resource("translations", translation_file))):
        raise RuntimeError(f"the Urdu translation {translation_file} did not load")
    platform = QApplication.platformName()
    return f"Qt {qVersion()} on {platform}, font {families[0]}, Urdu translation"


def startup_probe(ctx: Context, timeout_ms: int) -> int:
    """Start the real desk (demo defaults) as ``app.run`` does; exit 0 once it is ready.

    Prints ``login shown after N.NN s`` when the sign-in window is on screen (the next
    turn of the event loop after it is shown, as the benchmark's bare window does), then
    ``ready after N.NN s`` once the store is open and the window can sign in (times from
    this function's start), then ``platform NAME`` (Qt's platform plugin: ``windows`` in
    the Wine smoke test). Exit code 1 when that does not happen within *timeout_ms*, 4
    when another window holds the data folder.
    """
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from pser_desk import app as desk
    from pser_desk.gui.logsetup import hold_early_records, route_qt_messages

    # As ``app.run`` does (the log file starts in ``app.begin``): the probe pays the same.
    hold_early_records()  # until the log file starts, just after the window shows
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    route_qt_messages()
    outcome: dict[str, float] = {}

    def note(what: str) -> None:
        if what not in outcome:
            outcome[what] = time.perf_counter() - started
            # At once, so that a benchmark reading stdout sees the moment, not the shutdown.
            ctx.stdout.write(f"{what} after {outcome[what]:.2f} s\n")
            ctx.stdout.flush()

    def ready(controller: Any) -> None:
        dialog = controller.login_dialog
        if dialog is not None and dialog.backend_ready and dialog.isVisible():
            note("ready")
        QTimer.singleShot(0, qt_app.quit)

    QTimer.singleShot(timeout_ms, qt_app.quit)
    start = None
    try:
        try:
            start = desk.begin(ctx, demo=True, qt_app=qt_app)
        except desk.DeskAlreadyOpen as exc:
            ctx.stdout.write(f"{exc.detail}\n")
            return desk.EXIT_ALREADY_OPEN
        log.info("startup probe: to quit once the desk is ready")
        start.ready.connect(ready)
        start.failed.connect(lambda _code: qt_app.quit())
        if start.early_login is not None and start.early_login.isVisible():
            QTimer.singleShot(0, lambda: note("login shown"))
        qt_app.exec()
    finally:
        if start is not None:
            start.shutdown()
    if "login shown" not in outcome or "ready" not in outcome:
        ctx.stdout.write("the desk was not ready within the time allowed\n")
        return 1
    log.info("startup probe: login shown after %.2f s, ready after %.2f s",
             outcome["login shown"], outcome["ready"])  # fmt: skip
    from PySide6.QtGui import QGuiApplication

    ctx.stdout.write(f"platform {QGuiApplication.platformName()}\n")  # windows, xcb, offscreen
    return 0
