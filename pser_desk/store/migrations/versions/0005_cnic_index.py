"""The duplicate check at the desk: keyed digests (HMAC-SHA256) of the CNIC and B-Form
numbers of saved households, never the numbers (security/cnic_digest.py, issue 15).

Revision ID: 0005_cnic_index
Revises: 0004_sender_lease
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_cnic_index"
down_revision = "0004_sender_lease"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cnic_index",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("submission_id", sa.String(36), nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["records.submission_id"],
            name="fk_cnic_index_submission_id_records", ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("digest", "submission_id", name="pk_cnic_index"),
    )
    op.create_index("ix_cnic_index_submission", "cnic_index", ["submission_id"])


def downgrade() -> None:
    op.drop_index("ix_cnic_index_submission", table_name="cnic_index")
    op.drop_table("cnic_index")
