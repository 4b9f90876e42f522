"""The Control Center logs: filtered and worded lines, and rounds pruned after the retention."""

from __future__ import annotations

import datetime as dt

from control_world import START, ScriptedSyncer, add_user, make_processor, ready_job
from sqlalchemy import func, select

from studiosync.clock import FakeClock
from studiosync.context import Studio
from studiosync.control import history
from studiosync.control.models import EmailedProblem, LogLine, Run, UserRun
from studiosync.errors import ErrorCode
from studiosync.sync.result import ItemName, Level, RunResult


def _bad_event(studio: Studio, user_id: int) -> RunResult:
    result = RunResult(user_id=user_id)
    result.add(Level.INFO, ErrorCode.SYNC_FULL_RESYNC, kind="calendar")
    result.add(
        Level.WARNING,
        ErrorCode.SYNC_BAD_EVENT_SKIPPED,
        event_id="evt9",
        about=ItemName("Team lunch", dt.datetime(2026, 12, 3, 12, 30, tzinfo=dt.UTC)),
        reason="no end",
    )
    return result


def _round_at(studio: Studio, clock: FakeClock, syncer: ScriptedSyncer) -> int | None:
    with studio.transaction() as session:
        ready_job(session, due=clock.now())
    outcome = make_processor(studio, syncer, clock).tick()
    return outcome.run_id if outcome else None


def _count(studio: Studio, table: type) -> int:
    with studio.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_log_lines_are_filtered_and_worded(studio: Studio, clock: FakeClock) -> None:
    with studio.transaction() as session:
        maya = add_user(session, "maya")
        add_user(session, "off", enabled=False)
    syncer = ScriptedSyncer(script={maya: _bad_event})
    first = _round_at(studio, clock, syncer)
    clock.advance(hours=1)
    second = _round_at(studio, clock, syncer)

    with studio.transaction() as session:
        everything = history.read_lines(session)
        warnings = history.read_lines(session, level="warning")
        mine = history.read_lines(session, user_id=maya, run_id=second)
        recent = history.read_lines(session, since=START + dt.timedelta(minutes=30))
        newest = history.read_lines(session, limit=2)

    assert {line.run_id for line in everything} == {first, second}
    assert {line.code for line in warnings} == {
        ErrorCode.SYNC_BAD_EVENT_SKIPPED.value,
        ErrorCode.EMAIL_NOT_CONFIGURED.value,  # the Email tab is empty: said on the round
    }
    [worded, *_] = warnings
    assert worded.user == "maya"
    assert worded.item == "“Team lunch”, Thu 3 Dec 2026 at 12:30"  # by title and time
    assert worded.title == "A Google event was put aside"
    assert "“Team lunch”" in worded.cause and "no end" in worded.cause
    assert "evt9" not in worded.cause
    assert worded.fix.startswith("Open the event in Google Calendar")
    assert [line.code for line in mine] == [
        ErrorCode.SYNC_ROUND_SUMMARY.value,
        ErrorCode.SYNC_FULL_RESYNC.value,
        ErrorCode.SYNC_BAD_EVENT_SKIPPED.value,
        ErrorCode.EMAIL_NOT_CONFIGURED.value,
    ]
    assert {line.run_id for line in recent} == {second}
    assert [line.id for line in newest] == [line.id for line in everything[-2:]]
    skipped = [line for line in everything if line.code == ErrorCode.CONTROL_SYNC_DISABLED.value]
    assert skipped and skipped[0].user == "off"


def test_prune_removes_rounds_past_the_retention_with_their_lines(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        maya = add_user(session, "maya")
    syncer = ScriptedSyncer(script={maya: _bad_event})
    clock.set(START - dt.timedelta(days=31))
    old = _round_at(studio, clock, syncer)
    with studio.transaction() as session:
        session.add(EmailedProblem(user_id=maya, code="sync.full_resync", sent_at=clock.now()))
    clock.set(START - dt.timedelta(days=29))
    kept = _round_at(studio, clock, syncer)

    with studio.transaction() as session:
        assert history.prune(session, START, retention_days=30) == 1
        assert set(session.scalars(select(Run.id))) == {kept}
        assert set(session.scalars(select(UserRun.run_id))) == {kept}
        assert set(session.scalars(select(LogLine.run_id))) == {kept}
        assert session.scalar(select(func.count()).select_from(EmailedProblem)) == 0
        assert old not in set(session.scalars(select(Run.id)))


def test_the_processor_prunes_once_a_day(studio: Studio, clock: FakeClock) -> None:
    with studio.transaction() as session:
        add_user(session, "maya")
    syncer = ScriptedSyncer()
    clock.set(START - dt.timedelta(days=40))
    _round_at(studio, clock, syncer)  # its prune finds nothing old; the next is due in a day

    clock.set(START)
    _round_at(studio, clock, syncer)  # prunes the 40-day-old round, then runs
    assert _count(studio, Run) == 1

    clock.set(START - dt.timedelta(days=35))
    _round_at(studio, clock, syncer)  # an old round appears (a clock set back, say)
    clock.set(START + dt.timedelta(hours=20))
    _round_at(studio, clock, syncer)
    assert _count(studio, Run) == 3  # pruned less than a day ago: not yet

    clock.set(START + dt.timedelta(days=1, seconds=1))
    _round_at(studio, clock, syncer)
    assert _count(studio, Run) == 3  # the old one went, this round came
    with studio.transaction() as session:
        oldest = session.scalar(select(func.min(Run.started_at)))
    assert oldest == START
