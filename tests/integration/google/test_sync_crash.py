"""A run that dies after Google (or the studio) answered but before recording it: no duplicates."""

from __future__ import annotations

import pytest
from google_world import Desk, logged

from studiosync.errors import ErrorCode

pytestmark = pytest.mark.shared_sandbox  # one sandbox Google per module

EVENTS_TEMPLATE = "/calendar/v3/calendars/{calendarId}/events"
EVENT_TEMPLATE = "/calendar/v3/calendars/{calendarId}/events/{eventId}"


@pytest.mark.parametrize("two_way", [False, True], ids=["found-by-409", "found-by-listing"])
def test_events_google_accepted_but_never_recorded_are_adopted(desk: Desk, two_way: bool) -> None:
    maya = desk.link("maya", two_way=two_way)
    desk.sync(maya)
    booked = [desk.book(maya, title=f"Session {n}") for n in range(3)]
    before = desk.remember(maya)
    assert desk.sync(maya).counts.pushed == 3
    desk.crash_back_to(maya, before)  # Google has the events; the studio recorded nothing
    desk.edit(booked[2], notes="Changed after the crash")
    desk.google.clear_stats()
    result = desk.sync(maya)
    assert result.ok and result.counts.pushed == 0
    # One-way, the inserts meet 409 (our ids are taken) and the events are read; two-way, the
    # listing since the old token shows them and they are linked without writing.
    assert desk.google.count("POST", EVENTS_TEMPLATE, 409) == (0 if two_way else 3)
    adopted = logged(result, ErrorCode.SYNC_ADOPTED_EVENT)
    assert sorted(entry["appointment_id"] for entry in adopted) == booked[:2]
    assert result.counts.pushed_updated == 1  # the one edited meanwhile: the studio's version
    events = desk.events(maya)
    assert sorted(e["id"] for e in events) == sorted(desk.event_id(maya, a) for a in booked)
    assert desk.event(maya, desk.event_id(maya, booked[2]))["description"] == (
        "Changed after the crash"
    )
    assert desk.links(maya) == {a: desk.event_id(maya, a) for a in booked}
    desk.quiet(maya)


def test_appointments_made_from_google_but_never_linked_are_not_made_twice(desk: Desk) -> None:
    maya = desk.link("maya", two_way=True)
    desk.sync(maya)
    for n in range(2):
        desk.add_event(maya, f"Phone {n}")
    before = desk.remember(maya)
    assert desk.sync(maya).counts.pulled == 2
    made = sorted(a.id for a in desk.appointments_of(maya))
    desk.crash_back_to(maya, before)  # the appointments exist; the links and token do not
    result = desk.sync(maya)
    assert result.ok
    assert sorted(a.id for a in desk.appointments_of(maya)) == made
    assert len(desk.events(maya)) == 2  # their own feed entries made no second events
    assert sorted(desk.links(maya)) == made
    desk.quiet(maya)


def test_an_event_already_holding_our_id_is_linked_not_duplicated(desk: Desk) -> None:
    maya = desk.link("maya")
    desk.sync(maya)
    booked = desk.book(maya, title="Portrait")
    event_id = desk.event_id(maya, booked)
    desk.phone(maya).insert(  # as an earlier, unrecorded run of ours left it
        calendarId=maya.email,
        body={
            "id": event_id,
            "summary": "Portrait",
            "start": {"dateTime": "2026-12-01T10:00:00Z", "timeZone": "Europe/London"},
            "end": {"dateTime": "2026-12-01T11:00:00Z", "timeZone": "Europe/London"},
            "extendedProperties": {
                "private": {
                    "studiosyncAppointment": str(booked),
                    "studiosyncStudio": desk.tag(),
                    "studiosyncUser": str(maya.user_id),
                }
            },
        },
    ).execute()
    result = desk.sync(maya)
    assert result.ok and result.counts.pushed == 0
    assert [e["id"] for e in desk.events(maya)] == [event_id]
    assert desk.links(maya) == {booked: event_id}
    assert logged(result, ErrorCode.SYNC_ADOPTED_EVENT)
