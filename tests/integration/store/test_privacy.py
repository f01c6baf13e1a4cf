"""Personal data never reaches the disk in clear: search the raw bytes for it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pser_desk.domain.cnic import format_cnic
from pser_desk.store import RecordService, Store
from tests.integration.cli.test_store_cli import OP_PW, add_record, example, setup_centre
from tests.plugins.cli import RunCli

PERSONAL_KEYS = ("name", "cnic", "bform", "mobile", "phone", "date_of_birth", "address",
                 "house", "street", "account")  # fmt: skip


def _personal_strings(value: Any, key: str = "", inherited: bool = False) -> Iterator[str]:
    personal = inherited or any(word in key.lower() for word in PERSONAL_KEYS)
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _personal_strings(v, k, personal or k == "address")
    elif isinstance(value, list):
        for item in value:
            yield from _personal_strings(item, key, personal)
    elif isinstance(value, str) and personal and len(value) >= 5:
        yield value


def _needles(record: dict[str, Any]) -> set[bytes]:
    needles: set[bytes] = set()
    for text in _personal_strings(record):
        needles.add(text.encode("utf-8"))
        needles.add(text.encode("utf-16-le"))
        if text.isdigit() and len(text) == 13:
            needles.add(format_cnic(text).encode())
    return needles


def test_raw_database_bytes_hold_no_personal_data(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    setup_centre(run_cli, data_dir)
    holder = sqlite3.connect(data_dir / "pser.db")  # keeps the -wal file from being removed
    holder.execute("SELECT count(*) FROM records").fetchone()
    records = [example(run_cli, seed) for seed in (11, 12, 13, 14)]
    for record in records[:3]:
        add_record(run_cli, tmp_path, record)
    store = Store.open(data_dir=data_dir)
    RecordService(store).save_draft(records[3], operator_id="op1")
    store.close()
    assert run_cli("backup", "--out", str(data_dir / "backups" / "b.db")).code == 0
    assert run_cli("record", "list", "--json").code == 0
    needles = set().union(*(_needles(r) for r in records))
    assert len(needles) > 20, "the example records should carry names, CNICs and phones"
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "pser.db-wal" for p in files)
    for path in files:
        raw = path.read_bytes()
        found = sorted(n.decode("utf-8", "replace") for n in needles if n in raw)
        assert not found, f"{path.name} holds personal data in clear ({len(found)} values)"
    holder.close()


def test_output_of_list_and_queue_has_no_personal_data(
    run_cli: RunCli, data_dir: Path, tmp_path: Path
) -> None:
    setup_centre(run_cli, data_dir)
    record = example(run_cli, 21)
    add_record(run_cli, tmp_path, record)
    text = run_cli("record", "list", "--json").out + run_cli("queue", "--json").out
    text += run_cli("audit", "verify", "--json").out
    for needle in _needles(record):
        assert needle not in text.encode("utf-8")
    assert OP_PW not in text
