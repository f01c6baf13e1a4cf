"""English and Urdu: Qt Linguist translations, right-to-left layout, the Nastaliq font.

English is the source language (no translator). Urdu installs ``pser_desk_ur.qm``,
turns the layout right-to-left and makes Noto Nastaliq Urdu *Regular* the
application font (ENVIRONMENT.md: Qt otherwise picks the broken Bold face). Every
widget then receives ``QEvent.LanguageChange`` and retranslates itself, so the switch
needs no restart.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QEvent, QObject, Qt, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:  # QtGui's font types are imported when Urdu is first shown (start-up time)
    from PySide6.QtGui import QFont

from pser_desk import paths

log = logging.getLogger(__name__)

LANGUAGES = ("en", "ur")
CATALOG = "pser_desk"
URDU_FONT_FILE = "NotoNastaliqUrdu-Regular.ttf"
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/noto")
URDU_POINT_SIZE = 11
# Nastaliq letters reach past their advance (the first letter of a word was cut at the
# edge of its label): every label keeps room for that overhang on both sides.
URDU_LABEL_PADDING = 10
_font_family: str | None = None


def translations_dir() -> Path:
    return paths.resource("translations")


def _lrelease() -> Path:
    return Path(PySide6.__file__).resolve().parent / "lrelease"


def build_qm(ts_file: Path, qm_file: Path) -> bool:
    """Compile one ``.ts`` into ``.qm`` with Qt's lrelease; False when that is impossible."""
    tool = _lrelease()
    if not tool.exists():
        return False
    qm_file.parent.mkdir(parents=True, exist_ok=True)
    import subprocess

    done = subprocess.run(
        [str(tool), "-silent", str(ts_file), "-qm", str(qm_file)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    return done.returncode == 0 and qm_file.exists()


def find_qm(language: str, fallback_dir: Path | None = None) -> Path | None:
    """The compiled catalogue for *language*: the shipped one, else one built now."""
    ts_file = translations_dir() / f"{CATALOG}_{language}.ts"
    shipped = ts_file.with_suffix(".qm")
    if shipped.exists() and (
        not ts_file.exists() or shipped.stat().st_mtime >= ts_file.stat().st_mtime
    ):
        return shipped
    if not ts_file.exists() or fallback_dir is None:
        return shipped if shipped.exists() else None
    built = fallback_dir / shipped.name
    if built.exists() and built.stat().st_mtime >= ts_file.stat().st_mtime:
        return built
    return built if build_qm(ts_file, built) else None


def urdu_font_family() -> str | None:
    """Load the Regular Nastaliq face once (bundled copy first); its family name."""
    global _font_family
    if _font_family is not None:
        return _font_family
    from PySide6.QtGui import QFontDatabase

    for folder in (paths.resource("fonts"), SYSTEM_FONT_DIR):
        font_id = QFontDatabase.addApplicationFont(str(folder / URDU_FONT_FILE))
        if font_id >= 0:
            families = QFontDatabase.applicationFontFamilies(font_id)
            if families:
                _font_family = families[0]
                return _font_family
    log.error("the Urdu font %s could not be loaded", URDU_FONT_FILE)
    return None


def urdu_font(point_size: int = URDU_POINT_SIZE) -> QFont:
    from PySide6.QtGui import QFont

    font = QFont(urdu_font_family() or "", point_size)
    font.setStyleName("Regular")
    font.setBold(False)
    return font


class LabelPadding(QObject):
    """Room on both sides of every label (those shown now and those made later); not a
    style sheet: an application style sheet keeps shown widgets on their old font."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._padding = 0

    def set_padding(self, padding: int) -> None:
        if padding == self._padding:
            return
        self._padding = padding
        if padding:
            self._app.installEventFilter(self)
        else:
            self._app.removeEventFilter(self)
        from PySide6.QtWidgets import QLabel

        for widget in self._app.allWidgets():
            if isinstance(widget, QLabel):
                self._pad(widget)

    def _pad(self, label: QWidget) -> None:
        from PySide6.QtWidgets import QLabel

        margins = label.contentsMargins()
        label.setContentsMargins(self._padding, margins.top(), self._padding, margins.bottom())
        if isinstance(label, QLabel) and not label.wordWrap():
            # a one-line label at least a Nastaliq line tall (a form row squeezed it)
            label.setMinimumHeight(label.fontMetrics().height() if self._padding else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Polish, QEvent.Type.FontChange):
            from PySide6.QtWidgets import QLabel

            if isinstance(watched, QLabel):
                self._pad(watched)
        return False


class LanguageManager(QObject):
    """Owns the installed translator; ``set_language`` switches everything at once."""

    language_changed = Signal(str)

    def __init__(self, app: QApplication, cache_dir: Path | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._cache_dir = cache_dir
        self._translator: QTranslator | None = None
        self._latin_font: QFont | None = None  # the font before Urdu was first shown
        self._language = "en"
        self._labels = LabelPadding(app)

    @property
    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> bool:
        """Switch to *language* ("en" or "ur"); False if its catalogue is missing."""
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        self._remove_translator()
        if language != "en" and not self._install_translator(language):
            language = "en"
        self._apply_look(language)
        self._language = language
        self.language_changed.emit(language)
        return language == "en" or self._translator is not None

    def _remove_translator(self) -> None:
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None

    def _install_translator(self, language: str) -> bool:
        qm = find_qm(language, self._cache_dir)
        translator = QTranslator(self)
        if qm is None or not translator.load(str(qm)):
            log.error("no translation catalogue for %s", language)
            return False
        self._app.installTranslator(translator)
        self._translator = translator
        return True

    def _apply_look(self, language: str) -> None:
        if language == "ur":
            if self._latin_font is None:
                from PySide6.QtGui import QFont

                self._latin_font = QFont(self._app.font())
            self._app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
            self._app.setFont(urdu_font())
            self._labels.set_padding(URDU_LABEL_PADDING)
        else:
            self._app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            if self._latin_font is not None:
                self._app.setFont(self._latin_font)
            self._labels.set_padding(0)
