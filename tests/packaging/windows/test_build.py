"""What scripts/build_windows.sh made under Wine: two 64-bit programs (windowed and
console), a 64-bit installer compiled against that bundle, a Windows Python checked by its
Authenticode signature, and no test-only stand-in DLL anywhere a centre would get it."""

from __future__ import annotations

import hashlib
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, WindowsBuild

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3000)]

AMD64 = 0x8664
GUI, CONSOLE = 2, 3  # IMAGE_SUBSYSTEM_WINDOWS_GUI / _CUI


def pe_header(path: Path) -> tuple[int, int]:
    """(machine, subsystem) from a Windows executable's PE header."""
    data = path.read_bytes()[:4096]
    assert data[:2] == b"MZ", path
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[pe : pe + 4] == b"PE\0\0", path
    machine = struct.unpack_from("<H", data, pe + 4)[0]
    subsystem = struct.unpack_from("<H", data, pe + 24 + 68)[0]
    return machine, subsystem


def test_the_bundle_has_a_windowed_and_a_console_program_for_64_bit_windows(
    windows_build: WindowsBuild,
) -> None:
    assert pe_header(windows_build.bundle / "pser-desk.exe") == (AMD64, GUI)
    assert pe_header(windows_build.bundle / "pser-desk-cli.exe") == (AMD64, CONSOLE)
    internal = windows_build.bundle / "_internal"
    assert (internal / "resources" / "translations" / "pser_desk_ur.qm").is_file()
    assert (internal / "resources" / "fonts" / "NotoSans-Regular.ttf").is_file()
    assert (internal / "PySide6" / "plugins" / "platforms" / "qwindows.dll").is_file()
    manifest = (windows_build.bundle / "pser-desk.exe").read_bytes()
    assert re.search(rb"<longPathAware[^>]*>true</longPathAware>", manifest)  # paths > 260


def test_the_installer_is_64_bit_and_was_compiled_against_this_bundle(
    windows_build: WindowsBuild,
) -> None:
    assert windows_build.installer.name == f"pser-desk-{windows_build.info['version']}-setup.exe"
    assert pe_header(windows_build.installer)[0] == AMD64
    listing = (windows_build.out / "makensis.log").read_text(encoding="utf-8", errors="replace")
    assert f"BUNDLE_DIR={windows_build.bundle}" in listing or str(windows_build.bundle) in listing
    packed = set(re.findall(r'^File: "([^"]+)"', listing, re.MULTILINE))
    assert {"pser-desk.exe", "pser-desk-cli.exe", "qwindows.dll", "pser_desk_ur.qm"} <= packed


def test_the_bundle_carries_no_test_tools_and_no_unused_qt(windows_build: WindowsBuild) -> None:
    internal = windows_build.bundle / "_internal"
    names = {p.name.lower() for p in internal.rglob("*")}
    for unwanted in ("pytest", "_pytest", "hypothesis", "tkinter", "pyinstaller", "mypy"):
        assert not (internal / unwanted).exists(), unwanted
    for qt_dll in ("qt6qml.dll", "qt6quick.dll", "qt6pdf.dll", "qt6webenginecore.dll",
                   "opengl32sw.dll"):  # fmt: skip
        assert qt_dll not in names, qt_dll


def _standin_digests(windows_build: WindowsBuild) -> dict[str, str]:
    return {
        Path(p).name.lower(): hashlib.sha256(Path(p).read_bytes()).hexdigest()
        for p in windows_build.info["standins"]
    }


def test_the_stand_in_dlls_are_only_in_the_wine_prefix(windows_build: WindowsBuild) -> None:
    digests = _standin_digests(windows_build)
    assert set(digests) == {"icuuc.dll", "bcryptprimitives.dll"}
    system32 = windows_build.prefix / "drive_c" / "windows" / "system32"
    for name, digest in digests.items():  # where Wine needs them ...
        assert hashlib.sha256((system32 / name).read_bytes()).hexdigest() == digest
    for path in windows_build.bundle.rglob("*"):  # ... and nowhere a centre gets them
        if path.is_file():
            assert path.name.lower() not in digests, path
            if path.suffix.lower() == ".dll" and path.stat().st_size < 1_000_000:
                assert hashlib.sha256(path.read_bytes()).hexdigest() not in digests.values(), path
    listing = (windows_build.out / "makensis.log").read_text(encoding="utf-8", errors="replace")
    packed = {n.lower() for n in re.findall(r'^File: "([^"]+)"', listing, re.MULTILINE)}
    assert not packed & set(digests)


def test_windows_python_came_with_a_verified_python_org_signature(
    windows_build: WindowsBuild, tmp_path: Path
) -> None:
    found = re.search(r"Authenticode: (\d+) python.org files signed by the Python Software "
                      r"Foundation, verified", windows_build.build_log)  # fmt: skip
    assert found, windows_build.build_log[-3000:]
    assert int(found.group(1)) >= 20
    # The check refuses a Python whose signed DLL was changed by one bit.
    tampered = tmp_path / "python"
    shutil.copytree(windows_build.out / "python", tampered)
    dll = tampered / "python311.dll"
    data = bytearray(dll.read_bytes())
    data[len(data) // 2] ^= 1
    dll.write_bytes(bytes(data))
    proc = subprocess.run(
        ["bash", str(REPO / "scripts" / "build_windows.sh"), "--verify-python", str(tampered)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "Authenticode check failed for python311.dll" in proc.stderr
