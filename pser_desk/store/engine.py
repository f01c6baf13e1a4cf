"""Engines: SQLite in the data folder by default, PostgreSQL by URL.

SQLite gets WAL, ``synchronous=FULL``, foreign keys, ``secure_delete`` and a busy
timeout on every connection, and write transactions start with ``BEGIN IMMEDIATE`` so two writers never
deadlock on a lock upgrade (reads use a plain deferred ``BEGIN``). PostgreSQL URLs use
the psycopg 3 driver (``postgresql+psycopg://``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url

DB_FILENAME = "pser.db"
BUSY_TIMEOUT_MS = 5000
READ_OPTION = "pser_read_only"


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / DB_FILENAME}"


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other back-ends or in-memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean the psycopg 3 driver here."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_listeners(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # Freed cells and pages are zeroed: a purged household leaves no bytes behind
            # (retention, store/verdicts.py; its cost in docs/performance.md).
            cursor.execute("PRAGMA secure_delete=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        read_only = conn.get_execution_options().get(READ_OPTION, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        engine = create_engine(
            url,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
            **kwargs,
        )
        _sqlite_listeners(engine, busy_timeout_ms)
        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    raise ValueError(f"unsupported database back-end: {backend}")
