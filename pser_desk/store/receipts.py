"""Receipt sequences: one atomic upsert per number, unique per centre and day.

``INSERT ... ON CONFLICT (centre, day) DO UPDATE SET last = last + 1 RETURNING last`` is
atomic on PostgreSQL (the row lock serialises PCs sharing the database) and on SQLite
(inside the ``BEGIN IMMEDIATE`` write transaction). It runs in the caller's transaction,
so a queuing that fails rolls its number back with it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pser_desk.domain.receipt import format_receipt
from pser_desk.store.models import ReceiptSequenceRow

_TABLE: Table = ReceiptSequenceRow.__table__  # type: ignore[assignment]


def next_sequence(session: Session, centre_code: str, day: date) -> int:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert(_TABLE)
        .values(centre_code=centre_code, day=f"{day:%Y%m%d}", last=1)
        .on_conflict_do_update(
            index_elements=[_TABLE.c.centre_code, _TABLE.c.day],
            set_={"last": _TABLE.c.last + 1},
        )
        .returning(_TABLE.c.last)
    )
    return int(session.execute(stmt).scalar_one())


def next_receipt(session: Session, centre_code: str, day: date) -> str:
    return format_receipt(centre_code, day, next_sequence(session, centre_code, day))
