"""No personal data in the logs: a full registration and sync through real processes, then
every file under the data folders' logs/ (and crash/) is searched for the names, CNICs
(13 digits and formatted) and phone numbers used.

The PC: ``pser-desk`` processes (operator add, enroll, record add, a rejected record,
sync --until-empty, queue, record list, slip, verify-slip, report daily as PDF and CSV,
scan-image, backup, audit verify), then the window itself (``--startup-probe``, through
the GUI's logging set-up with Qt's messages routed in). Central: a real ``central serve``
process, which decrypts the records. DEBUG logging everywhere, so the most is written.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pser_desk.cli import main as cli_main
from tests.plugins.central import StartCentral

pytestmark = pytest.mark.slow

PASSWORD = "privacy-check-2024"
OPERATOR_PASSWORD = "operator-check-2024"
# Staff names are personal data too.
MANAGER_NAME = "Zarmeena Qureshi"
OPERATOR_NAME = "Fakhar Imtiaz"
HOUSEHOLDS = 3
CENTRE = "LHR-0042"


@dataclass
class Secrets:
    """Every personal value used, in every spelling a log line might carry."""

    names: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)

    def add_name(self, name: str) -> None:
        self.names.add(name)
        self.names.update(part for part in name.split() if len(part) >= 5)

    def add_cnic(self, digits: str) -> None:
        assert re.fullmatch(r"\d{13}", digits), digits
        self.numbers.update({digits, f"{digits[:5]}-{digits[5:12]}-{digits[12]}"})

    def add_phone(self, mobile: str) -> None:
        digits = re.sub(r"\D", "", mobile)
        local = "0" + digits[-10:]
        self.numbers.update(
            {local, f"{local[:4]}-{local[4:]}", "+92" + local[1:], "92" + local[1:]}
        )

    def collect(self, record: Any) -> None:
        """Walk a household record: names, CNICs/B-Forms and mobiles wherever they are."""
        if isinstance(record, dict):
            for key, value in record.items():
                if isinstance(value, str) and value:
                    if key == "name" or key.endswith("_name"):
                        self.add_name(value)
                    elif key in ("cnic", "cnic_or_bform"):
                        self.add_cnic(value)
                    elif key.startswith("mobile") and not key.endswith("_network"):
                        self.add_phone(value)
                else:
                    self.collect(value)
        elif isinstance(record, list):
            for item in record:
                self.collect(item)

    def found_in(self, text: str) -> list[str]:
        lowered = text.lower()
        hits = [name for name in self.names if name.lower() in lowered]
        digits_only = re.sub(r"[^\d+\-]", " ", text)
        hits += [
            n for n in self.numbers if re.search(rf"(?<![\d]){re.escape(n)}(?![\d])", digits_only)
        ]
        return sorted(hits)


@dataclass
class Pc:
    data_dir: Path

    def cli(
        self, *args: str, stdin: str = "", timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PSER_DESK_LOG_LEVEL": "DEBUG", "QT_QPA_PLATFORM": "offscreen"}
        proc = subprocess.run(
            [sys.executable, "-m", "pser_desk", "--data-dir", str(self.data_dir), *args],
            input=stdin, capture_output=True, text=True, timeout=timeout, env=env, check=False,
        )  # fmt: skip
        return proc

    def ok(self, *args: str, stdin: str = "") -> str:
        proc = self.cli(*args, stdin=stdin)
        assert proc.returncode == 0, f"{args[:2]}: {proc.stdout}{proc.stderr}"
        return proc.stdout


def log_files(folders: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        for sub in ("logs", "crash"):
            if (folder / sub).is_dir():
                found += [p for p in (folder / sub).rglob("*") if p.is_file()]
    return sorted(found)


def distinct_households(pc: Pc, count: int) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    heads: set[str] = set()
    seed = 100
    while len(records) < count:
        seed += 1
        record = json.loads(pc.ok("record", "example", "--seed", str(seed)))
        if record["head"]["cnic"] not in heads:
            heads.add(record["head"]["cnic"])
            records.append(record)
    return records


@pytest.mark.timeout(600)
def test_a_full_registration_and_sync_leaves_no_personal_data_in_any_log(
    tmp_path: Path, central_process: StartCentral, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PSER_DESK_LOG_LEVEL", "DEBUG")  # central's process inherits it
    central = central_process(name="central-privacy")
    central_data = tmp_path / "central-data"  # where central_process runs `central serve`
    pc = Pc(tmp_path / "pc")
    secrets = Secrets()
    for name in (MANAGER_NAME, OPERATOR_NAME):
        secrets.add_name(name)

    # Accounts and enrolment.
    pc.ok("operator", "add", "mgr1", "--name", MANAGER_NAME, "--role", "manager",
          stdin=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    pc.ok("operator", "add", "op1", "--name", OPERATOR_NAME, "--role", "operator", "--as", "mgr1",
          stdin=f"{PASSWORD}\n{OPERATOR_PASSWORD}\n{OPERATOR_PASSWORD}\n")  # fmt: skip
    pc.ok("operator", "list")
    token = central.new_token(CENTRE)
    pc.ok("enroll", "--central", central.url, "--centre", CENTRE, "--token", token)

    # Households: queued, one rejected by validation, sent, acknowledged.
    receipts: list[str] = []
    for index, record in enumerate(distinct_households(pc, HOUSEHOLDS)):
        secrets.collect(record)
        path = tmp_path / f"household-{index}.json"
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        pc.ok("validate", str(path))
        added = json.loads(pc.ok("record", "add", str(path), "--operator", "op1",
                                 stdin=f"{OPERATOR_PASSWORD}\n"))  # fmt: skip
        receipts.append(added["receipt_no"])
    bad = json.loads(pc.ok("record", "example", "--seed", "999"))
    secrets.collect(bad)
    bad["head"]["mobile_1"] = "03" + bad["head"]["mobile_1"][2:-1]  # one digit short
    bad["members"][0]["date_of_birth"] = "2999-01-01"
    bad_path = tmp_path / "bad.json"
    bad_path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    secrets.add_phone(bad["head"]["mobile_1"] + "0")
    rejected = pc.cli(
        "record", "add", str(bad_path), "--operator", "op1", stdin=f"{OPERATOR_PASSWORD}\n"
    )
    assert rejected.returncode != 0
    wrong_password = pc.cli(
        "record", "add", str(bad_path), "--operator", "op1", stdin="wrong-pass-1\n"
    )
    assert wrong_password.returncode != 0

    pc.ok("queue", "--json")
    pc.ok("sync", "--until-empty", "--timeout", "120")
    assert central.households() == HOUSEHOLDS
    listed = [json.loads(line) for line in pc.ok("record", "list", "--json").splitlines()]
    assert {r["state"] for r in listed} == {"acknowledged"}, listed

    # Documents, scanning, maintenance.
    slip = tmp_path / "slip.pdf"
    pc.ok(
        "slip", receipts[0], "--out", str(slip), "--operator", "op1", stdin=f"{OPERATOR_PASSWORD}\n"
    )
    pc.ok("slip", receipts[0], "--out", str(tmp_path / "again.pdf"), "--paper", "80mm",
          "--operator", "mgr1", stdin=f"{PASSWORD}\n")  # fmt: skip
    first = next(iter(sorted(secrets.numbers)))
    pc.cli("verify-slip", str(slip), "--cnic", first)  # a CNIC on the command line
    pc.ok("report", "daily", "--out", str(tmp_path / "report.pdf"))
    pc.ok("report", "daily", "--out", str(tmp_path / "report.csv"))
    samples = Path(__file__).resolve().parents[2] / "resources" / "samples"
    for cnic in json.loads((samples / "samples.json").read_text(encoding="utf-8"))[
        "cards"
    ].values():
        secrets.add_cnic(cnic)
    pc.ok("scan-image", *sorted(str(p) for p in (samples / "cards").glob("*.jpg")), "--json")
    pc.ok("cnic", bad["head"]["cnic"], "--json")
    pc.ok("backup", "--out", str(tmp_path / "backup.bin"))
    pc.ok("audit", "verify")
    # The window, through the GUI's own logging set-up (Qt's messages routed in).
    probe = pc.cli("--startup-probe")
    assert probe.returncode == 0, probe.stdout + probe.stderr

    files = log_files([pc.data_dir, central_data])
    texts = {path: path.read_text(encoding="utf-8", errors="replace") for path in files}

    # Not vacuous: the logs exist, both programs wrote to them, every step left a line,
    # and the search does find the personal values where they belong (the input files).
    pc_log = pc.data_dir / "logs" / "pser-desk.log"
    assert pc_log in texts, files
    assert central_data / "logs" / "pser-desk.log" in texts, files
    pc_text = texts[pc_log]
    for step in ("operator add", "enroll", "record add", "sync", "slip", "report daily",
                 "scan-image", "backup", "audit started", "starting the desk"):  # fmt: skip
        assert step in pc_text, f"nothing logged for {step}"
    assert len(pc_text.splitlines()) > 40
    assert "DEBUG" in pc_text
    assert secrets.found_in((tmp_path / "household-0.json").read_text(encoding="utf-8"))
    assert len(secrets.names) > 10
    assert len(secrets.numbers) > 20

    leaks = {str(path): secrets.found_in(text) for path, text in texts.items()}
    assert {path: hits for path, hits in leaks.items() if hits} == {}


def test_each_cli_command_logs_to_the_data_folder_and_lets_go_of_the_file(
    run_cli: Any, data_dir: Path
) -> None:
    import logging

    handlers_before = list(logging.getLogger().handlers)
    result = run_cli("record", "example", "--seed", "4")
    assert result.code == 0
    assert run_cli("cnic", "00000").code != 0

    text = (data_dir / "logs" / "pser-desk.log").read_text(encoding="utf-8")
    assert "record example started" in text
    assert "record example ended with exit code 0" in text
    assert "cnic started" in text
    assert "00000" not in text  # the arguments are never logged
    assert logging.getLogger().handlers == handlers_before


@pytest.mark.allow_log_warnings  # the internal error is logged as ERROR: that is the point
def test_an_internal_error_is_logged_with_its_trace_but_masked(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pser_desk.commands import cnic as cnic_command

    def broken(args: Any, ctx: Any) -> int:
        raise RuntimeError("bad value 35202-1234567-1 for 03001234567")

    monkeypatch.setattr(cnic_command, "_handle", broken, raising=True)
    code = cli_main(["--data-dir", str(data_dir), "cnic", "1"])
    err = capsys.readouterr().err

    assert code == 70
    assert "Traceback" not in err
    assert "35202" not in err
    text = (data_dir / "logs" / "pser-desk.log").read_text(encoding="utf-8")
    assert "Traceback" in text
    assert "RuntimeError" in text
    assert "1234567" not in text
    assert "3001234567" not in text
    assert "[redacted]" in text
