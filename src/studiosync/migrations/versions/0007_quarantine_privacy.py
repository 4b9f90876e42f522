"""Events put aside (quarantine), each user's privacy choice, how long sign-ins lived.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_quarantine",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=1024), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts", sa.String(length=64), nullable=True),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("stamp", sa.String(length=255), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sync_quarantine_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "event_id", name=op.f("pk_sync_quarantine")),
    )
    with op.batch_alter_table("google_settings") as batch_op:
        batch_op.add_column(
            sa.Column("privacy", sa.String(length=20), server_default="full", nullable=False)
        )
    with op.batch_alter_table("google_accounts") as batch_op:
        batch_op.add_column(sa.Column("token_lifetimes", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("google_accounts") as batch_op:
        batch_op.drop_column("token_lifetimes")
    with op.batch_alter_table("google_settings") as batch_op:
        batch_op.drop_column("privacy")
    op.drop_table("sync_quarantine")
