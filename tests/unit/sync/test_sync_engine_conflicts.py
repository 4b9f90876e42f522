"""Conflicts, the bulk-delete guard, full resyncs, and adopting events never recorded."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sync_fakes import timed
from sync_world import World
from test_sync_engine_push_pull import google_event, started

from studiosync.errors import ErrorCode, ProviderError, TransientError
from studiosync.providers.base import EventTime
from studiosync.providers.memory import Call
from studiosync.sync import mapping as m
from studiosync.sync.fields import FieldRules, Owner
from studiosync.sync.options import BulkDeleteGuard
from studiosync.sync.records import ClientInfo, ConflictReason, Side


def _both_edited(world: World, *, same_field: bool) -> tuple[int, str]:
    """An appointment synced, then edited in the studio and in Google (Google last).

    The studio changes the time (``same_field``) or the notes; Google changes the time.
    """
    booked = world.studio.book([1], title="Base")
    world.sync()
    (event,) = world.account(1).events()
    world.clock.tick(60)
    if same_field:
        world.studio.edit(booked.id, span=timed(12))
    else:
        world.studio.edit(booked.id, notes="studio notes")
    world.clock.tick(60)
    moved = timed(17)
    world.account(1).google_edit(
        "primary",
        event.id,
        start=EventTime(date_time=moved.start),
        end=EventTime(date_time=moved.end),
    )
    return booked.id, event.id


@pytest.mark.parametrize(
    ("owner", "winner"),
    [(Owner.STUDIO, Side.STUDIO), (Owner.GOOGLE, Side.GOOGLE), (Owner.NEWEST, Side.GOOGLE)],
)
def test_a_field_changed_on_both_sides_follows_its_rule_and_the_loser_is_logged(
    owner: Owner, winner: Side
) -> None:
    world = started(World())
    appointment_id, event_id = _both_edited(world, same_field=True)
    rules = FieldRules(time=owner)
    result = world.sync(fields=rules)
    assert result.counts.conflicts == 1
    (record,) = world.state.conflicts(1)
    assert (record.winner, record.reason) == (winner, ConflictReason.BOTH_CHANGED)
    assert record.fields == ("time",)
    (event,) = world.account(1).events()
    appointment = world.studio.rows[appointment_id].appointment
    assert event.start is not None and event.start.date_time == appointment.span.start
    if winner is Side.STUDIO:
        assert appointment.span == timed(12)
        assert record.losing_event is not None and record.losing_event.id == event_id
        assert record.losing_content is not None
        assert record.losing_content.span.start == timed(17).start
    else:
        assert appointment.span.start == timed(17).start
        assert record.losing_appointment is not None
        assert record.losing_appointment.span == timed(12)
    assert world.sync(fields=rules).counts.conflicts == 0


def test_each_losing_field_is_logged_with_its_own_reason() -> None:
    """The time changed on both sides; the title only in Google, where the studio owns it."""
    world = started(World())
    _appointment_id, event_id = _both_edited(world, same_field=True)
    world.account(1).google_edit("primary", event_id, summary="Retitled on the phone")
    world.sync(fields=FieldRules(time=Owner.STUDIO, title=Owner.STUDIO))
    logged = {(r.reason, r.fields, r.winner) for r in world.state.conflicts(1)}
    assert logged == {
        (ConflictReason.BOTH_CHANGED, ("time",), Side.STUDIO),
        (ConflictReason.STUDIO_OWNS_FIELD, ("title",), Side.STUDIO),
    }


@pytest.mark.parametrize("owner", list(Owner))
def test_different_fields_changed_on_each_side_are_both_kept_without_a_conflict(
    owner: Owner,
) -> None:
    world = started(World())
    appointment_id, _event_id = _both_edited(world, same_field=False)
    result = world.sync(fields=FieldRules(time=Owner.GOOGLE, notes=owner))
    assert result.counts.conflicts == 0 and world.state.conflicts(1) == []
    (event,) = world.account(1).events()
    appointment = world.studio.rows[appointment_id].appointment
    assert appointment.notes == "studio notes" and appointment.span == timed(17)
    assert event.description == "studio notes"
    assert event.start is not None and event.start.date_time == timed(17).start


def test_newest_wins_keeps_a_later_studio_edit() -> None:
    world = started(World())
    booked = world.studio.book([1], title="Base")
    world.sync()
    (event,) = world.account(1).events()
    world.account(1).google_edit("primary", event.id, summary="google title")
    world.clock.tick(120)
    world.studio.edit(booked.id, title="studio title")
    world.sync(fields=FieldRules.everywhere(Owner.NEWEST))
    assert [e.summary for e in world.account(1).events()] == ["studio title"]


def test_deleted_in_the_studio_but_edited_in_google() -> None:
    world = started(World())
    booked = world.studio.book([1], title="Base")
    world.sync()
    (event,) = world.account(1).events()
    world.studio.remove(booked.id)
    world.account(1).google_edit("primary", event.id, summary="kept busy")
    world.sync(fields=FieldRules.everywhere(Owner.NEWEST))  # an edit beats a deletion
    (back,) = world.studio.of_user(1)
    assert back.title == "kept busy"
    (record,) = world.state.conflicts(1)
    assert record.winner is Side.GOOGLE and record.losing_content is None


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    world = started(World())
    booked = world.studio.book([1], title="Base")
    world.sync()
    (event,) = world.account(1).events()
    world.studio.edit(booked.id, title="Same")
    world.account(1).google_edit("primary", event.id, summary="Same")
    result = world.sync()
    assert result.counts.conflicts == 0 and world.state.conflicts(1) == []


def test_bulk_delete_guard_stops_until_confirmed() -> None:
    world = started(World())
    booked = [world.studio.book([1], title=f"#{n}") for n in range(30)]
    world.sync()
    for item in booked[:20]:
        world.studio.remove(item.id)
    stopped = world.sync()
    assert stopped.stopped is ErrorCode.SYNC_BULK_DELETE_GUARD
    assert stopped.needs_bulk_delete_confirmation
    assert stopped.errors[0].params["deletes"] == 20
    assert len(world.account(1).events()) == 30
    assert world.sync().stopped is ErrorCode.SYNC_BULK_DELETE_GUARD  # still waiting
    done = world.sync(confirm_bulk_delete=True)
    assert done.ok and done.counts.pushed_deleted == 20
    assert len(world.account(1).events()) == 10


def test_bulk_delete_guard_watches_the_studio_side_too() -> None:
    world = started(World())
    google = world.account(1)
    events = [google_event(google, 8, day=1 + n % 28, summary=f"g{n}") for n in range(24)]
    world.sync()
    for event in events:
        google.google_delete("primary", event.id)
    result = world.sync(bulk_delete=BulkDeleteGuard(ratio=0.5, minimum=20))
    assert result.stopped is ErrorCode.SYNC_BULK_DELETE_GUARD
    assert result.errors[0].params["side"] == "studio"
    assert len(world.studio.of_user(1)) == 24


def test_expired_sync_token_resyncs_without_duplicates_or_spurious_deletes() -> None:
    world = started(World())
    google = world.account(1)
    for hour in (8, 9, 10):
        google_event(google, hour)
    world.studio.book([1], title="Ours")
    world.sync()
    assert len(world.studio.of_user(1)) == 4 and len(google.events()) == 4
    gone = google.events()[0]
    google.google_delete("primary", gone.id)
    world.clock.tick(3600)
    google_event(google, 15, summary="made while away")
    google.expire_sync_tokens()
    result = world.sync()
    assert result.full_resync
    assert ErrorCode.SYNC_FULL_RESYNC in [entry.code for entry in result.log]
    titles = sorted(item.title for item in world.studio.of_user(1))
    assert titles == ["Google 10", "Google 9", "Ours", "made while away"]
    assert len(google.events()) == 4
    assert world.sync().counts == type(result.counts)()


def test_a_full_resync_after_losing_the_mappings_adopts_our_events() -> None:
    world = started(World())
    for n in range(3):
        world.studio.book([1], title=f"#{n}")
    world.sync()
    from studiosync.sync.memory_state import MemoryStateStore

    cursors = world.state.cursors(1)
    world.state = MemoryStateStore()
    world.state.save_cursors(1, cursors)
    world.account(1).expire_sync_tokens()
    for item in world.studio.of_user(1):
        world.studio.edit(item.id, notes="touched")
    result = world.sync()
    assert len(world.account(1).events()) == 3
    assert result.counts.pushed == 0 and result.counts.pushed_updated == 3
    assert {e.description for e in world.account(1).events()} == {"touched"}


def test_an_insert_whose_answer_was_lost_is_adopted_not_duplicated() -> None:
    world = started(World())
    world.studio.book([1], title="Once")

    def lose_answers(call: Call) -> ProviderError | None:
        if call.method == "batch" and call.phase == "after":
            raise RuntimeError("the process died")
        return None

    world.fault(1, lose_answers)
    with pytest.raises(RuntimeError):
        world.sync()
    world.fault(1, None)
    result = world.sync()
    assert len(world.account(1).events()) == 1
    assert ErrorCode.SYNC_ADOPTED_EVENT in [entry.code for entry in result.log]
    assert world.sync().counts == type(result.counts)()


def test_a_dropped_answer_after_insert_is_retried_into_a_409_and_adopted() -> None:
    world = started(World())
    world.studio.book([1], title="Once")
    dropped: list[str] = []

    def drop_first_answer(call: Call) -> ProviderError | None:
        if call.method == "insert" and call.phase == "after" and not dropped:
            dropped.append(call.event_id or "")
            return TransientError(ErrorCode.PROVIDER_UNAVAILABLE, reason="connection reset")
        return None

    world.fault(1, drop_first_answer)
    result = world.sync()
    assert dropped and len(world.account(1).events()) == 1
    assert ErrorCode.SYNC_ADOPTED_EVENT in [entry.code for entry in result.log]


def test_an_etag_race_is_read_again_and_merged_field_by_field() -> None:
    world = started(World())
    booked = world.studio.book([1], title="Base")
    world.sync()
    (event,) = world.account(1).events()
    world.studio.edit(booked.id, title="studio edit")
    google = world.account(1)

    def race(call: Call) -> ProviderError | None:
        if call.method == "update" and call.phase == "before" and not raced:
            raced.append(1)
            google.google_edit("primary", event.id, description="edited meanwhile")
        return None

    raced: list[int] = []
    world.fault(1, race)
    result = world.sync()
    assert raced and result.counts.conflicts == 0 and world.state.conflicts(1) == []
    (now,) = google.events()
    assert now.summary == "studio edit" and now.description == "edited meanwhile"
    assert world.studio.rows[booked.id].appointment.notes == "edited meanwhile"


def test_one_way_sync_overwrites_google_edits_but_keeps_them_in_the_log() -> None:
    world = started(World(), two_way=False)
    booked = world.studio.book([1], title="Base")
    world.sync(two_way=False)
    (event,) = world.account(1).events()
    world.account(1).google_edit("primary", event.id, summary="phone edit")
    world.studio.edit(booked.id, title="studio edit")
    world.sync(two_way=False, fields=FieldRules.everywhere(Owner.GOOGLE))
    assert [e.summary for e in world.account(1).events()] == ["studio edit"]
    (record,) = world.state.conflicts(1)
    assert record.winner is Side.STUDIO
    assert record.losing_content is not None and record.losing_content.summary == "phone edit"


def test_an_event_deleted_in_google_while_edited_in_the_studio_comes_back() -> None:
    world = started(World())
    booked = world.studio.book([1], title="Base")
    world.sync()
    (event,) = world.account(1).events()
    world.account(1).google_delete("primary", event.id)
    world.studio.edit(booked.id, title="still on")
    world.sync()
    (back,) = world.account(1).events()
    assert back.id == event.id and back.summary == "still on"
    settled = world.sync()
    assert settled.plan is not None and list(settled.plan.actions) == []


def test_google_deleting_the_event_again_is_a_new_conflict_in_the_log() -> None:
    world = started(World())
    booked = world.studio.book([1], title="Base")
    world.sync()
    for title in ("first edit", "second edit"):
        (event,) = world.account(1).events()
        world.account(1).google_delete("primary", event.id)
        world.studio.edit(booked.id, title=title)
        assert world.sync().counts.conflicts == 1
        assert [e.summary for e in world.account(1).events()] == [title]
    records = world.state.conflicts(1)
    assert [(r.winner, r.losing_content) for r in records] == [(Side.STUDIO, None)] * 2
    assert [r.winning_content.summary for r in records if r.winning_content] == [
        "first edit",
        "second edit",
    ]


def test_the_same_losing_google_edit_made_twice_is_logged_twice() -> None:
    world = started(World())
    booked = world.studio.book([1], title="Base")
    world.sync()
    (event,) = world.account(1).events()
    moved = timed(17)
    for hour in (11, 12):  # the phone moves it to 17:00 each time, the studio elsewhere
        world.account(1).google_edit(
            "primary",
            event.id,
            start=EventTime(date_time=moved.start),
            end=EventTime(date_time=moved.end),
        )
        world.studio.edit(booked.id, span=timed(hour))
        world.sync(fields=FieldRules(time=Owner.STUDIO))
    records = world.state.conflicts(1)
    assert len(records) == 2
    assert {r.losing_content.span.start for r in records if r.losing_content} == {moved.start}
    (now,) = world.account(1).events()
    assert now.start is not None and now.start.date_time == timed(12).start  # the studio won


def test_a_conflict_decided_again_after_its_write_failed_is_logged_once() -> None:
    world = started(World())
    booked = world.studio.book([1], title="Base")
    world.sync()
    (event,) = world.account(1).events()
    world.account(1).google_edit("primary", event.id, summary="phone title")
    world.studio.edit(booked.id, notes="studio notes")

    def unavailable(call: Call) -> ProviderError | None:
        if call.method == "update" and call.phase == "before":
            return TransientError(ErrorCode.PROVIDER_UNAVAILABLE, reason="503")
        return None

    world.fault(1, unavailable)
    assert world.sync().counts.conflicts == 1
    world.fault(1, None)
    assert world.sync().counts.conflicts == 1  # decided again: the write is still owed
    (record,) = world.state.conflicts(1)
    assert record.losing_content is not None and record.losing_content.summary == "phone title"
    (now,) = world.account(1).events()
    assert (now.summary, now.description) == ("Base", "studio notes")


def test_a_link_from_before_field_hashes_takes_a_phone_move_without_a_conflict() -> None:
    """An upgraded studio: links without field hashes, events worded the old way."""
    world = started(World())
    booked = world.studio.book([1], title="Base", client=ClientInfo("Jane Doe"))
    world.sync()
    google = world.account(1)
    (event,) = google.events()
    old_words = replace(m.read_event(event), summary="Portrait – Jane Doe")
    google.google_edit("primary", event.id, summary=old_words.summary)
    (event,) = google.events()
    [link] = world.state.all_mappings(1)
    world.state.put_mapping(
        1,
        replace(
            link,
            etag=event.etag,
            content_hash=old_words.fingerprint(),
            wording_hash=old_words.wording_fingerprint(),
            fields=None,
        ),
    )
    moved = timed(15)
    google.google_edit(
        "primary",
        event.id,
        start=EventTime(date_time=moved.start),
        end=EventTime(date_time=moved.end),
    )
    result = world.sync()
    assert result.counts.conflicts == 0 and world.state.conflicts(1) == []
    assert world.studio.rows[booked.id].appointment.span == moved
    (now,) = google.events()
    assert now.summary == "Base"  # the studio's new wording replaces the old one
    assert now.start is not None and now.start.date_time == moved.start


def test_a_phone_edit_racing_a_pulls_write_back_is_newer_than_the_studio_edit() -> None:
    """Newest wins by when people edited, not when the sync wrote the studio.

    The studio moves the time, then the phone retitles (Google owns the title): the run takes
    Google's title into the studio and writes the studio's time back. Before that write the
    phone moves the time too: the phone's move is the newer edit of the time, although the
    sync's own write to the studio is no older.
    """
    rules = FieldRules(title=Owner.GOOGLE, time=Owner.NEWEST)
    world = started(World(), fields=rules)
    booked = world.studio.book([1], title="Base")
    world.sync(fields=rules)
    (event,) = world.account(1).events()
    world.clock.tick(60)
    world.studio.edit(booked.id, span=timed(12))
    world.clock.tick(60)
    google = world.account(1)
    google.google_edit("primary", event.id, summary="phone title")
    moved = timed(17)

    def race(call: Call) -> ProviderError | None:
        if call.method == "update" and call.phase == "before" and not raced:
            raced.append(1)  # at the moment of the sync's write to the studio, not after it
            google.google_edit(
                "primary",
                event.id,
                start=EventTime(date_time=moved.start),
                end=EventTime(date_time=moved.end),
            )
        return None

    raced: list[int] = []
    world.fault(1, race)
    assert world.sync(fields=rules).ok
    world.fault(1, None)
    assert raced
    kept = world.studio.rows[booked.id].appointment
    assert (kept.title, kept.span.start) == ("phone title", moved.start)
    (record,) = world.state.conflicts(1)
    assert (record.winner, record.fields) == (Side.GOOGLE, ("time",))
    assert record.losing_content is not None
    assert record.losing_content.span.start == timed(12).start
    (now,) = google.events()
    assert now.summary == "phone title" and now.start == EventTime(date_time=moved.start)
