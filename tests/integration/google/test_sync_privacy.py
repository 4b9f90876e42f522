"""Each user chooses what goes to Google: full details, no client, or busy only.

Observation: photographers share calendars with family, and many studios do not want client
names on a personal phone. The choice applies to what the studio writes; changing it rewrites
the user's future events on the next run (paced like Populate) while the studio keeps everything.
"""

from __future__ import annotations

import datetime as dt
import json

from google_world import Desk

from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio.google_options import google_settings


def test_the_privacy_choice_decides_what_google_shows_and_a_change_rewrites_events(
    studio: Studio, google: SandboxHandle, endpoints: GoogleEndpoints
) -> None:
    desk = Desk(studio, google, endpoints)
    maya = desk.link("maya", two_way=True)
    desk.sync(maya)
    client = desk.client("Sofia Rossi", email="sofia@example.com", phone="555 0100")
    soon = desk.clock.now().replace(microsecond=0) + dt.timedelta(days=2)
    booked = desk.book(
        maya, title="Rossi portraits", client=client, notes="Bring the dog", location="Garden",
        start=soon,
    )  # fmt: skip
    assert desk.sync(maya).ok
    event_id = desk.event_id(maya, booked)
    full = json.dumps(desk.event(maya, event_id))
    assert "Bring the dog" in full and "555 0100" in full and "sofia@example.com" in full

    desk.options("maya", privacy="hide-client")
    assert desk.sync(maya).ok
    hidden = desk.event(maya, event_id)
    assert hidden["summary"] == "Rossi portraits" and "Garden" in hidden.get("location", "")
    for secret in ("Sofia", "sofia@example.com", "555 0100", "Bring the dog"):
        assert secret not in json.dumps(hidden), secret

    desk.options("maya", privacy="busy")
    later = desk.book(maya, title="Ng wedding", client=client, hours=3, start=soon)
    assert desk.sync(maya).ok
    for appointment in (booked, later):
        busy = desk.event(maya, desk.event_id(maya, appointment))
        assert busy["summary"] == "Busy \u2014 Studio"
        assert not busy.get("description") and not busy.get("location")
    with studio.transaction() as session:
        assert google_settings(session, "maya").populate_google is False  # done: unchecked

    desk.change_event(  # the phone moves the busy slot: the time comes back, nothing else
        maya,
        event_id,
        start={"dateTime": "2026-12-01T15:00:00Z"},
        end={"dateTime": "2026-12-01T16:00:00Z"},
    )
    assert desk.sync(maya).ok
    kept = desk.appointment(booked)
    assert kept is not None and kept.start_at.hour == 15
    assert (kept.title, kept.notes, kept.location) == ("Rossi portraits", "Bring the dog", "Garden")
    assert kept.client is not None and kept.client.name == "Sofia Rossi"
    desk.quiet(maya)


def test_a_privacy_change_leaves_past_events_and_phone_events_keep_their_words(
    studio: Studio, google: SandboxHandle, endpoints: GoogleEndpoints
) -> None:
    desk = Desk(studio, google, endpoints)
    maya = desk.link("maya", two_way=True)
    desk.sync(maya)
    client = desk.client("Sofia Rossi", email="sofia@example.com", phone="555 0100")
    now = desk.clock.now().replace(microsecond=0)
    past = desk.book(maya, title="Rossi proofs", client=client, start=now - dt.timedelta(days=2))
    future = desk.book(maya, title="Rossi album", client=client, start=now + dt.timedelta(days=2))
    coffee = desk.add_event(
        maya,
        "Coffee with Sofia",
        description="Talk about the frames",
        start={"dateTime": (now + dt.timedelta(days=3)).isoformat()},
        end={"dateTime": (now + dt.timedelta(days=3, hours=1)).isoformat()},
    )
    assert desk.sync(maya).ok
    [made] = [a for a in desk.appointments_of(maya) if a.title == "Coffee with Sofia"]
    desk.edit(made.id, client=client)  # the studio attaches the client it was with
    assert desk.sync(maya).ok
    assert "555 0100" in desk.event(maya, coffee["id"])["description"]
    before = desk.event(maya, desk.event_id(maya, past))

    desk.options("maya", privacy="hide-client")
    assert desk.sync(maya).ok
    assert desk.event(maya, desk.event_id(maya, past)) == before, "over already: left alone"
    assert "sofia@example.com" not in json.dumps(desk.event(maya, desk.event_id(maya, future)))
    phone = desk.event(maya, coffee["id"])
    assert (phone["summary"], phone["description"]) == (
        "Coffee with Sofia",
        "Talk about the frames",
    )
    desk.quiet(maya)
    kept = desk.appointment(made.id)
    assert kept is not None and kept.client is not None and kept.notes == "Talk about the frames"
