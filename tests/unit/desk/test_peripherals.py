"""The printer and camera status a heartbeat reports (section 10: ok, none or error),
read without opening anything: CUPS's ``lpstat`` (a stand-in script here) and
``/dev/videoN``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pser_desk.desk import peripherals
from pser_desk.desk.peripherals import Peripherals, camera_status, printer_status
from pser_desk.desk.settings import DeskSettings, SettingsStore, save_settings
from pser_desk.sync.heartbeat import Peripheral

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="CUPS and /dev on POSIX")


def _lpstat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, printers: dict[str, bool],
            default: str | None) -> None:  # fmt: skip
    """A stand-in ``lpstat``: ``-p NAME`` exits 0 for a known printer, ``-d`` names the default."""
    known = " ".join(name for name, ok in printers.items() if ok)
    script = tmp_path / "lpstat"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "-d" ]; then {"echo system default destination: " + default if default else "echo no system default destination"}; exit 0; fi\n'
        f'for p in {known}; do [ "$2" = "$p" ] && exit 0; done\nexit 1\n',
        encoding="utf-8",
    )  # fmt: skip
    script.chmod(0o755)
    monkeypatch.setattr(peripherals.shutil, "which", lambda name: str(script))


def test_a_named_printer_is_ok_when_cups_knows_it(tmp_path: Path, monkeypatch) -> None:
    _lpstat(tmp_path, monkeypatch, {"counter-3": True}, default=None)
    assert printer_status("counter-3") is Peripheral.OK
    assert printer_status("gone") is Peripheral.ERROR
    assert printer_status("") is Peripheral.NONE  # none chosen, no system default


def test_the_system_default_counts_when_no_printer_is_chosen(tmp_path: Path, monkeypatch) -> None:
    _lpstat(tmp_path, monkeypatch, {}, default="office")
    assert printer_status("") is Peripheral.OK


def test_without_a_printing_system(monkeypatch) -> None:
    monkeypatch.setattr(peripherals.shutil, "which", lambda name: None)
    assert printer_status("") is Peripheral.NONE
    assert printer_status("counter-3") is Peripheral.ERROR  # chosen, but cannot be there


def test_cameras(monkeypatch) -> None:
    assert camera_status("") is Peripheral.NONE
    assert camera_status("simulated") is Peripheral.OK
    assert camera_status("webcam") is Peripheral.ERROR
    if sys.platform.startswith("linux"):
        assert camera_status("97") is Peripheral.ERROR  # no /dev/video97


def test_the_settings_say_what_is_chosen(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(peripherals.shutil, "which", lambda name: None)
    save_settings(tmp_path, DeskSettings(camera="simulated"))
    assert Peripherals(SettingsStore(tmp_path)).status() == (Peripheral.NONE, Peripheral.OK)
    window = Peripherals(SettingsStore(tmp_path))
    window.override(lambda: (Peripheral.OK, Peripheral.ERROR))  # what Qt sees
    assert window.status() == (Peripheral.OK, Peripheral.ERROR)
