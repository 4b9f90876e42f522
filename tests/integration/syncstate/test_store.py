"""The database state store keeps the same contract as the in-memory one the engine is tested on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from studiosync.context import Studio
from studiosync.studio import clients, people
from studiosync.sync.memory_state import MemoryStateStore
from studiosync.sync.ports import SyncStateStore
from studiosync.sync.records import (
    AllDaySpan,
    ConflictReason,
    ConflictRecord,
    ContactLink,
    EventContent,
    MappingEntry,
    Side,
    SyncCursors,
)
from studiosync.syncstate.models import SyncConflict
from studiosync.syncstate.store import SqlStateStore, forget_user

CONTENT = EventContent(
    "Portrait – Jane",
    "notes",
    "Studio A",
    AllDaySpan(dt.date(2026, 12, 1), dt.date(2026, 12, 2), "UTC"),
    "confirmed",
)


@pytest.fixture(params=["memory", "database"])
def store(request: pytest.FixtureRequest, studio: Studio) -> Iterator[SyncStateStore]:
    with studio.transaction() as session:
        people.create_user(session, login="a")
        people.create_user(session, login="b")
        clients.create_client(session, name="Jane")
    yield MemoryStateStore() if request.param == "memory" else SqlStateStore(studio.sessions)


def entry(appointment: int, event: str, version: int = 1) -> MappingEntry:
    return MappingEntry.agreed(appointment, event, f"etag-{version}", version, CONTENT, Side.STUDIO)


def test_cursors_start_empty_and_round_trip(store: SyncStateStore) -> None:
    assert store.cursors(1) == SyncCursors()
    saved = SyncCursors(
        feed_cursor=42,
        sync_token="tok",
        contacts_token="ctok",
        last_pull_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        blocked_until=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
        populate_google_after=7,
        populate_studio_after="page-2",
        pending_appointments=frozenset({3, 1}),
        pending_events=frozenset({"x"}),
    )
    store.save_cursors(1, saved)
    assert store.cursors(1) == saved
    assert store.cursors(2) == SyncCursors()


def test_mappings_are_found_both_ways_and_replaced_whole(store: SyncStateStore) -> None:
    store.put_mapping(1, entry(10, "ev10"))
    store.put_mapping(1, entry(11, "ev11"))
    store.put_mapping(2, entry(10, "ev10"))
    assert store.mappings_by_appointment(1, [10, 99]) == {10: entry(10, "ev10")}
    assert store.mappings_by_event(1, ["ev11"]) == {"ev11": entry(11, "ev11")}
    store.put_mapping(1, entry(10, "ev10", version=2))
    assert store.mappings_by_appointment(1, [10])[10].studio_version == 2
    store.put_mapping(1, entry(12, "ev11"))  # an event id belongs to one appointment only
    assert store.mappings_by_event(1, ["ev11"]) == {"ev11": entry(12, "ev11")}
    assert store.mappings_by_appointment(1, [11]) == {}
    assert store.mapping_count(1) == 2 and store.mapping_count(2) == 1
    store.remove_mapping(1, 10)
    assert sorted(m.appointment_id for m in store.all_mappings(1)) == [12]


def test_a_deleted_series_finds_its_occurrences_by_prefix_exactly(
    store: SyncStateStore,
) -> None:
    """The prefix is taken as written: ``_`` and ``%`` are no wildcards, case counts."""
    store.put_mapping(1, entry(1, "class@20260907T070000Z"))
    store.put_mapping(1, entry(2, "class@20260914T070000Z"))
    store.put_mapping(1, entry(3, "classic@20260907T070000Z"))
    store.put_mapping(1, entry(4, "CLASS@20260921T070000Z"))
    store.put_mapping(1, entry(5, "a_b_20260907T070000Z"))
    store.put_mapping(1, entry(6, "axb_20260907T070000Z"))
    store.put_mapping(2, entry(7, "class@20260928T070000Z"))
    found = store.mappings_by_event_prefix(1, ["class@", "a_b_", "50%"])
    assert sorted(link.appointment_id for link in found) == [1, 2, 5]
    assert store.mappings_by_event_prefix(1, []) == []


def test_a_conflict_is_kept_once(store: SyncStateStore) -> None:
    record = ConflictRecord(10, "ev10", ConflictReason.BOTH_CHANGED, Side.STUDIO, CONTENT, None)
    store.add_conflict(1, record)
    store.add_conflict(1, record)
    if isinstance(store, SqlStateStore):
        with store._sessions() as session:
            rows = list(session.scalars(select(SyncConflict)))
        assert len(rows) == 1
        assert rows[0].losing and rows[0].losing["summary"] == "Portrait – Jane"
    else:
        assert len(store.conflicts(1)) == 1  # type: ignore[attr-defined]


def test_contact_links_round_trip(store: SyncStateStore) -> None:
    store.put_contact_link(1, ContactLink("people/c1", 1, "e1"))
    store.put_contact_link(1, ContactLink("people/c1", 1, "e2"))
    assert store.contact_links(1, ["people/c1", "people/c2"]) == {
        "people/c1": ContactLink("people/c1", 1, "e2")
    }


def test_forgetting_a_user_drops_their_state_only(studio: Studio) -> None:
    with studio.transaction() as session:
        people.create_user(session, login="a")
        people.create_user(session, login="b")
    store = SqlStateStore(studio.sessions)
    store.put_mapping(1, entry(10, "ev10"))
    store.put_mapping(2, entry(10, "ev10"))
    store.save_cursors(1, SyncCursors(feed_cursor=3))
    with studio.transaction() as session:
        forget_user(session, 1)
    assert store.mapping_count(1) == 0 and store.cursors(1) == SyncCursors()
    assert store.mapping_count(2) == 1
