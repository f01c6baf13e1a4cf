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
    """Start the real desk (demo defaults) and exit 0 once the login window is shown.

    Prints ``login shown after N.NN s`` (from this function's start); exit code 1 when
    nothing is shown within a minute. For the cold-start benchmark of the frozen app.
    """
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from pser_desk import app as desk
    from pser_desk.gui.logsetup import configure_file_logging, route_qt_messages

    data_dir = ctx.ensure_data_dir()
    configure_file_logging(data_dir)  # as ``app.run`` does: the probe pays the same costs
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    route_qt_messages()
    log.info("startup probe: starting the desk (demo), to quit at the login window")
    services = desk.build_services(ctx, demo=True)
    outcome: dict[str, Any] = {}

    def shown(what: str) -> None:
        if "shown" not in outcome:
            outcome["shown"] = (what, time.perf_counter() - started)
            # At once, so that a benchmark reading stdout sees the moment, not the shutdown.
            ctx.stdout.write(f"{what} shown after {outcome['shown'][1]:.2f} s\n")
            ctx.stdout.flush()
        QTimer.singleShot(0, qt_app.quit)

    try:
        controller = desk.build_controller(services, data_dir, qt_app)
        controller.login_shown.connect(lambda: shown("login"))
        controller.first_run_shown.connect(lambda: shown("first run"))
        QTimer.singleShot(timeout_ms, qt_app.quit)
        controller.start()
        qt_app.exec()
        controller.shutdown()
    finally:
        services.close()
    if "shown" not in outcome:
        ctx.stdout.write("nothing shown within a minute\n")
        return 1
    what, seconds = outcome["shown"]
    log.info("startup probe: %s shown after %.2f s", what, seconds)
    return 0 if what == "login" else 1
