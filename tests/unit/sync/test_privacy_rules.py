"""The privacy choice on the memory provider: what each event shows, and what a change rewrites."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sync_fakes import timed
from sync_world import World

from studiosync.providers.base import EventTime
from studiosync.sync.privacy import BUSY_SUMMARY
from studiosync.sync.records import AllDaySpan, ClientInfo, Side

CLIENT = ClientInfo("Sofia Rossi", phone="555 0100", email="sofia@example.com")
CONTACT = "Phone: 555 0100\nEmail: sofia@example.com"


def _choose(world: World, privacy: str) -> None:
    """The user's Google tab: every appointment now carries the choice (no new version)."""
    for row in world.studio.rows.values():
        row.appointment = replace(row.appointment, privacy=privacy)


def test_a_privacy_change_rewrites_future_events_and_leaves_past_ones() -> None:
    world = World()  # now is 1 March 2024, 09:00 UTC
    world.sync()
    past = world.studio.book(
        [1], title="Rossi portraits", client=CLIENT, notes="Bring the dog", span=timed(7, day=1)
    )
    yesterday = world.studio.book(
        [1], title="Ng proofs", client=CLIENT,
        span=AllDaySpan(dt.date(2024, 2, 29), dt.date(2024, 3, 1), "Europe/London"),
    )  # fmt: skip
    future = world.studio.book(
        [1], title="Ng wedding", client=CLIENT, notes="Two cameras", span=timed(10, day=4)
    )
    ongoing = world.studio.book(
        [1], title="Lee family", client=CLIENT, span=timed(8, day=1, minutes=120)
    )
    assert world.sync().counts.pushed == 4
    before = {e.id: e for e in world.account(1).events()}

    _choose(world, "busy")
    result = world.sync(populate_google=True)
    assert result.ok and result.counts.pushed_updated == 2, result.counts
    events = {e.id: e for e in world.account(1).events()}
    by_appointment = {int(e.private["studiosyncAppointment"]): e for e in events.values()}
    for kept in (past, yesterday):  # over already: left as they were
        event = by_appointment[kept.id]
        assert event == before[event.id]
        assert CONTACT in event.description
    for rewritten in (future, ongoing):  # not over yet: busy only
        event = by_appointment[rewritten.id]
        assert event.summary == BUSY_SUMMARY
        assert event.description == "" and event.location == ""
    assert world.sync().counts.pushed_updated == 0, "nothing left to rewrite"


def test_an_event_made_on_the_phone_keeps_its_words_but_gets_no_client_when_hidden() -> None:
    world = World()
    world.sync()
    google = world.account(1)
    span = timed(14, day=5)
    made = google.google_create(
        "primary",
        summary="Coffee with Sofia",
        description="Talk about the album",
        start=EventTime(date_time=span.start),
        end=EventTime(date_time=span.end),
        time_zone="Europe/London",
    )
    assert world.sync().counts.pulled_new == 1
    [appointment] = world.studio.of_user(1)
    assert appointment.origin is Side.GOOGLE

    world.studio.edit(appointment.id, client=CLIENT)  # the studio attaches the client
    world.sync()
    full = google.get_event("primary", made.id)
    assert full.description == f"Talk about the album\n\n{CONTACT}", "full: the studio adds it"

    for choice in ("hide-client", "busy"):
        world.studio.edit(appointment.id, client=None)
        _choose(world, choice)
        world.studio.edit(appointment.id, client=CLIENT)
        assert world.sync(populate_google=True).ok
        hidden = google.get_event("primary", made.id)
        assert (hidden.summary, hidden.description) == (
            "Coffee with Sofia",
            "Talk about the album",
        ), choice
        assert "Sofia Rossi" not in hidden.description and "555 0100" not in hidden.description
        assert world.sync().counts.pushed_updated == 0

    google.google_edit("primary", made.id, description="Talk about the album and the frames")
    assert world.sync().ok
    [back] = world.studio.of_user(1)
    assert back.notes == "Talk about the album and the frames"
    assert back.client == CLIENT
