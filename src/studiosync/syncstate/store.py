"""The engine's SyncStateStore over the database: every write is its own short transaction."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from studiosync.db import transaction
from studiosync.sync.records import (
    ConflictRecord,
    ContactLink,
    MappingEntry,
    Side,
    SyncCursors,
)
from studiosync.syncstate.models import (
    ContactLinkRow,
    EventSource,
    SyncConflict,
    SyncCursor,
    SyncMapping,
)


def _plain(value: object) -> dict[str, Any] | None:
    """A dataclass as JSON-safe data (dates and enums as text)."""
    if value is None:
        return None
    assert dataclasses.is_dataclass(value) and not isinstance(value, type)
    data: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(value), default=str))
    return data


def _entry(row: SyncMapping) -> MappingEntry:
    return MappingEntry(
        appointment_id=row.appointment_id,
        event_id=row.event_id,
        etag=row.etag,
        studio_version=row.studio_version,
        content_hash=row.content_hash,
        wording_hash=row.wording_hash,
        origin=Side(row.origin),
    )


class SqlStateStore:
    """Keeps each user's sync state in the studio database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def cursors(self, user_id: int) -> SyncCursors:
        with transaction(self._sessions) as session:
            row = session.get(SyncCursor, user_id)
            if row is None:
                return SyncCursors()
            return SyncCursors(
                feed_cursor=row.feed_cursor,
                sync_token=row.sync_token,
                contacts_token=row.contacts_token,
                last_pull_at=row.last_pull_at,
                blocked_until=row.blocked_until,
                populate_google_after=row.populate_google_after,
                populate_studio_after=row.populate_studio_after,
                pending_appointments=frozenset(row.pending_appointments or ()),
                pending_events=frozenset(row.pending_events or ()),
            )

    def save_cursors(self, user_id: int, cursors: SyncCursors) -> None:
        with transaction(self._sessions) as session:
            row = session.get(SyncCursor, user_id) or SyncCursor(user_id=user_id)
            row.feed_cursor = cursors.feed_cursor
            row.sync_token = cursors.sync_token
            row.contacts_token = cursors.contacts_token
            row.last_pull_at = cursors.last_pull_at
            row.blocked_until = cursors.blocked_until
            row.populate_google_after = cursors.populate_google_after
            row.populate_studio_after = cursors.populate_studio_after
            row.pending_appointments = sorted(cursors.pending_appointments)
            row.pending_events = sorted(cursors.pending_events)
            session.add(row)

    def mappings_by_appointment(
        self, user_id: int, appointment_ids: Collection[int]
    ) -> dict[int, MappingEntry]:
        found: dict[int, MappingEntry] = {}
        ids = list(appointment_ids)
        with transaction(self._sessions) as session:
            for first in range(0, len(ids), 500):
                rows = session.scalars(
                    select(SyncMapping).where(
                        SyncMapping.user_id == user_id,
                        SyncMapping.appointment_id.in_(ids[first : first + 500]),
                    )
                )
                found.update((row.appointment_id, _entry(row)) for row in rows)
        return found

    def mappings_by_event(
        self, user_id: int, event_ids: Collection[str]
    ) -> dict[str, MappingEntry]:
        found: dict[str, MappingEntry] = {}
        ids = list(event_ids)
        with transaction(self._sessions) as session:
            for first in range(0, len(ids), 500):
                rows = session.scalars(
                    select(SyncMapping).where(
                        SyncMapping.user_id == user_id,
                        SyncMapping.event_id.in_(ids[first : first + 500]),
                    )
                )
                found.update((row.event_id, _entry(row)) for row in rows)
        return found

    def all_mappings(self, user_id: int) -> list[MappingEntry]:
        with transaction(self._sessions) as session:
            rows = session.scalars(select(SyncMapping).where(SyncMapping.user_id == user_id))
            return [_entry(row) for row in rows]

    def mapping_count(self, user_id: int) -> int:
        with transaction(self._sessions) as session:
            query = select(func.count()).select_from(SyncMapping)
            return session.scalar(query.where(SyncMapping.user_id == user_id)) or 0

    def put_mapping(self, user_id: int, entry: MappingEntry) -> None:
        with transaction(self._sessions) as session:
            session.execute(
                delete(SyncMapping).where(
                    SyncMapping.user_id == user_id,
                    (SyncMapping.appointment_id == entry.appointment_id)
                    | (SyncMapping.event_id == entry.event_id),
                )
            )
            session.add(
                SyncMapping(
                    user_id=user_id,
                    appointment_id=entry.appointment_id,
                    event_id=entry.event_id,
                    etag=entry.etag,
                    studio_version=entry.studio_version,
                    content_hash=entry.content_hash,
                    wording_hash=entry.wording_hash,
                    origin=entry.origin.value,
                )
            )

    def remove_mapping(self, user_id: int, appointment_id: int) -> None:
        with transaction(self._sessions) as session:
            session.execute(
                delete(SyncMapping).where(
                    SyncMapping.user_id == user_id, SyncMapping.appointment_id == appointment_id
                )
            )

    def add_conflict(self, user_id: int, record: ConflictRecord) -> None:
        with transaction(self._sessions) as session:
            known = session.scalar(
                select(SyncConflict.id).where(
                    SyncConflict.user_id == user_id, SyncConflict.key == record.key[:400]
                )
            )
            if known is not None:
                return
            losing = _plain(record.losing_content) or {}
            losing["appointment"] = _plain(record.losing_appointment)
            losing["event"] = _plain(record.losing_event)
            session.add(
                SyncConflict(
                    user_id=user_id,
                    key=record.key[:400],
                    appointment_id=record.appointment_id,
                    event_id=record.event_id,
                    reason=record.reason.value,
                    winner=record.winner.value,
                    losing=losing,
                    winning=_plain(record.winning_content),
                )
            )

    def contact_links(
        self, user_id: int, resource_names: Collection[str]
    ) -> dict[str, ContactLink]:
        names = list(resource_names)
        with transaction(self._sessions) as session:
            rows = session.scalars(
                select(ContactLinkRow).where(
                    ContactLinkRow.user_id == user_id, ContactLinkRow.resource_name.in_(names)
                )
            )
            return {
                row.resource_name: ContactLink(row.resource_name, row.client_id, row.etag)
                for row in rows
            }

    def put_contact_link(self, user_id: int, link: ContactLink) -> None:
        with transaction(self._sessions) as session:
            row = session.get(ContactLinkRow, (user_id, link.resource_name))
            row = row or ContactLinkRow(user_id=user_id, resource_name=link.resource_name)
            row.client_id, row.etag = link.client_id, link.etag
            session.add(row)


def forget_user(session: Session, user_id: int) -> None:
    """Drop every piece of one user's sync state (their Google account was removed)."""
    for table in (SyncMapping, SyncCursor, ContactLinkRow, EventSource):
        session.execute(delete(table).where(table.user_id == user_id))
