"""Central's reasons for returning a record are kept whole and structured (``corrections``,
a JSON array of ``{field, message}``), no longer as text cut at 500 characters in
``last_error``; the unused ``settings`` table goes (this PC's settings are one file,
``settings.json``, with its own schema and upgrades).

Revision ID: 0006_corrections
Revises: 0005_cnic_index
Create Date: 2026-12-06
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006_corrections"
down_revision = "0005_cnic_index"
branch_labels = None
depends_on = None


def _as_problems(text: str | None) -> str | None:
    """The stored 422 details of a record returned before this revision, if whole JSON."""
    try:
        raw = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(raw, list):
        return None
    kept = [
        {"field": d["field"], "message": str(d.get("message", ""))}
        for d in raw
        if isinstance(d, dict) and isinstance(d.get("field"), str)
    ]
    return json.dumps(kept, ensure_ascii=False)


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("corrections", sa.Text(), nullable=True))
    records = sa.table(
        "records",
        sa.column("submission_id", sa.String),
        sa.column("state", sa.String),
        sa.column("last_error", sa.Text),
        sa.column("corrections", sa.Text),
    )
    bind = op.get_bind()
    returned = bind.execute(
        sa.select(records.c.submission_id, records.c.last_error).where(
            records.c.state == "needs_correction"
        )
    ).all()
    for sid, last_error in returned:
        problems = _as_problems(last_error)
        if problems is not None:
            bind.execute(
                records.update()
                .where(records.c.submission_id == sid)
                .values(corrections=problems)
            )
    op.drop_table("settings")


def downgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )
    with op.batch_alter_table("records") as batch:
        batch.drop_column("corrections")
