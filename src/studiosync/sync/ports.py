"""What the engine needs from the studio and from its own state store, as small protocols.

The engine runs for one user at a time and only ever passes that user's id. Implementations
over the database live outside ``sync``; ``memory_state`` holds an in-memory state store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from studiosync.sync.quarantine import QuarantineEntry
from studiosync.sync.records import (
    AppointmentDraft,
    ClientDraft,
    ConflictRecord,
    ContactLink,
    MappingEntry,
    StudioAppointment,
    StudioChange,
    SyncCursors,
)


class StudioCalendar(Protocol):
    """The studio's appointments, seen per user."""

    def feed_head(self) -> int:
        """The newest sequence number of the appointment change feed (0 when empty)."""
        ...

    def changes_since(self, user_id: int, cursor: int) -> Sequence[StudioChange]:
        """The user's feed entries after ``cursor``, oldest first."""
        ...

    def load(
        self, user_id: int, appointment_ids: Collection[int]
    ) -> Mapping[int, StudioAppointment]:
        """Those of the appointments that exist and are still assigned to the user.

        Cancelled appointments are included (with their status); missing ids are simply absent.
        """
        ...

    def appointments_from(
        self, user_id: int, since: dt.date | None, after_id: int | None, limit: int
    ) -> Sequence[StudioAppointment]:
        """Populate: the user's live appointments starting on or after ``since``, by id.

        Only ids greater than ``after_id``, at most ``limit`` of them, in increasing id order.
        """
        ...

    def create(self, user_id: int, draft: AppointmentDraft, import_key: str) -> StudioAppointment:
        """A new appointment from a Google event: type "Google", origin google, user assigned.

        Must be idempotent per ``(user_id, import_key)``: when an appointment made under that
        key is still live and assigned to this user (a run stopped before linking it), return
        that one unchanged; otherwise make a new one and keep it under the key. The key is the
        event id, or the event id with a suffix when the event is made into an appointment once
        more (``mapping.import_key``); it is at most a few dozen characters longer than the id.
        """
        ...

    def update(
        self, user_id: int, appointment_id: int, expected_version: int, draft: AppointmentDraft
    ) -> StudioAppointment | None:
        """Set the draft's fields; ``None`` (no change) when the version moved on or it is gone."""
        ...

    def delete(self, user_id: int, appointment_id: int, expected_version: int) -> bool:
        """Remove the appointment for this user (deleted, or only unassigned when shared).

        ``False`` (and no change) when its version moved on; ``True`` when it is gone.
        """
        ...


class StudioClients(Protocol):
    """The studio's clients, for the contacts import (which never deletes a client)."""

    def find_by_email(self, emails: Collection[str]) -> int | None:
        """A client having any of the addresses (compared case-insensitively)."""
        ...

    def save(self, group_id: int, client_id: int | None, draft: ClientDraft) -> int:
        """Create (``client_id`` None) or update a client, put it in the group; its id."""
        ...


class SyncStateStore(Protocol):
    """The engine's memory for each user: mappings, cursors, contact links, conflict log.

    Each write stands on its own (the engine records item by item), so a run that stops
    half-way leaves a state from which the next run continues without duplicates.
    """

    def cursors(self, user_id: int) -> SyncCursors:
        """The user's cursors (all empty for a user never synced)."""
        ...

    def save_cursors(self, user_id: int, cursors: SyncCursors) -> None: ...

    def mappings_by_appointment(
        self, user_id: int, appointment_ids: Collection[int]
    ) -> dict[int, MappingEntry]: ...

    def mappings_by_event(
        self, user_id: int, event_ids: Collection[str]
    ) -> dict[str, MappingEntry]: ...

    def all_mappings(self, user_id: int) -> list[MappingEntry]:
        """Every mapping of the user: used only by a full resync."""
        ...

    def mappings_by_event_prefix(
        self, user_id: int, prefixes: Collection[str]
    ) -> list[MappingEntry]:
        """The mappings whose event id begins with one of ``prefixes`` (a deleted series'
        occurrences)."""
        ...

    def mapping_count(self, user_id: int) -> int: ...

    def put_mapping(self, user_id: int, entry: MappingEntry) -> None:
        """Insert or replace the mapping of ``entry.appointment_id`` (event ids stay unique)."""
        ...

    def remove_mapping(self, user_id: int, appointment_id: int) -> None: ...

    def add_conflict(self, user_id: int, record: ConflictRecord) -> None:
        """Keep a losing version; a record with the same ``key`` is kept once."""
        ...

    def contact_links(
        self, user_id: int, resource_names: Collection[str]
    ) -> dict[str, ContactLink]: ...

    def put_contact_link(self, user_id: int, link: ContactLink) -> None: ...

    def quarantined(self, user_id: int, event_ids: Collection[str]) -> dict[str, QuarantineEntry]:
        """Those of the events that are put aside."""
        ...

    def quarantine(self, user_id: int, entry: QuarantineEntry) -> None:
        """Put an event aside (or note it was seen again: its first sighting is kept)."""
        ...

    def release(self, user_id: int, event_ids: Collection[str]) -> None:
        """Take events out of quarantine (they went through, or are gone)."""
        ...
