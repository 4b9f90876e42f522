"""Every edit kept, over the real stack: titles, field ownership, and Google's size limits."""

from __future__ import annotations

import pytest
from google_world import START, Desk, Linked, logged

from studiosync.errors import ErrorCode
from studiosync.studio import people
from studiosync.studio.models import ResourceKind
from studiosync.sync.compose import MAX_DESCRIPTION, MAX_LOCATION, MAX_SUMMARY, NOTES_MARKER
from studiosync.syncstate.field_settings import set_google_fields

pytestmark = pytest.mark.shared_sandbox  # one sandbox Google per module

AT_15 = {"dateTime": "2026-12-01T15:00:00Z"}
AT_16 = {"dateTime": "2026-12-01T16:00:00Z"}


def _google_fields(desk: Desk, template: str | None = None, **owners: str) -> None:
    with desk.studio.transaction() as session:
        set_google_fields(session, summary_template=template, owners=owners)


def _room(desk: Desk, name: str) -> None:
    with desk.studio.transaction() as session:
        people.create_resource(session, kind=ResourceKind.ROOM, name=name)


def test_the_title_reaches_google_and_the_studio_s_template_words_it(
    desk: Desk, maya: Linked
) -> None:
    desk.client("Sofia Rossi", email="sofia@example.com")
    _room(desk, "Studio A")
    plain = desk.book(maya, title="Rivera family session", type="Session", client="Sofia Rossi")
    assert desk.sync(maya).counts.pushed == 1
    assert desk.event(maya, desk.event_id(maya, plain))["summary"] == "Rivera family session"
    _google_fields(desk, "{title} – {client} ({room})")
    worded = desk.book(
        maya, title="Rivera family session", client="Sofia Rossi", resources=["Studio A"]
    )
    bare = desk.book(maya, title="Passport photos")  # no client, no room: left out, no dangling
    assert desk.sync(maya).counts.pushed == 2
    assert (
        desk.event(maya, desk.event_id(maya, worded))["summary"]
        == "Rivera family session – Sofia Rossi (Studio A)"
    )
    assert desk.event(maya, desk.event_id(maya, bare))["summary"] == "Passport photos"
    desk.change_event(maya, desk.event_id(maya, worded), start=AT_15, end=AT_16)
    moved = desk.sync(maya)  # the worded summary reads back as the title it was made from
    assert moved.ok and moved.counts.conflicts == 0 and moved.counts.pulled_updated == 1
    kept = desk.appointment(worded)
    assert kept is not None and kept.title == "Rivera family session"
    desk.quiet(maya)


def test_phone_edits_of_place_and_notes_come_back_and_are_no_conflict(
    desk: Desk, maya: Linked
) -> None:
    booked = desk.book(maya, title="Portrait", location="12 High Street", notes="Bring the dog")
    desk.sync(maya)
    event_id = desk.event_id(maya, booked)
    desk.change_event(maya, event_id, location="Riverside Park", description="Outdoor, bring rug")
    result = desk.sync(maya)
    assert result.ok and result.counts.pulled_updated == 1 and result.counts.conflicts == 0
    kept = desk.appointment(booked)
    assert kept is not None
    assert (kept.location, kept.notes) == ("Riverside Park", "Outdoor, bring rug")
    event = desk.event(maya, event_id)  # not reverted
    assert (event["location"], event["description"]) == ("Riverside Park", "Outdoor, bring rug")
    assert desk.conflicts(maya) == []
    desk.quiet(maya)


def test_the_same_field_changed_on_both_sides_follows_its_rule(desk: Desk, maya: Linked) -> None:
    booked = desk.book(maya, title="Portrait", location="12 High Street", notes="Ours")
    desk.sync(maya)
    event_id = desk.event_id(maya, booked)
    desk.edit(booked, location="Studio basement", notes="Studio notes")
    desk.change_event(maya, event_id, location="Riverside Park")
    result = desk.sync(maya)  # location: Google's edits accepted (the default)
    assert result.ok and result.counts.conflicts == 1
    kept = desk.appointment(booked)
    assert kept is not None and (kept.location, kept.notes) == ("Riverside Park", "Studio notes")
    event = desk.event(maya, event_id)
    assert (event["location"], event["description"]) == ("Riverside Park", "Studio notes")
    [conflict] = desk.conflicts(maya)
    assert (conflict.reason, conflict.winner, conflict.fields) == (
        "both_changed",
        "google",
        "location",
    )
    assert conflict.losing is not None and conflict.losing["location"] == "Studio basement"
    assert logged(result, ErrorCode.SYNC_CONFLICT_RECORDED)[0]["fields"] == "location"
    desk.quiet(maya)


def test_a_field_the_studio_owns_is_written_back_and_google_s_edit_kept_in_the_log(
    desk: Desk, maya: Linked
) -> None:
    _google_fields(desk, location="studio")
    booked = desk.book(maya, title="Portrait", location="12 High Street")
    desk.sync(maya)
    event_id = desk.event_id(maya, booked)
    desk.change_event(maya, event_id, location="Riverside Park", description="Phone notes")
    result = desk.sync(maya)
    assert result.ok and result.counts.conflicts == 1
    kept = desk.appointment(booked)
    assert kept is not None and (kept.location, kept.notes) == ("12 High Street", "Phone notes")
    assert desk.event(maya, event_id)["location"] == "12 High Street"
    [conflict] = desk.conflicts(maya)
    assert (conflict.reason, conflict.winner, conflict.fields) == (
        "studio_owns_field",
        "studio",
        "location",
    )
    desk.quiet(maya)


def test_long_notes_are_cut_for_google_and_kept_whole_in_the_studio(
    desk: Desk, maya: Linked
) -> None:
    desk.client("Sofia Rossi", phone="+39 06 555 0100")
    notes = "".join(f"Line {n}: lighting, poses, props.\n" for n in range(3000))
    assert len(notes) > MAX_DESCRIPTION
    booked = desk.book(maya, title="Portrait", client="Sofia Rossi", notes=notes)
    assert desk.sync(maya).counts.pushed == 1
    event_id = desk.event_id(maya, booked)
    description = desk.event(maya, event_id)["description"]
    assert len(description) <= MAX_DESCRIPTION
    assert NOTES_MARKER + "\n\nPhone: +39 06 555 0100" in description
    desk.change_event(maya, event_id, start=AT_15, end=AT_16)
    moved = desk.sync(maya)  # the phone's move comes back; the full notes stay whole
    assert moved.ok and moved.counts.skipped == 0 and moved.counts.pulled_updated == 1
    kept = desk.appointment(booked)
    assert kept is not None and kept.notes == notes.strip()
    assert kept.start_at == START.replace(hour=15)
    desk.quiet(maya)
    desk.change_event(maya, event_id, description="Shorter notes from the phone")
    rewritten = desk.sync(maya)  # the phone changed the notes: now they are the phone's
    assert rewritten.ok and rewritten.counts.pulled_updated == 1
    kept = desk.appointment(booked)
    assert kept is not None and kept.notes == "Shorter notes from the phone"
    desk.quiet(maya)


def test_summaries_and_locations_the_studio_composes_fit_google_s_limits(
    desk: Desk, maya: Linked
) -> None:
    desk.client("S" * 200)
    _room(desk, "Studio A")
    _google_fields(desk, "{title} – {client}")
    booked = desk.book(
        maya, title="T" * 300, client="S" * 200, location="x" * 500, resources=["Studio A"]
    )
    assert desk.sync(maya).counts.pushed == 1
    event_id = desk.event_id(maya, booked)
    event = desk.event(maya, event_id)
    assert len(event["summary"]) <= MAX_SUMMARY and event["summary"].endswith("…")
    assert len(event["location"]) <= MAX_LOCATION and event["location"].startswith("Studio A, ")
    desk.change_event(maya, event_id, start=AT_15, end=AT_16)
    moved = desk.sync(maya)
    assert moved.ok and moved.counts.skipped == 0 and moved.counts.pulled_updated == 1
    kept = desk.appointment(booked)
    assert kept is not None and (kept.title, kept.location) == ("T" * 300, "x" * 500)
    assert kept.start_at == START.replace(hour=15) and desk.conflicts(maya) == []
    desk.quiet(maya)


def test_a_new_phone_event_never_loses_its_words(desk: Desk, maya: Linked) -> None:
    made = desk.add_event(maya, "Dentist", location="Main St", description="Bring card")
    assert desk.sync(maya).counts.pulled_new == 1
    desk.change_event(maya, made["id"], summary="Dentist (moved)", location="Side St")
    assert desk.sync(maya).counts.pulled_updated == 1
    [pulled] = [a for a in desk.appointments_of(maya) if a.type == "Google"]
    assert (pulled.title, pulled.location, pulled.notes) == (
        "Dentist (moved)",
        "Side St",
        "Bring card",
    )
    assert desk.event(maya, made["id"])["summary"] == "Dentist (moved)"
    desk.quiet(maya)
