"""A throwaway PostgreSQL 15 server for the session, started and stopped by the tests.

ENVIRONMENT.md: ``initdb`` + ``pg_ctl`` in a temporary folder, on a free port, with the
socket in that folder and fsync off; as the ``postgres`` user when the tests run as root.
``postgres_url`` gives each test a fresh database cloned from a migrated template.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("PSER_PG_BIN", "/usr/lib/postgresql/15/bin"))
_counter = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@dataclass
class PostgresServer:
    root: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, prefix: str = "t", template: str | None = None) -> str:
        name = f"{prefix}_{os.getpid()}_{next(_counter)}"
        clause = f" TEMPLATE {template}" if template else ""
        self.execute(f"CREATE DATABASE {name}{clause}")
        return self.url(name)


def _start(root: Path) -> PostgresServer:
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL 15 is not installed ({PG_BIN}); run scripts/setup.sh")
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(sock, "postgres", "postgres")
    run = {"check": True, "capture_output": True, "timeout": 60}
    subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust",
                                 "-U", "postgres", "--no-sync", "-E", "UTF8"]), **run)  # type: ignore[call-overload]  # fmt: skip
    port = _free_port()
    opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
    subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", opts,
                                 "-l", str(root / "log"), "-w", "start"]), **run)  # type: ignore[call-overload]  # fmt: skip
    return PostgresServer(root, port)


def _stop(server: PostgresServer) -> None:
    subprocess.run(
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(server.root / "data"), "-m", "immediate", "stop"]),
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    root = Path(tempfile.mkdtemp(prefix="pser-pg-"))
    os.chmod(root, 0o755)
    server = _start(root)
    try:
        yield server
    finally:
        _stop(server)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database for one test."""
    return postgres_server.create_database()
