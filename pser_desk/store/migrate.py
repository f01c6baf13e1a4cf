"""Alembic migrations, run from code (no alembic.ini; works from a frozen bundle).

Every start opens the store, and importing Alembic alone costs a fifth of a second: so
:func:`upgrade` first compares the database's ``alembic_version`` with the newest shipped
revision, read from the migration files as text (:func:`shipped_head`), and imports
Alembic only when there is something to do.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Alembic's ``context`` is process-global: one migration run at a time per process.
_LOCK = threading.Lock()
# Several PCs starting at once on one PostgreSQL database: one migrates, the rest wait.
_PG_LOCK_KEY = 0x50534552  # "PSER"


_REVISION = re.compile(r"""^revision\s*=\s*["']([^"']+)["']""", re.MULTILINE)
_DOWN_REVISION = re.compile(r"""^down_revision\s*=\s*(?:None|["']([^"']+)["'])""", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def shipped_revisions() -> set[str]:
    """Every revision this desk ships (a database at any of them can be upgraded)."""
    found = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        match = _REVISION.search(path.read_text(encoding="utf-8"))
        if match is not None:
            found.add(match.group(1))
    return found


def shipped_head() -> str:
    """The newest shipped revision, read from the migration files without Alembic.

    Alembic's own answer (:func:`head_revision`) is the same; a test holds them together.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            raise RuntimeError(f"the migration {path.name} names no revision")
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads, not one")
    return heads.pop()


def is_current(engine: Engine) -> bool:
    """The database is at the shipped head (read with plain SQL, no Alembic)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        stored = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
    return stored == [shipped_head()]


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to *revision* (each migration in its own transaction)."""
    if revision == "head" and is_current(engine):
        return
    from alembic import command

    cfg = alembic_config()
    with _LOCK, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
