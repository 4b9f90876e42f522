"""Google events made into appointments again: once per import, taking over nothing older.

When Google's version of an event wins over an appointment that left the user, the event becomes
a new appointment and keeps its id; later imports and the first appointment's return must
neither take over another appointment nor stall on that id.
"""

from __future__ import annotations

import pytest
from sync_fakes import timed
from sync_world import World
from test_sync_engine_push_pull import google_event, started

from studiosync.errors import ErrorCode
from studiosync.providers.base import EventTime
from studiosync.sync.fields import FieldRules, Owner
from studiosync.sync.records import AppointmentDraft, ConflictReason, Side, StudioAppointment

GOOGLE_WINS = {"fields": FieldRules.everywhere(Owner.GOOGLE)}


def _every_event_linked_once(world: World, user_id: int = 1) -> None:
    """No duplicates: each live event and each appointment of the user in exactly one link."""
    links = world.state.all_mappings(user_id)
    events = sorted(event.id for event in world.account(user_id).events())
    assert events == sorted(link.event_id for link in links)
    appointments = sorted(item.id for item in world.studio.of_user(user_id))
    assert appointments == sorted(link.appointment_id for link in links)


def _sync_both(world: World, **options: object) -> None:
    for user_id in (1, 2):
        assert world.sync(user_id, **options).ok


def test_an_event_won_by_google_again_becomes_a_new_appointment_not_an_older_one() -> None:
    """The studio made B from event E; B left the user and came back with an event of its own.

    When Google's edit of E wins again (over C, made from E meanwhile and now removed), E must
    become a new appointment: B, an earlier import of E, keeps its own event and its content.
    """
    world = started(started(World(), 2))
    google = world.account(1)
    event = google_event(google, 9, summary="from the phone")
    world.sync(**GOOGLE_WINS)
    (first,) = world.studio.of_user(1)
    world.studio.assign(first.id, [2])
    world.clock.tick(60)
    google.google_edit("primary", event.id, summary="edited while it moved")
    _sync_both(world, **GOOGLE_WINS)  # Google wins over the move: E comes back as C
    (second,) = world.studio.of_user(1)
    assert second.id != first.id and second.title == "edited while it moved"

    world.studio.assign(first.id, [1])  # back to user 1, who gets an event for it
    world.studio.remove(second.id)
    world.clock.tick(60)
    google.google_edit("primary", event.id, summary="edited once more")
    _sync_both(world, **GOOGLE_WINS)

    titles = sorted(item.title for item in world.studio.of_user(1))
    assert titles == ["edited once more", "from the phone"]
    assert sorted(e.summary for e in google.events()) == ["edited once more", "from the phone"]
    link = world.state.mappings_by_event(1, [event.id])[event.id]
    assert link.appointment_id not in (first.id, second.id)
    _every_event_linked_once(world)
    last = world.state.conflicts(1)[-1]
    assert (last.appointment_id, last.winner, last.losing_content) == (second.id, Side.GOOGLE, None)


def test_an_event_restored_from_the_trash_does_not_take_over_its_first_appointment() -> None:
    """E made B; E was deleted while B was edited (B won and got its own event); E is restored."""
    world = started(World())
    google = world.account(1)
    event = google_event(google, 9, summary="from the phone")
    world.sync()
    (made,) = world.studio.of_user(1)
    google.google_delete("primary", event.id)
    world.clock.tick(60)
    world.studio.edit(made.id, title="kept and edited")
    newest = {"fields": FieldRules.everywhere(Owner.NEWEST)}
    world.sync(**newest)  # an edit beats a deletion: B gets an event of its own
    assert [e.summary for e in google.events()] == ["kept and edited"]

    google.google_restore("primary", event.id)
    world.sync(**newest)

    by_title = {item.title: item for item in world.studio.of_user(1)}
    assert sorted(by_title) == ["from the phone", "kept and edited"]
    assert world.state.mappings_by_event(1, [event.id])[event.id].appointment_id != made.id
    assert sorted(e.summary for e in google.events()) == ["from the phone", "kept and edited"]
    _every_event_linked_once(world)


def test_an_appointment_made_before_the_run_stopped_is_linked_not_duplicated() -> None:
    world = started(World())
    google = world.account(1)
    google_event(google, 9, summary="from the phone")
    create = world.studio.create

    def stop_after_the_studio_write(
        user_id: int, draft: AppointmentDraft, import_key: str
    ) -> StudioAppointment:
        create(user_id, draft, import_key)
        raise RuntimeError("the sync process died")

    world.studio.create = stop_after_the_studio_write  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        world.sync()
    world.studio.create = create  # type: ignore[method-assign]
    result = world.sync()

    assert [item.title for item in world.studio.of_user(1)] == ["from the phone"]
    assert [event.summary for event in google.events()] == ["from the phone"]
    assert result.counts.pushed_new == 0
    _every_event_linked_once(world)
    assert world.sync().counts == type(result.counts)()


def test_google_winning_over_a_moved_appointment_twice_keeps_both_versions() -> None:
    """An appointment moved away and back twice while the phone edits its event each time."""
    world = started(started(World(), 2))
    booked = world.studio.book([1], title="Shoot", span=timed(10))
    world.sync(**GOOGLE_WINS)
    (event,) = world.account(1).events()
    for round_, hour in enumerate((14, 16), start=1):
        world.studio.assign(booked.id, [2])
        world.clock.tick(60)
        moved = timed(hour)
        world.account(1).google_edit(
            "primary",
            event.id,
            start=EventTime(date_time=moved.start),
            end=EventTime(date_time=moved.end),
        )
        _sync_both(world, **GOOGLE_WINS)
        starts = sorted(item.span.start.hour for item in world.studio.of_user(1))
        assert starts == [14, 16][:round_]  # each win is an appointment of its own
        world.studio.assign(booked.id, [1])
        _sync_both(world, **GOOGLE_WINS)
        link = world.state.mappings_by_appointment(1, [booked.id])[booked.id]
        assert link.event_id != event.id  # the old event went to the winning version
        event = world.account(1).get_event("primary", link.event_id)
    assert len(world.studio.of_user(1)) == 3
    _every_event_linked_once(world)
    reasons = {(record.reason, record.winner) for record in world.state.conflicts(1)}
    assert reasons == {(ConflictReason.BOTH_CHANGED, Side.GOOGLE)}


def test_an_appointment_back_whose_event_id_went_to_a_google_version_gets_a_new_one() -> None:
    """A's event E became appointment B (Google won); B was edited, then removed; A comes back."""
    world = started(started(World(), 2))
    booked = world.studio.book([2], title="Shoot")
    world.sync(2, **GOOGLE_WINS)
    google = world.account(2)
    (event,) = google.events()
    world.studio.assign(booked.id, [1])
    world.clock.tick(60)
    google.google_edit("primary", event.id, summary="kept on the phone")
    _sync_both(world, **GOOGLE_WINS)
    (copy,) = world.studio.of_user(2)
    world.studio.edit(copy.id, span=timed(15))  # written to E, which now names B
    _sync_both(world, **GOOGLE_WINS)
    assert google.get_event("primary", event.id).private["studiosyncAppointment"] == str(copy.id)
    world.studio.remove(copy.id)
    _sync_both(world, **GOOGLE_WINS)
    assert google.events() == []

    world.studio.assign(booked.id, [2])
    result = world.sync(2, **GOOGLE_WINS)

    assert ErrorCode.SYNC_ITEM_REFUSED not in [entry.code for entry in result.log]
    (back,) = google.events()
    assert back.id != event.id and back.summary == "Shoot"
    assert world.state.mappings_by_appointment(2, [booked.id])[booked.id].event_id == back.id
    _every_event_linked_once(world, 2)
