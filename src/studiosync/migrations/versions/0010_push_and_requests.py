"""Syncs asked for outside the rounds, Google push channels with their problems, and when each
user's contacts were last read (they keep a slower pace of their own).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("sync_cursors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contacts_read_at", sa.DateTime(), nullable=True))
    op.create_table(
        "control_sync_requests",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        _user_fk("control_sync_requests"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_control_sync_requests")),
    )
    op.create_table(
        "google_push_channels",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.String(length=255), nullable=False),
        sa.Column("token_encrypted", sa.Text(), nullable=False),
        sa.Column("calendar_id", sa.String(length=1024), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("last_message_number", sa.Integer(), nullable=True),
        sa.Column("last_message_at", sa.DateTime(), nullable=True),
        _user_fk("google_push_channels"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_google_push_channels")),
        sa.UniqueConstraint("channel_id", name=op.f("uq_google_push_channels_channel_id")),
    )
    op.create_table(
        "google_push_problems",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        _user_fk("google_push_problems"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_google_push_problems")),
    )


def downgrade() -> None:
    op.drop_table("google_push_problems")
    op.drop_table("google_push_channels")
    op.drop_table("control_sync_requests")
    with op.batch_alter_table("sync_cursors", schema=None) as batch_op:
        batch_op.drop_column("contacts_read_at")
