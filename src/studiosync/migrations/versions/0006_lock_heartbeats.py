"""Locks held while working carry a heartbeat, so a holder that died is found out quickly.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 15:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("control_locks", sa.Column("heartbeat_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("control_locks") as batch:
        batch.drop_column("heartbeat_at")
