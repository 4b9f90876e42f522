"""Both sides changed, over the real stack: field rules, the conflict log, races, deletions."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from google_world import START, Desk, Linked, logged

from studiosync.errors import ErrorCode

pytestmark = pytest.mark.shared_sandbox  # one sandbox Google per module

BATCH = "/batch/calendar/v3"
AT_13 = {"dateTime": "2026-12-01T13:00:00Z"}
AT_14 = {"dateTime": "2026-12-01T14:00:00Z"}
AT_15 = {"dateTime": "2026-12-01T15:00:00Z"}
AT_16 = {"dateTime": "2026-12-01T16:00:00Z"}


def _synced(desk: Desk, maya: Linked) -> tuple[int, str]:
    booked = desk.book(maya, title="Portrait", notes="Studio notes")
    assert desk.sync(maya).counts.pushed == 1
    return booked, desk.event_id(maya, booked)


def _studio_moves(desk: Desk, booked: int) -> None:
    desk.edit(booked, start=START.replace(hour=13), end=START.replace(hour=14))


def _phone_moves(desk: Desk, maya: Linked, event_id: str) -> None:
    desk.change_event(maya, event_id, start=AT_15, end=AT_16, description="Phone notes")


def _when(desk: Desk, booked: int) -> dt.datetime:
    appointment = desk.appointment(booked)
    assert appointment is not None
    return appointment.start_at


def test_a_time_the_studio_owns_stays_and_google_s_version_is_kept(
    desk: Desk, maya: Linked
) -> None:
    desk.owners(time="studio", notes="studio")
    booked, event_id = _synced(desk, maya)
    _studio_moves(desk, booked)
    _phone_moves(desk, maya, event_id)
    result = desk.sync(maya)
    assert result.ok and result.counts.conflicts == 2  # one losing change per reason
    said = logged(result, ErrorCode.SYNC_CONFLICT_RECORDED)
    assert {entry["winner"] for entry in said} == {"studio"}
    event = desk.event(maya, event_id)
    assert (
        event["start"]["dateTime"] == AT_13["dateTime"] and event["description"] == "Studio notes"
    )
    assert _when(desk, booked) == START.replace(hour=13)
    both, owned = desk.conflicts(maya)
    for conflict in (both, owned):
        assert (conflict.winner, conflict.appointment_id) == ("studio", booked)
        assert conflict.losing is not None and conflict.winning is not None
        assert conflict.losing["description"] == "Phone notes"
        assert conflict.losing["span"]["start"].startswith("2026-12-01 15:00")
        assert conflict.losing["event"]["etag"]
        assert conflict.winning["span"]["start"].startswith("2026-12-01 13:00")
    # the time moved on both sides; the notes changed on the phone only, but the studio owns them
    assert (both.reason, both.fields) == ("both_changed", "time")
    assert (owned.reason, owned.fields) == ("studio_owns_field", "notes")
    desk.quiet(maya)


def test_google_wins_a_time_changed_on_both_sides_by_default(desk: Desk, maya: Linked) -> None:
    booked, event_id = _synced(desk, maya)
    _studio_moves(desk, booked)
    _phone_moves(desk, maya, event_id)
    result = desk.sync(maya)
    assert result.ok and result.counts.conflicts >= 1
    assert _when(desk, booked) == START.replace(hour=15)
    assert desk.event(maya, event_id)["start"]["dateTime"] == AT_15["dateTime"]
    both = [c for c in desk.conflicts(maya) if c.reason == "both_changed"]
    assert [c.winner for c in both] == ["google"]
    losing = both[0].losing
    assert losing is not None and losing["span"]["start"].startswith("2026-12-01 13:00")
    assert losing["appointment"]["id"] == booked
    desk.quiet(maya)


def test_newest_wins_goes_by_the_later_edit(desk: Desk, maya: Linked) -> None:
    desk.owner_everywhere("newest")
    phone_last, phone_event = _synced(desk, maya)
    studio_last, studio_event = _synced(desk, maya)
    _phone_moves(desk, maya, studio_event)
    _studio_moves(desk, phone_last)
    time.sleep(0.01)
    _studio_moves(desk, studio_last)  # after the phone's edit of the same event
    desk.google.advance_clock(60)  # the phone's edit is clearly the later one
    _phone_moves(desk, maya, phone_event)
    result = desk.sync(maya)
    assert result.ok
    assert _when(desk, phone_last) == START.replace(hour=15)
    assert desk.event(maya, phone_event)["start"]["dateTime"] == AT_15["dateTime"]
    assert _when(desk, studio_last) == START.replace(hour=13)
    assert desk.event(maya, studio_event)["start"]["dateTime"] == AT_13["dateTime"]
    winners = {
        c.appointment_id: c.winner for c in desk.conflicts(maya) if c.reason == "both_changed"
    }
    assert winners == {phone_last: "google", studio_last: "studio"}
    desk.quiet(maya)


def test_under_newest_wins_an_edit_beats_a_deletion_on_either_side(
    desk: Desk, maya: Linked
) -> None:
    desk.owner_everywhere("newest")
    removed_in_studio, edited_on_phone = _synced(desk, maya)
    edited_in_studio, removed_on_phone = _synced(desk, maya)
    desk.remove(removed_in_studio)
    _phone_moves(desk, maya, edited_on_phone)
    _studio_moves(desk, edited_in_studio)
    desk.drop_event(maya, removed_on_phone)
    result = desk.sync(maya)
    assert result.ok
    assert desk.event(maya, edited_on_phone)["status"] == "confirmed"  # Google's edit stays
    revived = [a for a in desk.appointments_of(maya) if a.id != edited_in_studio]
    assert len(revived) == 1 and revived[0].start_at == START.replace(hour=15)
    assert desk.links(maya)[revived[0].id] == edited_on_phone
    back = desk.event(maya, removed_on_phone)  # the studio's edit brings its event back
    assert back["status"] == "confirmed" and back["start"]["dateTime"] == AT_13["dateTime"]
    assert len(desk.events(maya)) == 2
    assert {c.winner for c in desk.conflicts(maya)} == {"google", "studio"}
    desk.quiet(maya)


def _edit_while_the_batch_waits(desk: Desk, edit: Callable[[], Any]) -> threading.Thread:
    """Hold the next batch for a moment and make ``edit`` on the phone meanwhile.

    The run has read Google already, so its write carries the etag it read: Google answers 412.
    """
    desk.google.add_fault(path=BATCH, method="POST", delay_ms=1500, count=1)

    def wait_then_edit() -> None:
        deadline = time.monotonic() + 20
        while desk.google.admin("GET", "/faults")["faults"] and time.monotonic() < deadline:
            time.sleep(0.02)  # the rule retires when the batch meets it
        edit()

    thread = threading.Thread(target=wait_then_edit, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize(("owner", "winner_hour"), [("studio", 13), ("google", 15)])
def test_an_event_edited_between_read_and_write_is_decided_again(
    desk: Desk, maya: Linked, owner: str, winner_hour: int
) -> None:
    desk.owners(time=owner)
    booked, event_id = _synced(desk, maya)
    _studio_moves(desk, booked)
    desk.phone(maya)  # signed in beforehand, so the edit fits in the pause
    editor = _edit_while_the_batch_waits(desk, lambda: _phone_moves(desk, maya, event_id))
    result = desk.sync(maya)
    editor.join(5)
    assert result.ok, result.log
    assert desk.google.count("PATCH", "/calendar/v3/calendars/{calendarId}/events/{eventId}", 412)
    assert _when(desk, booked) == START.replace(hour=winner_hour)
    assert desk.event(maya, event_id)["start"]["dateTime"].startswith(f"2026-12-01T{winner_hour}")
    assert [c.reason for c in desk.conflicts(maya)][:1] == ["both_changed"]
    desk.quiet(maya)


def test_one_way_sync_still_notices_a_phone_edit_through_the_etag(desk: Desk) -> None:
    theo = desk.link("theo")
    desk.sync(theo)
    booked, event_id = _synced(desk, theo)
    _phone_moves(desk, theo, event_id)
    _studio_moves(desk, booked)
    result = desk.sync(theo)
    assert result.ok and result.counts.pushed_updated == 1 and result.counts.conflicts == 2
    assert desk.event(theo, event_id)["start"]["dateTime"] == AT_13["dateTime"]
    records = desk.conflicts(theo)
    assert [(c.reason, c.fields) for c in records] == [
        ("both_changed", "time"),
        ("studio_owns_field", "notes"),
    ]
    for conflict in records:
        assert conflict.winner == "studio" and conflict.losing is not None
        assert conflict.losing["description"] == "Phone notes"


def _many(desk: Desk, user: Linked, count: int) -> list[int]:
    made = [desk.book(user, title=f"Session {n}") for n in range(count)]
    assert desk.sync(user).counts.pushed == count
    return made


def test_deleting_most_of_the_calendar_waits_for_confirmation(desk: Desk, maya: Linked) -> None:
    made = _many(desk, maya, 30)
    for appointment in made[:20]:
        desk.remove(appointment)
    for _ in range(2):  # it keeps stopping, and changes nothing, until confirmed
        stopped = desk.sync(maya)
        assert stopped.stopped is ErrorCode.SYNC_BULK_DELETE_GUARD
        assert stopped.needs_bulk_delete_confirmation
        [params] = [dict(e.params) for e in stopped.errors]
        assert (params["deletes"], params["mapped"], params["side"]) == (20, 30, "google")
        assert len(desk.events(maya)) == 30
    confirmed = desk.sync(maya, confirm_bulk_delete=True)
    assert confirmed.ok and confirmed.counts.pushed_deleted == 20
    assert len(desk.events(maya)) == 10
    desk.quiet(maya)


def test_a_phone_deleting_most_events_is_stopped_too_and_small_deletions_pass(
    desk: Desk, maya: Linked
) -> None:
    made = _many(desk, maya, 24)
    for appointment in made[:21]:
        desk.drop_event(maya, desk.event_id(maya, appointment))
    stopped = desk.sync(maya)
    assert stopped.stopped is ErrorCode.SYNC_BULK_DELETE_GUARD
    assert dict(stopped.errors[0].params)["side"] == "studio"
    assert len(desk.appointments_of(maya)) == 24
    assert desk.sync(maya, confirm_bulk_delete=True).counts.pulled_deleted == 21
    assert len(desk.appointments_of(maya)) == 3
    theo = desk.link("theo")
    desk.sync(theo)
    few = _many(desk, theo, 20)
    for appointment in few[:19]:  # most of them, but fewer than 20
        desk.remove(appointment)
    small = desk.sync(theo)
    assert small.ok and small.counts.pushed_deleted == 19
