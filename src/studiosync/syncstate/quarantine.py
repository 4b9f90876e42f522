"""The quarantine over the database: events put aside, per user (see ``sync.quarantine``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from studiosync.db import transaction
from studiosync.errors import ErrorCode
from studiosync.studio.models import utcnow
from studiosync.sync.quarantine import QuarantineEntry
from studiosync.syncstate.models import QuarantinedEvent

CHUNK = 500


def _entry(row: QuarantinedEvent) -> QuarantineEntry:
    try:
        code = ErrorCode(row.code)
    except ValueError:
        code = ErrorCode.SYNC_EVENT_QUARANTINED
    return QuarantineEntry(row.event_id, row.title, row.starts, code, row.reason, row.stamp)


class SqlQuarantine:
    """The quarantine part of the database ``SyncStateStore``."""

    _sessions: sessionmaker[Session]

    def quarantined(self, user_id: int, event_ids: Collection[str]) -> dict[str, QuarantineEntry]:
        wanted = list(event_ids)
        found: dict[str, QuarantineEntry] = {}
        with transaction(self._sessions) as session:
            for first in range(0, len(wanted), CHUNK):
                rows = session.scalars(
                    select(QuarantinedEvent).where(
                        QuarantinedEvent.user_id == user_id,
                        QuarantinedEvent.event_id.in_(wanted[first : first + CHUNK]),
                    )
                )
                found.update((row.event_id, _entry(row)) for row in rows)
        return found

    def quarantine(self, user_id: int, entry: QuarantineEntry) -> None:
        now = utcnow()
        with transaction(self._sessions) as session:
            row = session.get(QuarantinedEvent, (user_id, entry.event_id))
            if row is None:
                row = QuarantinedEvent(user_id=user_id, event_id=entry.event_id, first_seen=now)
                session.add(row)
            row.title = entry.title[:300]
            row.starts = entry.starts[:64] if entry.starts else None
            row.code = entry.code.value
            row.reason = entry.reason
            row.stamp = entry.stamp[:255] if entry.stamp else None
            row.last_seen = now

    def release(self, user_id: int, event_ids: Collection[str]) -> None:
        wanted = list(event_ids)
        if not wanted:
            return
        with transaction(self._sessions) as session:
            for first in range(0, len(wanted), CHUNK):
                session.execute(
                    delete(QuarantinedEvent).where(
                        QuarantinedEvent.user_id == user_id,
                        QuarantinedEvent.event_id.in_(wanted[first : first + CHUNK]),
                    )
                )


def quarantine_of(session: Session, user_id: int) -> list[tuple[QuarantineEntry, dt.datetime]]:
    """Every event put aside for a user, oldest first, with when it was last seen."""
    rows = session.scalars(
        select(QuarantinedEvent)
        .where(QuarantinedEvent.user_id == user_id)
        .order_by(QuarantinedEvent.first_seen, QuarantinedEvent.event_id)
    )
    return [(_entry(row), row.last_seen) for row in rows]
