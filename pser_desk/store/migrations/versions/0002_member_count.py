"""Records carry their household size (for slips and the daily report: not personal),
and an index for the per-operator daily report.

Revision ID: 0002_member_count
Revises: 0001_initial
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_member_count"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("member_count", sa.Integer(), nullable=True))
    op.create_index("ix_records_operator_created", "records", ["operator_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_records_operator_created", table_name="records")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("member_count")
