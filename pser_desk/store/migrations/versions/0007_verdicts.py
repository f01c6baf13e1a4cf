"""Closing the loop with central (issue 16): each acknowledged household's verdict
(``verdict``, ``reason_code``, ``reason``, ``decided_at``; when it was last asked,
``status_checked_at``), when its personal data was purged (``purged_at``), when a manager
dealt with a rejection (``dismissed_at``, ``dismissed_by``) and which rejected household a
new registration was started from (``redo_of``); per PC, central's configuration in force
and the last heartbeat (``central_config``).

Revision ID: 0007_verdicts
Revises: 0006_corrections
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0007_verdicts"
down_revision = "0006_corrections"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("verdict", sa.String(16), nullable=True))
        batch.add_column(sa.Column("reason_code", sa.String(32), nullable=True))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("decided_at", TS, nullable=True))
        batch.add_column(sa.Column("status_checked_at", TS, nullable=True))
        batch.add_column(sa.Column("purged_at", TS, nullable=True))
        batch.add_column(sa.Column("dismissed_at", TS, nullable=True))
        batch.add_column(sa.Column("dismissed_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("redo_of", sa.String(36), nullable=True))
    op.create_index(
        "ix_records_state_verdict_checked",
        "records",
        ["state", "verdict", "status_checked_at", "acknowledged_at"],
    )
    op.create_table(
        "central_config",
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("config", sa.Text(), nullable=True),
        sa.Column("signature", sa.String(200), nullable=True),
        sa.Column("applied_at", TS, nullable=True),
        sa.Column("last_heartbeat_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("device_id", name="pk_central_config"),
    )


def downgrade() -> None:
    op.drop_table("central_config")
    op.drop_index("ix_records_state_verdict_checked", table_name="records")
    with op.batch_alter_table("records") as batch:
        for name in ("redo_of", "dismissed_by", "dismissed_at", "purged_at",
                     "status_checked_at", "decided_at", "reason", "reason_code", "verdict"):  # fmt: skip
            batch.drop_column(name)
