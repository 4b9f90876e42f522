"""The engine's SyncStateStore over the database: every write is its own short transaction."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, or_, select, update
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
    QuarantinedEvent,
    SyncConflict,
    SyncCursor,
    SyncMapping,
)
from studiosync.syncstate.quarantine import SqlQuarantine

CHUNK = 500
"""How many keys one IN (...) query carries."""


_MAPPINGS = cast(Table, SyncMapping.__table__)
_FORGET_LINKS = delete(_MAPPINGS).where(
    _MAPPINGS.c.user_id == bindparam("user"),
    (_MAPPINGS.c.appointment_id == bindparam("appointment"))
    | (_MAPPINGS.c.event_id == bindparam("event")),
)
"""A link being recorded replaces any link of its appointment or of its event."""
_RECORD_LINK = insert(_MAPPINGS)


def _plain(value: object) -> dict[str, Any] | None:
    """A dataclass as JSON-safe data (dates and enums as text)."""
    if value is None:
        return None
    assert dataclasses.is_dataclass(value) and not isinstance(value, type)
    data: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(value), default=str))
    return data


_LINK_COLUMNS = (
    SyncMapping.appointment_id,
    SyncMapping.event_id,
    SyncMapping.etag,
    SyncMapping.studio_version,
    SyncMapping.content_hash,
    SyncMapping.wording_hash,
    SyncMapping.origin,
    SyncMapping.field_hashes,
)
"""Links are read as plain rows of these columns, not ORM objects: a full resync reads all."""


def _entry(row: Any) -> MappingEntry:
    """A link from a row of ``_LINK_COLUMNS``."""
    return MappingEntry(
        appointment_id=row.appointment_id,
        event_id=row.event_id,
        etag=row.etag,
        studio_version=row.studio_version,
        content_hash=row.content_hash,
        wording_hash=row.wording_hash,
        origin=Side(row.origin),
        fields=row.field_hashes,
    )


_CURSORS = cast(Table, SyncCursor.__table__)
_CURSOR_COLUMNS = (
    "feed_cursor",
    "sync_token",
    "contacts_token",
    "contacts_read_at",
    "last_pull_at",
    "blocked_until",
    "populate_google_after",
    "populate_studio_after",
    "pending_appointments",
    "pending_events",
)
_SAVE_CURSORS = (
    update(_CURSORS)
    .where(_CURSORS.c.user_id == bindparam("for_user"))
    .values({name: bindparam(name) for name in _CURSOR_COLUMNS})
)


def read_cursors(session: Session, user_ids: Collection[int]) -> dict[int, SyncCursors]:
    """The saved cursors of these users (those who never ran have no entry), one query."""
    query = select(_CURSORS).where(_CURSORS.c.user_id.in_(list(user_ids)))
    return {
        row.user_id: SyncCursors(
            feed_cursor=row.feed_cursor,
            sync_token=row.sync_token,
            contacts_token=row.contacts_token,
            contacts_read_at=row.contacts_read_at,
            last_pull_at=row.last_pull_at,
            blocked_until=row.blocked_until,
            populate_google_after=row.populate_google_after,
            populate_studio_after=row.populate_studio_after,
            pending_appointments=frozenset(row.pending_appointments or ()),
            pending_events=frozenset(row.pending_events or ()),
        )
        for row in session.execute(query)
    }


def _cursor_values(cursors: SyncCursors) -> dict[str, Any]:
    values = {name: getattr(cursors, name) for name in _CURSOR_COLUMNS}
    values["pending_appointments"] = sorted(cursors.pending_appointments)
    values["pending_events"] = sorted(cursors.pending_events)
    return values


def write_cursors(session: Session, saved: dict[int, SyncCursors]) -> None:
    """Save users' cursors: one UPDATE per user who has a row (sent together), an INSERT for
    any who has none yet."""
    rows = [{"for_user": user_id, **_cursor_values(c)} for user_id, c in saved.items()]
    have: set[int] = set()
    if len(rows) == 1:
        updated = session.execute(_SAVE_CURSORS, rows[0])
        if getattr(updated, "rowcount", 0):
            have.add(rows[0]["for_user"])
    elif rows:
        query = select(_CURSORS.c.user_id).where(_CURSORS.c.user_id.in_(list(saved)))
        have.update(session.scalars(query))
        if have:
            session.execute(_SAVE_CURSORS, [row for row in rows if row["for_user"] in have])
    missing = [
        {"user_id": row.pop("for_user"), **row} for row in rows if row["for_user"] not in have
    ]
    if missing:
        session.execute(insert(_CURSORS), missing)


class SqlStateStore(SqlQuarantine):
    """Keeps each user's sync state in the studio database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def cursors(self, user_id: int) -> SyncCursors:
        with transaction(self._sessions) as session:
            return read_cursors(session, [user_id]).get(user_id, SyncCursors())

    def save_cursors(self, user_id: int, cursors: SyncCursors) -> None:
        with transaction(self._sessions) as session:  # one statement: every run saves them
            write_cursors(session, {user_id: cursors})

    def _mappings(self, user_id: int, column: Any, keys: Collection[Any]) -> list[MappingEntry]:
        """The user's mappings whose ``column`` is one of ``keys`` (asked in chunks of 500)."""
        wanted = list(keys)
        found: list[MappingEntry] = []
        if not wanted:
            return found  # a quiet run asks for none: no transaction for nothing
        with transaction(self._sessions) as session:
            for first in range(0, len(wanted), CHUNK):
                query = select(*_LINK_COLUMNS).where(
                    SyncMapping.user_id == user_id, column.in_(wanted[first : first + CHUNK])
                )
                found.extend(_entry(row) for row in session.execute(query))
        return found

    def mappings_by_appointment(
        self, user_id: int, appointment_ids: Collection[int]
    ) -> dict[int, MappingEntry]:
        entries = self._mappings(user_id, SyncMapping.appointment_id, appointment_ids)
        return {entry.appointment_id: entry for entry in entries}

    def mappings_by_event(
        self, user_id: int, event_ids: Collection[str]
    ) -> dict[str, MappingEntry]:
        entries = self._mappings(user_id, SyncMapping.event_id, event_ids)
        return {entry.event_id: entry for entry in entries}

    def all_mappings(self, user_id: int) -> list[MappingEntry]:
        with transaction(self._sessions) as session:
            query = select(*_LINK_COLUMNS).where(SyncMapping.user_id == user_id)
            return [_entry(row) for row in session.execute(query)]

    def mappings_by_event_prefix(
        self, user_id: int, prefixes: Collection[str]
    ) -> list[MappingEntry]:
        wanted = tuple(prefixes)
        if not wanted:
            return []
        with transaction(self._sessions) as session:
            begins = [SyncMapping.event_id.startswith(key, autoescape=True) for key in wanted]
            query = select(*_LINK_COLUMNS).where(SyncMapping.user_id == user_id, or_(*begins))
            found = [_entry(row) for row in session.execute(query)]
        return [entry for entry in found if entry.event_id.startswith(wanted)]  # LIKE ignores case

    def mapping_count(self, user_id: int) -> int:
        with transaction(self._sessions) as session:
            query = select(func.count()).select_from(SyncMapping)
            return session.scalar(query.where(SyncMapping.user_id == user_id)) or 0

    def put_mapping(self, user_id: int, entry: MappingEntry) -> None:
        with self._sessions.begin() as session:  # statements built once: this runs per item
            connection = session.connection()
            connection.execute(
                _FORGET_LINKS,
                {
                    "user": user_id,
                    "appointment": entry.appointment_id,
                    "event": entry.event_id,
                },
            )
            connection.execute(
                _RECORD_LINK,
                {
                    "user_id": user_id,
                    "appointment_id": entry.appointment_id,
                    "event_id": entry.event_id,
                    "etag": entry.etag,
                    "studio_version": entry.studio_version,
                    "content_hash": entry.content_hash,
                    "wording_hash": entry.wording_hash,
                    "origin": entry.origin.value,
                    "field_hashes": dict(entry.fields) if entry.fields is not None else None,
                },
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
                    fields=",".join(record.fields) or None,
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
    for table in (SyncMapping, SyncCursor, ContactLinkRow, EventSource, QuarantinedEvent):
        session.execute(delete(table).where(table.user_id == user_id))


def forget_calendar(session: Session, user_id: int) -> None:
    """Drop what one user's sync knows of their calendar: another calendar was chosen.

    The links, the calendar's sync token, the feed cursor and the populate checkpoints name
    the old calendar's events; kept, they would read every appointment as deleted in Google.
    The contacts token and contact links belong to the account and stay, as does a quota pause.
    """
    session.execute(delete(SyncMapping).where(SyncMapping.user_id == user_id))
    session.execute(delete(QuarantinedEvent).where(QuarantinedEvent.user_id == user_id))
    cursor = session.get(SyncCursor, user_id)
    if cursor is not None:
        cursor.feed_cursor = None
        cursor.sync_token = None
        cursor.last_pull_at = None
        cursor.populate_google_after = None
        cursor.populate_studio_after = None
        cursor.pending_appointments = []
        cursor.pending_events = []
