"""The reference central service's own SQLite database (stdlib sqlite3).

One connection shared by the server's threads behind a lock: every write is a short
``BEGIN IMMEDIATE`` transaction, so an idempotency check and the insert that follows it
are atomic. ``synchronous=FULL``: an answer is only sent after its row is on disk.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

SCHEMA = """
CREATE TABLE IF NOT EXISTS centres (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, district TEXT NOT NULL, tehsil TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, centre_code TEXT, created_at TEXT NOT NULL, expires_at TEXT,
    used_at TEXT, device_id TEXT);
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY, public_key BLOB NOT NULL, centre_code TEXT NOT NULL,
    name TEXT NOT NULL, app_version TEXT NOT NULL, enrolled_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS submissions (
    submission_id TEXT PRIMARY KEY, body_sha256 TEXT NOT NULL, tracking_id TEXT NOT NULL UNIQUE,
    receipt_no TEXT NOT NULL, head_key TEXT NOT NULL UNIQUE, device_id TEXT NOT NULL,
    centre_code TEXT NOT NULL, form_id TEXT NOT NULL, form_version TEXT NOT NULL,
    received_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'received', reason TEXT,
    answer TEXT NOT NULL, record BLOB NOT NULL, reason_code TEXT, decided_at TEXT);
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS forms (
    form_id TEXT NOT NULL, version TEXT NOT NULL, published_at TEXT NOT NULL,
    definition TEXT NOT NULL, PRIMARY KEY (form_id, version));
CREATE TABLE IF NOT EXISTS heartbeats (
    device_id TEXT PRIMARY KEY, received_at TEXT NOT NULL, body TEXT NOT NULL);
"""
# Columns added after the first release of the reference service (older state dirs get them).
ADDED_COLUMNS = {"submissions": (("reason_code", "TEXT"), ("decided_at", "TEXT"))}
INDEXES = "CREATE INDEX IF NOT EXISTS submissions_by_status ON submissions (status, received_at);"
SUBMISSION_COLUMNS = (
    "submission_id, body_sha256, tracking_id, receipt_no, centre_code, status, reason, answer, "
    "reason_code, decided_at"
)


SqlValue: TypeAlias = "str | int | float | bytes | None"
Row: TypeAlias = "tuple[SqlValue, ...]"


def text(value: SqlValue) -> str:
    """A ``TEXT NOT NULL`` column's value."""
    if not isinstance(value, str):
        raise TypeError(f"expected text, the database gave {type(value).__name__}")
    return value


def text_or_none(value: SqlValue) -> str | None:
    return None if value is None else text(value)


def integer(value: SqlValue) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected an integer, the database gave {type(value).__name__}")
    return value


@dataclass(frozen=True)
class DeviceRow:
    device_id: str
    public_key: bytes
    centre_code: str
    revoked: bool


@dataclass(frozen=True)
class SubmissionRow:
    submission_id: str
    body_sha256: str
    tracking_id: str
    receipt_no: str
    centre_code: str
    status: str
    reason: str | None
    answer: str
    reason_code: str | None
    decided_at: str | None

    @classmethod
    def of(cls, row: Row) -> SubmissionRow:
        """A row selected with :data:`SUBMISSION_COLUMNS`."""
        return cls(
            text(row[0]), text(row[1]), text(row[2]), text(row[3]), text(row[4]), text(row[5]),
            text_or_none(row[6]), text(row[7]), text_or_none(row[8]), text_or_none(row[9]),
        )  # fmt: skip


class CentralDB:
    """Thread-safe access to central's tables."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA busy_timeout=10000")
        with self._lock:
            self._conn.executescript(SCHEMA)
            self._add_columns()
            self._conn.executescript(INDEXES)

    def _add_columns(self) -> None:
        with self.transaction() as conn:
            for table, columns in ADDED_COLUMNS.items():
                have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                for name, kind in columns:
                    if name not in have:
                        conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[SqlValue, ...] = ()) -> list[Row]:
        with self._lock:
            rows: list[Row] = self._conn.execute(sql, params).fetchall()
            return rows

    # ---------------------------------------------------------------- centres, tokens
    def centre(self, code: str) -> tuple[str, str, str, str] | None:
        rows = self.query("SELECT code, name, district, tehsil FROM centres WHERE code=?", (code,))
        return (
            (text(rows[0][0]), text(rows[0][1]), text(rows[0][2]), text(rows[0][3]))
            if rows
            else None
        )

    def upsert_centre(self, code: str, name: str, district: str, tehsil: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO centres VALUES (?,?,?,?) ON CONFLICT(code) DO UPDATE SET "
                "name=excluded.name, district=excluded.district, tehsil=excluded.tehsil",
                (code, name, district, tehsil),
            )

    def add_token(
        self, token: str, centre_code: str | None, created_at: str, expires_at: str | None
    ) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO tokens (token, centre_code, created_at, expires_at) VALUES (?,?,?,?)",
                (token, centre_code, created_at, expires_at),
            )

    # ---------------------------------------------------------------- devices
    def device(self, device_id: str) -> DeviceRow | None:
        rows = self.query(
            "SELECT device_id, public_key, centre_code, revoked_at FROM devices WHERE device_id=?",
            (device_id,),
        )
        if not rows:
            return None
        row = rows[0]
        key = row[1]
        if not isinstance(key, bytes):
            raise TypeError("a device's public key is stored as bytes")
        return DeviceRow(text(row[0]), key, text(row[2]), row[3] is not None)

    def revoke_device(self, device_id: str, when: str) -> bool:
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE devices SET revoked_at=? WHERE device_id=? AND revoked_at IS NULL",
                (when, device_id),
            )
            return cur.rowcount == 1

    # ---------------------------------------------------------------- submissions
    def submission(self, submission_id: str) -> SubmissionRow | None:
        rows = self.query(
            f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE submission_id=?", (submission_id,)
        )
        return SubmissionRow.of(rows[0]) if rows else None

    def submissions_of_centre(self, centre_code: str, ids: list[str]) -> list[SubmissionRow]:
        """The rows of *ids* that *centre_code* submitted (any of its devices), in no order."""
        marks = ",".join("?" * len(ids))
        rows = self.query(
            f"SELECT {SUBMISSION_COLUMNS} FROM submissions "
            f"WHERE centre_code=? AND submission_id IN ({marks})",
            (centre_code, *ids),
        )
        return [SubmissionRow.of(row) for row in rows]

    def count_submissions(self) -> int:
        return integer(self.query("SELECT count(*) FROM submissions")[0][0])

    # ---------------------------------------------------------------- heartbeats
    def save_heartbeat(self, device_id: str, received_at: str, body: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO heartbeats VALUES (?,?,?) ON CONFLICT(device_id) DO UPDATE SET "
                "received_at=excluded.received_at, body=excluded.body",
                (device_id, received_at, body),
            )


def next_sequence(conn: sqlite3.Connection, name: str) -> int:
    """The next value of a named counter, inside the caller's transaction."""
    conn.execute("INSERT OR IGNORE INTO sequences (name, value) VALUES (?, 0)", (name,))
    conn.execute("UPDATE sequences SET value = value + 1 WHERE name=?", (name,))
    return int(conn.execute("SELECT value FROM sequences WHERE name=?", (name,)).fetchone()[0])
