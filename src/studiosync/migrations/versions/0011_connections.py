"""Connections: each user's one link to a calendar service (Google or CalDAV), and CalDAV sign-ins.

Every linked Google account becomes a Google connection of the same user; the sync state stays
keyed by the user, so no mapping is lost and nothing is created again in Google.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    connections = op.create_table(
        "connections",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("google", "caldav", name="connection_kind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("account", sa.String(length=1024), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        _user_fk("connections"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_connections")),
        sa.UniqueConstraint("kind", "account", name=op.f("uq_connections_kind")),
    )
    op.create_table(
        "dav_accounts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(length=1024), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("password_encrypted", sa.Text(), nullable=False),
        sa.Column("principal_url", sa.String(length=1024), nullable=False),
        sa.Column("calendar_home", sa.String(length=1024), nullable=False),
        sa.Column("addressbook_home", sa.String(length=1024), nullable=True),
        sa.Column(
            "status",
            sa.Enum("linked", "needs_reauth", name="account_status", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("last_error_code", sa.String(length=64), nullable=True),
        _user_fk("dav_accounts"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_dav_accounts")),
    )
    google = sa.table(
        "google_accounts",
        sa.column("user_id", sa.Integer),
        sa.column("google_email", sa.String),
        sa.column("linked_at", sa.DateTime),
    )
    op.execute(
        connections.insert().from_select(
            ["user_id", "kind", "account", "linked_at"],
            sa.select(
                google.c.user_id,
                sa.literal("google", sa.String(20)),
                google.c.google_email,
                google.c.linked_at,
            ),
        )
    )


def downgrade() -> None:
    op.drop_table("dav_accounts")
    op.drop_table("connections")
