"""An in-memory ``SyncStateStore``: for tests, dry runs and the sandbox demo."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from studiosync.sync.quarantine import QuarantineEntry
from studiosync.sync.records import ConflictRecord, ContactLink, MappingEntry, SyncCursors


@dataclass
class _UserState:
    cursors: SyncCursors = field(default_factory=SyncCursors)
    by_appointment: dict[int, MappingEntry] = field(default_factory=dict)
    by_event: dict[str, MappingEntry] = field(default_factory=dict)
    conflicts: dict[str, ConflictRecord] = field(default_factory=dict)
    contacts: dict[str, ContactLink] = field(default_factory=dict)
    quarantine: dict[str, QuarantineEntry] = field(default_factory=dict)


class MemoryStateStore:
    """Keeps every user's sync state in dictionaries."""

    def __init__(self) -> None:
        self._users: dict[int, _UserState] = {}

    def _user(self, user_id: int) -> _UserState:
        return self._users.setdefault(user_id, _UserState())

    def cursors(self, user_id: int) -> SyncCursors:
        return self._user(user_id).cursors

    def save_cursors(self, user_id: int, cursors: SyncCursors) -> None:
        self._user(user_id).cursors = cursors

    def mappings_by_appointment(
        self, user_id: int, appointment_ids: Collection[int]
    ) -> dict[int, MappingEntry]:
        known = self._user(user_id).by_appointment
        return {key: known[key] for key in appointment_ids if key in known}

    def mappings_by_event(
        self, user_id: int, event_ids: Collection[str]
    ) -> dict[str, MappingEntry]:
        known = self._user(user_id).by_event
        return {key: known[key] for key in event_ids if key in known}

    def all_mappings(self, user_id: int) -> list[MappingEntry]:
        return list(self._user(user_id).by_appointment.values())

    def mappings_by_event_prefix(
        self, user_id: int, prefixes: Collection[str]
    ) -> list[MappingEntry]:
        known = self._user(user_id).by_event
        return [entry for key, entry in known.items() if key.startswith(tuple(prefixes))]

    def mapping_count(self, user_id: int) -> int:
        return len(self._user(user_id).by_appointment)

    def put_mapping(self, user_id: int, entry: MappingEntry) -> None:
        state = self._user(user_id)
        self.remove_mapping(user_id, entry.appointment_id)
        holder = state.by_event.get(entry.event_id)
        if holder is not None:
            del state.by_appointment[holder.appointment_id]
        state.by_appointment[entry.appointment_id] = entry
        state.by_event[entry.event_id] = entry

    def remove_mapping(self, user_id: int, appointment_id: int) -> None:
        state = self._user(user_id)
        old = state.by_appointment.pop(appointment_id, None)
        if old is not None:
            state.by_event.pop(old.event_id, None)

    def add_conflict(self, user_id: int, record: ConflictRecord) -> None:
        self._user(user_id).conflicts.setdefault(record.key, record)

    def conflicts(self, user_id: int) -> list[ConflictRecord]:
        return list(self._user(user_id).conflicts.values())

    def contact_links(
        self, user_id: int, resource_names: Collection[str]
    ) -> dict[str, ContactLink]:
        known = self._user(user_id).contacts
        return {key: known[key] for key in resource_names if key in known}

    def put_contact_link(self, user_id: int, link: ContactLink) -> None:
        self._user(user_id).contacts[link.resource_name] = link

    def quarantined(self, user_id: int, event_ids: Collection[str]) -> dict[str, QuarantineEntry]:
        known = self._user(user_id).quarantine
        return {key: known[key] for key in event_ids if key in known}

    def quarantine(self, user_id: int, entry: QuarantineEntry) -> None:
        self._user(user_id).quarantine[entry.event_id] = entry

    def release(self, user_id: int, event_ids: Collection[str]) -> None:
        known = self._user(user_id).quarantine
        for key in event_ids:
            known.pop(key, None)
