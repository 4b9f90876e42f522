"""The studio seen by the engine: per user, version-checked, idempotent on Google's event ids."""

from __future__ import annotations

import datetime as dt

import pytest

from studiosync.context import Studio
from studiosync.studio import appointments, clients, people
from studiosync.studio.appointments import Assign
from studiosync.studio.models import Appointment, Origin
from studiosync.sync.records import AllDaySpan, AppointmentDraft, ClientDraft, TimedSpan
from studiosync.syncstate.studio_side import DbStudioCalendar, DbStudioClients

START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
DRAFT = AppointmentDraft(
    "Dentist",
    TimedSpan(START, START + dt.timedelta(hours=1), "Europe/Paris"),
    "confirmed",
    "Rue X",
    "bring card",
)


@pytest.fixture
def users(studio: Studio) -> dict[str, int]:
    with studio.transaction() as session:
        made = {name: people.create_user(session, login=name).id for name in ("a", "b")}
        clients.create_group(session, name="Google")
        return made


def _book(studio: Studio, *logins: str, **fields: object) -> int:
    with studio.transaction() as session:
        return appointments.create_appointment(
            session,
            title="Shoot",
            start=START,
            end=START + dt.timedelta(hours=1),
            users=[Assign(login) for login in logins],
            **fields,  # type: ignore[arg-type]
        ).id


def test_load_gives_only_the_users_own_appointments(studio: Studio, users: dict[str, int]) -> None:
    mine, theirs = _book(studio, "a"), _book(studio, "b")
    calendar = DbStudioCalendar(studio.sessions)
    loaded = calendar.load(users["a"], [mine, theirs, 999])
    assert list(loaded) == [mine]
    assert loaded[mine].title == "Shoot" and isinstance(loaded[mine].span, TimedSpan)


def test_feed_changes_reach_the_engine(studio: Studio, users: dict[str, int]) -> None:
    calendar = DbStudioCalendar(studio.sessions)
    head = calendar.feed_head()
    booked = _book(studio, "a")
    assert [(c.appointment_id, c.kind) for c in calendar.changes_since(users["a"], head)] == [
        (booked, "insert")
    ]


def test_creating_from_an_event_is_idempotent(studio: Studio, users: dict[str, int]) -> None:
    calendar = DbStudioCalendar(studio.sessions)
    first = calendar.create(users["a"], DRAFT, "evt123")
    again = calendar.create(users["a"], DRAFT, "evt123")
    assert first.id == again.id
    with studio.transaction() as session:
        made = session.get(Appointment, first.id)
        assert made is not None and made.origin is Origin.GOOGLE and made.type == "Google"
        assert made.user_ids == {users["a"]} and made.time_zone == "Europe/Paris"


def test_all_day_drafts_become_all_day_appointments(studio: Studio, users: dict[str, int]) -> None:
    calendar = DbStudioCalendar(studio.sessions)
    span = AllDaySpan(dt.date(2026, 12, 24), dt.date(2026, 12, 26), "UTC")
    made = calendar.create(users["a"], AppointmentDraft("Holiday", span, "confirmed", "", ""), "e2")
    assert made.span == span


def test_updates_are_refused_when_the_version_moved_on(
    studio: Studio, users: dict[str, int]
) -> None:
    calendar = DbStudioCalendar(studio.sessions)
    booked = calendar.load(users["a"], [_book(studio, "a")])
    record = next(iter(booked.values()))
    assert calendar.update(users["a"], record.id, record.version + 1, DRAFT) is None
    changed = calendar.update(users["a"], record.id, record.version, DRAFT)
    assert changed is not None and changed.title == "Dentist" and changed.notes == "bring card"


def test_deleting_a_shared_appointment_only_unassigns_the_user(
    studio: Studio, users: dict[str, int]
) -> None:
    calendar = DbStudioCalendar(studio.sessions)
    shared = _book(studio, "a", "b")
    version = calendar.load(users["a"], [shared])[shared].version
    assert calendar.delete(users["a"], shared, version) is True
    assert calendar.load(users["a"], [shared]) == {}
    assert shared in calendar.load(users["b"], [shared])
    alone = _book(studio, "a")
    stale = calendar.load(users["a"], [alone])[alone].version - 1
    assert calendar.delete(users["a"], alone, stale) is False
    assert calendar.delete(users["a"], alone, stale + 1) is True
    with studio.transaction() as session:
        assert session.get(Appointment, alone) is None


def test_populate_pages_by_id_and_skips_cancelled(studio: Studio, users: dict[str, int]) -> None:
    booked = [_book(studio, "a") for _ in range(5)]
    with studio.transaction() as session:
        appointments.cancel_appointment(session, booked[2])
    calendar = DbStudioCalendar(studio.sessions)
    first = calendar.appointments_from(users["a"], None, None, 2)
    rest = calendar.appointments_from(users["a"], None, first[-1].id, 10)
    assert [a.id for a in first + rest] == [booked[0], booked[1], booked[3], booked[4]]
    assert calendar.appointments_from(users["a"], dt.date(2027, 1, 1), None, 10) == []


def test_contacts_match_by_email_and_never_lose_data(studio: Studio, users: dict[str, int]) -> None:
    with studio.transaction() as session:
        jane = clients.create_client(
            session, name="Jane", emails=["jane@example.com"], phones=["1"]
        ).id
        group = clients.list_groups(session)[0][0].id
    side = DbStudioClients(studio.sessions)
    assert side.find_by_email(["JANE@example.com", "x@example.com"]) == jane
    assert side.find_by_email([]) is None
    side.save(group, jane, ClientDraft("Jane Doe", ("jane2@example.com", "bad"), ("2",)))
    made = side.save(group, None, ClientDraft("Bob", ("bob@example.com",), ()))
    with studio.transaction() as session:
        found = {c.name: c for c in clients.list_clients(session, group="Google")}
        assert found["Jane Doe"].emails == ["jane@example.com", "jane2@example.com"]
        assert found["Jane Doe"].phones == ["1", "2"]
        assert found["Bob"].id == made
