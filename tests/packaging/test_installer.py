"""The installer files: the NSIS script compiles (makensis), the uninstaller keeps the data
folder, the Linux desktop entry validates and the install script puts everything in place.

These run against a small staged bundle (seconds); test_bundle.py does the same against
the real PyInstaller bundle.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
NSI = REPO / "installer" / "pser-desk.nsi"
DESKTOP = REPO / "installer" / "pser-desk.desktop"
INSTALL_LINUX = REPO / "installer" / "install-linux.sh"
ICONS = REPO / "resources" / "icons"


def version() -> str:
    return (REPO / "pser_desk" / "VERSION").read_text(encoding="ascii").strip()


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} is missing: scripts/setup.sh installs it (apt-get install nsis desktop-file-utils)"
        )
    return found


def makensis(*defines: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("makensis"), "-V2", "-WX", *defines, str(NSI)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def staged_bundle(tmp_path: Path) -> Path:
    """The layout of a Windows bundle with stand-in files (two executables, _internal)."""
    bundle = tmp_path / "dist" / "pser-desk"
    icons = bundle / "_internal" / "resources" / "icons"
    icons.mkdir(parents=True)
    shutil.copy(ICONS / "pser-desk.ico", icons)
    (bundle / "pser-desk.exe").write_bytes(b"MZ stand-in")
    (bundle / "pser-desk-cli.exe").write_bytes(b"MZ stand-in")
    (bundle / "_internal" / "base_library.zip").write_bytes(os.urandom(4096))
    return bundle


def test_installer_script_compiles_with_the_pyproject_version(
    staged_bundle: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pser-desk-check.exe"  # "setup.exe" alone: makensis warns
    proc = makensis(
        f"-DVERSION={version()}", f"-DBUNDLE_DIR={staged_bundle}", f"-DOUTFILE={out}", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = out.read_bytes()
    assert data[:2] == b"MZ"
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    assert struct.unpack_from("<H", data, pe + 4)[0] == 0x8664  # a 64-bit (amd64) installer
    # The version resource carries pyproject's version (UTF-16 in the PE resources).
    assert f"{version()}".encode("utf-16-le") in data


def test_the_default_output_goes_beside_the_bundle(staged_bundle: Path, tmp_path: Path) -> None:
    proc = makensis(f"-DVERSION={version()}", f"-DBUNDLE_DIR={staged_bundle}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (staged_bundle.parent / f"pser-desk-{version()}-setup.exe").is_file()


def test_installer_script_refuses_to_build_without_a_version(
    staged_bundle: Path, tmp_path: Path
) -> None:
    proc = makensis(f"-DBUNDLE_DIR={staged_bundle}", cwd=tmp_path)
    assert proc.returncode != 0
    assert "VERSION is not defined" in proc.stdout + proc.stderr


def test_installer_script_fails_on_a_missing_bundle(tmp_path: Path) -> None:
    proc = makensis(f"-DVERSION={version()}", f"-DBUNDLE_DIR={tmp_path / 'nothing'}", cwd=tmp_path)
    assert proc.returncode != 0


def _section(text: str, name: str) -> str:
    match = re.search(rf'^Section "{re.escape(name)}"[^\n]*\n(.*?)^SectionEnd', text, re.M | re.S)
    assert match is not None, f"no section {name}"
    return match.group(1)


def test_install_is_per_machine_with_start_menu_and_desktop_entries() -> None:
    text = NSI.read_text(encoding="utf-8")
    assert "RequestExecutionLevel admin" in text
    assert 'InstallDir "$PROGRAMFILES64\\${APP_NAME}"' in text
    assert text.count("SetShellVarContext all") == 2  # install and uninstall: all users
    main = _section(text, "${APP_NAME}")
    assert (
        'CreateShortcut "$SMPROGRAMS\\${APP_NAME}\\${APP_NAME}.lnk" "$INSTDIR\\${APP_EXE}"' in main
    )
    assert "WriteUninstaller" in main
    assert 'CreateShortcut "$DESKTOP\\${APP_NAME}.lnk" "$INSTDIR\\${APP_EXE}"' in main


# The updater service's machine-wide folder: with SetShellVarContext all, $APPDATA is
# C:\ProgramData, never a user's data folder (%LOCALAPPDATA%\PSER\pser-desk).
UPDATER_FOLDERS = ("$APPDATA\\PSER\\service", "$APPDATA\\PSER\\updates", "$APPDATA\\PSER")


def test_uninstaller_removes_only_the_program_never_the_data_folder() -> None:
    uninstall = _section(NSI.read_text(encoding="utf-8"), "Uninstall")
    commands = [line.strip() for line in uninstall.splitlines() if line.strip()]
    assert 'RMDir /r "$INSTDIR"' not in commands
    for line in commands:
        assert "LOCALAPPDATA" not in line, line
        assert "PROFILE" not in line, line
        named = re.findall(r"\$APPDATA[^\"' ]*", line)
        assert all(folder in UPDATER_FOLDERS for folder in named), line
        if line.startswith(("RMDir ", "Delete ")):
            target = line.split('"')[1]
            assert target.startswith(
                ("$INSTDIR", "$SMPROGRAMS", "$DESKTOP\\${APP_NAME}.lnk", *UPDATER_FOLDERS)
            ), line
            assert not target.startswith("$APPDATA\\PSER\\pser-desk"), line
    assert 'RMDir "$INSTDIR"' in commands  # removed only when empty
    assert 'RMDir "$APPDATA\\PSER"' in commands  # the updater's folder, only when empty


def test_the_background_sender_is_registered_at_logon_and_the_uninstaller_removes_it() -> None:
    """Task Scheduler: a logon trigger for every user, least privilege, no time limit,
    restarted after a failure, running the installed program's ``agent``; the upgrade
    stops the running one first; the uninstaller stops and deletes the task."""
    text = NSI.read_text(encoding="utf-8")
    main, uninstall = _section(text, "${APP_NAME}"), _section(text, "Uninstall")
    schtasks = 'ExecShellWait "open" "$SYSDIR\\schtasks.exe" '
    assert (
        schtasks + """'/Create /TN "${AGENT_TASK}" /XML "$INSTDIR\\${AGENT_XML}" /F' SW_HIDE"""
        in main
    )
    assert main.index(schtasks + """'/End /TN "${AGENT_TASK}"' SW_HIDE""") < main.index("File /r")
    assert schtasks + """'/End /TN "${AGENT_TASK}"' SW_HIDE""" in uninstall
    assert schtasks + """'/Delete /TN "${AGENT_TASK}" /F' SW_HIDE""" in uninstall
    # schtasks may start the Task Scheduler service, which would keep an nsExec pipe open
    # and the installer waiting forever (seen under Wine): never through nsExec. (The
    # updater's service-install goes through nsExec for its exit code; it starts nothing.)
    lines = text.splitlines()
    assert [line for line in lines if "schtasks" in line and "nsExec" in line] == []
    assert all(line.lstrip().startswith(("ExecShellWait", ";", "!define", "DetailPrint"))
               for line in lines if "schtasks" in line), "schtasks run some other way"  # fmt: skip
    start = text.index("Function WriteAgentTask")
    task = text[start : text.index("FunctionEnd", start)]
    for part in ("<LogonTrigger><Enabled>true</Enabled></LogonTrigger>",
                 "<GroupId>S-1-5-32-545</GroupId>", "<RunLevel>LeastPrivilege</RunLevel>",
                 "<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>", "<RestartOnFailure>",
                 "<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>",
                 "<Command>$INSTDIR\\${APP_EXE}</Command><Arguments>agent</Arguments>",
                 "FileWriteUTF16LE /BOM"):  # fmt: skip
        assert part in task, part


def test_the_systemd_user_unit_runs_the_agent_and_restarts_it() -> None:
    unit = (REPO / "installer" / "pser-desk-agent.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/pser-desk/pser-desk agent\n" in unit
    assert "Restart=on-failure" in unit
    assert "KillSignal=SIGTERM" in unit
    assert "WantedBy=default.target" in unit
    analyze = shutil.which("systemd-analyze")
    if analyze is not None:
        done = subprocess.run([analyze, "verify", "--user", str(REPO / "installer" /
                               "pser-desk-agent.service")], capture_output=True, text=True,
                              check=False)  # fmt: skip
        assert "pser-desk-agent.service:" not in done.stderr.replace("/opt/pser-desk", ""), (
            done.stderr
        )


def test_desktop_entry_validates_and_points_at_the_installed_program() -> None:
    proc = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = dict(
        line.split("=", 1)
        for line in DESKTOP.read_text(encoding="utf-8").splitlines()
        if "=" in line
    )
    assert entry["Exec"] == "/opt/pser-desk/pser-desk"
    assert entry["Icon"] == "pser-desk"
    assert "/opt/pser-desk/pser-desk" in INSTALL_LINUX.read_text(encoding="utf-8")


def test_icons_have_every_size_windows_and_linux_ask_for() -> None:
    with Image.open(ICONS / "pser-desk.png") as png:
        assert png.size == (256, 256)
        assert png.mode == "RGBA"
        corner = png.getpixel((0, 0))
        assert isinstance(corner, tuple)
        assert corner[3] == 0  # transparent corner: a rounded square
    with Image.open(ICONS / "pser-desk.ico") as ico:
        assert {16, 32, 48, 256} <= {w for w, _ in ico.info["sizes"]}
    assert "<svg" in (ICONS / "pser-desk.svg").read_text(encoding="utf-8")


def test_linux_install_script_installs_and_uninstalls_under_destdir(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    icons = bundle / "_internal" / "resources" / "icons"
    icons.mkdir(parents=True)
    for name in ("pser-desk.png", "pser-desk.svg"):
        shutil.copy(ICONS / name, icons)
    program = bundle / "pser-desk"
    program.write_text("#!/bin/sh\necho pser-desk 9.9.9\n")
    program.chmod(0o755)
    root = tmp_path / "root"
    data = root / "home" / "op" / ".local" / "share" / "pser-desk"
    data.mkdir(parents=True)
    (data / "pser.db").write_bytes(b"records")
    env = {**os.environ, "DESTDIR": str(root)}

    done = subprocess.run(
        ["bash", str(INSTALL_LINUX), str(bundle)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "pser-desk 9.9.9" in done.stdout
    assert os.readlink(root / "usr/local/bin/pser-desk") == "/opt/pser-desk/pser-desk"
    assert (root / "usr/share/applications/pser-desk.desktop").read_text() == DESKTOP.read_text()
    assert (root / "usr/share/icons/hicolor/256x256/apps/pser-desk.png").is_file()
    assert (root / "opt/pser-desk/pser-desk").is_file()
    unit = root / "usr/lib/systemd/user/pser-desk-agent.service"
    assert unit.read_text() == (REPO / "installer" / "pser-desk-agent.service").read_text()
    wants = root / "etc/systemd/user/default.target.wants/pser-desk-agent.service"
    assert os.readlink(wants) == "/usr/lib/systemd/user/pser-desk-agent.service"

    removed = subprocess.run(
        ["bash", str(INSTALL_LINUX), "--uninstall"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert removed.returncode == 0, removed.stderr
    assert not (root / "opt/pser-desk").exists()
    assert not (root / "usr/share/applications/pser-desk.desktop").exists()
    assert not unit.exists()
    assert not wants.is_symlink()
    assert (data / "pser.db").read_bytes() == b"records"


def test_linux_install_script_refuses_a_missing_bundle(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["bash", str(INSTALL_LINUX), str(tmp_path / "nothing")],
        capture_output=True,
        text=True,
        env={**os.environ, "DESTDIR": str(tmp_path / "root")},
        check=False,
    )
    assert proc.returncode == 1
    assert "no bundle at" in proc.stderr
    assert not (tmp_path / "root" / "opt").exists()
