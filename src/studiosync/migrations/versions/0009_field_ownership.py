"""Summary template, per-field owner rules, last-synced field hashes, losing fields of a conflict.

The studio-wide conflict policy becomes one owner rule per field: "google_wins" gives every
field to Google's edits, "newest_wins" lets the newest edit of each field win, and
"studio_wins" (the old default) becomes the new defaults — the title is the studio's, Google's
edits of time, location, notes and status are accepted. The old column stays, unused.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FIELDS = ("title", "time", "location", "notes", "status")
DEFAULTS = {"title": "studio", "time": "google", "location": "google", "notes": "google"}


def upgrade() -> None:
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("summary_template", sa.String(200), nullable=False, server_default="{title}")
        )
        for name in FIELDS:
            batch_op.add_column(
                sa.Column(
                    f"google_{name}",
                    sa.String(10),
                    nullable=False,
                    server_default=DEFAULTS.get(name, "google"),
                )
            )
    company = sa.table(
        "company", sa.column("conflict_policy"), *(sa.column(f"google_{n}") for n in FIELDS)
    )
    for policy, owner in (("google_wins", "google"), ("newest_wins", "newest")):
        op.execute(
            company.update()
            .where(company.c.conflict_policy == policy)
            .values({f"google_{name}": owner for name in FIELDS})
        )
    with op.batch_alter_table("sync_mappings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("field_hashes", sa.JSON(), nullable=True))
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fields", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_column("fields")
    with op.batch_alter_table("sync_mappings", schema=None) as batch_op:
        batch_op.drop_column("field_hashes")
    with op.batch_alter_table("company", schema=None) as batch_op:
        for name in reversed(FIELDS):
            batch_op.drop_column(f"google_{name}")
        batch_op.drop_column("summary_template")
