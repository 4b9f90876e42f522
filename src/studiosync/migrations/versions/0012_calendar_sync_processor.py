"""The Control Center's sync job is the Calendar Sync Processor: it syncs Google and CalDAV alike.

Only a job still called by its old default name is renamed; a name the studio chose is kept.
The job's key (``google-sync``) stays, so its pages and commands keep their addresses.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OLD_NAME = "Google Sync Processor"
NEW_NAME = "Calendar Sync Processor"
_jobs = sa.table("control_jobs", sa.column("key", sa.String()), sa.column("name", sa.String()))


def _rename(old: str, new: str) -> None:
    op.execute(
        _jobs.update().where(_jobs.c.key == "google-sync", _jobs.c.name == old).values(name=new)
    )


def upgrade() -> None:
    _rename(OLD_NAME, NEW_NAME)


def downgrade() -> None:
    _rename(NEW_NAME, OLD_NAME)
