"""The Qt half of ``pser-desk --self-test`` (Qt lives in gui/; the cold-start probe is
``app.startup_probe``)."""

from __future__ import annotations

import os
import sys

from pser_desk import paths


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
