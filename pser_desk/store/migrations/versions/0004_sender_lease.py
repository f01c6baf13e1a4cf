"""One sender at a time per queue: a lease decided by the database's own clock, and the
claim each sending record was taken under; the history of this PC's slip-signing keys.

A sender that lost its lease cannot store an outcome over the new holder's work.

Revision ID: 0004_sender_lease
Revises: 0003_form_definitions
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_sender_lease"
down_revision = "0003_form_definitions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    lease = op.create_table(
        "sender_lease",
        sa.Column("queue", sa.String(32), nullable=False),
        sa.Column("holder", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("host", sa.String(200), nullable=True),
        sa.Column("since", sa.Float(), nullable=True),
        sa.Column("expires", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("queue", name="pk_sender_lease"),
    )
    op.bulk_insert(lease, [{"queue": "outbox"}])
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(64), nullable=True))
    op.create_table(
        "device_keys",
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("public_key", sa.String(100), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("device_id", name="pk_device_keys"),
    )


def downgrade() -> None:
    op.drop_table("device_keys")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("claimed_by")
    op.drop_table("sender_lease")
