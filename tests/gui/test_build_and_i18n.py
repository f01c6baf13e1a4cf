"""Generated files are fresh, the Urdu catalogue is complete and the Nastaliq face is Regular."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pser_desk import paths
from pser_desk.gui import i18n

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "scripts" / "build_ui.py"
TS = ROOT / "resources" / "translations" / "pser_desk_ur.ts"


def test_generated_ui_modules_are_fresh() -> None:
    done = subprocess.run(
        [sys.executable, str(BUILD), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_every_visible_string_has_an_urdu_translation(tmp_path: Path) -> None:
    """lupdate over today's sources into a copy of the .ts adds nothing unfinished."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = [p for p in (ROOT / "pser_desk" / "gui").rglob("*.py") if "forms" not in p.parts]
    sources += list((ROOT / "ui").glob("*.ui"))
    lupdate = Path(i18n.PySide6.__file__).parent / "lupdate"
    subprocess.run(
        [str(lupdate), "-silent", "-locations", "none", *map(str, sources), "-ts", str(copy)],
        check=True,
        timeout=120,
    )
    text = copy.read_text(encoding="utf-8")
    unfinished = re.findall(r"<source>(.*?)</source>\s*<translation type=\"unfinished\"", text)
    assert unfinished == []
    assert text.count("<source>") > 100


def test_a_missing_qm_is_built_at_first_start(tmp_path: Path, monkeypatch) -> None:
    resources = tmp_path / "resources"
    (resources / "translations").mkdir(parents=True)
    shutil.copy(TS, resources / "translations" / TS.name)
    monkeypatch.setattr(paths, "resources_dir", lambda: resources)
    built = i18n.find_qm("ur", tmp_path / "cache")
    assert built == tmp_path / "cache" / "pser_desk_ur.qm"
    assert built.stat().st_size > 1000


def test_the_urdu_font_is_the_regular_nastaliq_face(qapp) -> None:
    family = i18n.urdu_font_family()
    assert family is not None
    assert "Nastaliq" in family
    font = i18n.urdu_font()
    assert font.styleName() == "Regular"
    assert not font.bold()
    assert (paths.resource("fonts") / i18n.URDU_FONT_FILE).exists()


def test_no_source_hides_its_strings_from_lupdate() -> None:
    """lupdate finds ``tr("...")`` and ``QCoreApplication.translate("Ctx", "...")`` only:
    an alias such as ``t = QCoreApplication.translate`` hides every string behind it (the
    validation messages once showed in English on the Urdu screen that way)."""
    alias = re.compile(r"^\s*\w+\s*=\s*(QCoreApplication\.)?translate\s*$", re.MULTILINE)
    hiding = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "pser_desk").rglob("*.py")
        if alias.search(p.read_text(encoding="utf-8"))
    ]
    assert hiding == []


def test_field_errors_crash_and_start_up_texts_read_in_urdu(qapp, tmp_path: Path) -> None:
    from pser_desk.gui.crash import startup_error_box
    from pser_desk.gui.messages import error_text

    manager = i18n.LanguageManager(qapp, cache_dir=tmp_path / "qm")
    english = error_text("required"), startup_error_box("store.corrupt", "x").text()
    try:
        assert manager.set_language("ur")
        urdu = error_text("required"), startup_error_box("store.corrupt", "x").text()
    finally:
        manager.set_language("en")
    for en, ur in zip(english, urdu, strict=True):
        assert ur != en
        assert any("\u0600" <= ch <= "\u06ff" for ch in ur), ur
