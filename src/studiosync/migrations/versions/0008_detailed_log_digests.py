"""Detailed sync logs by day or by round, and the record of each day's digest.

Detailed logs now default to one digest a day (existing users who asked for detailed logs get
the digest; each-round emails stay a choice on the Google tab).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 15:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("google_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "detailed_logs_every", sa.String(length=20), server_default="day", nullable=False
            )
        )
    op.create_table(
        "control_sync_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_control_sync_digests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_sync_digests")),
        sa.UniqueConstraint("user_id", "day", name=op.f("uq_control_sync_digests_user_id")),
    )
    with op.batch_alter_table("control_sync_digests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_control_sync_digests_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("control_sync_digests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_control_sync_digests_user_id"))
    op.drop_table("control_sync_digests")
    with op.batch_alter_table("google_settings", schema=None) as batch_op:
        batch_op.drop_column("detailed_logs_every")
