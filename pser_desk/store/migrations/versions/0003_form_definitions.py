"""Form definitions fetched from central (central-api.md section 7), every version kept;
an index for the outbox's oldest-first claim (no sort of the whole queue per claim).

Revision ID: 0003_form_definitions
Revises: 0002_member_count
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_form_definitions"
down_revision = "0002_member_count"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_definitions",
        sa.Column("form_id", sa.String(64), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("published_at", sa.String(40), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(200), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("form_id", "version", name="pk_form_definitions"),
    )
    op.create_index("ix_records_state_queued", "records", ["state", "queued_at", "submission_id"])


def downgrade() -> None:
    op.drop_index("ix_records_state_queued", table_name="records")
    op.drop_table("form_definitions")
