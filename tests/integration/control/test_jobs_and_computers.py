"""The job's settings (computer, enabled, schedule, run now) and computers checking in."""

from __future__ import annotations

import datetime as dt

import pytest
from control_world import START, ScriptedSyncer, add_user, make_processor, ready_job

from studiosync import db
from studiosync.clock import FakeClock
from studiosync.context import Studio
from studiosync.control import computers, jobs
from studiosync.control.models import Computer
from studiosync.errors import ErrorCode, InputError
from studiosync.notify.testing import unused_port


def test_the_calendar_sync_processor_job_is_there_disabled_with_no_computer(
    studio: Studio,
) -> None:
    with studio.transaction() as session:
        job = jobs.get_job(session)
        assert (job.name, job.enabled, job.computer, job.schedule) == (
            "Calendar Sync Processor",
            False,
            None,
            "every 5 minutes",
        )


def test_an_older_studio_s_job_is_renamed_unless_the_studio_named_it(studio: Studio) -> None:
    def name_after(old_name: str) -> str:
        db.downgrade(studio.engine, "0011")
        with studio.transaction() as session:
            jobs.get_job(session).name = old_name
        db.upgrade(studio.engine)
        with studio.transaction() as session:
            return jobs.get_job(session).name

    assert name_after("Google Sync Processor") == "Calendar Sync Processor"
    assert name_after("Front desk sync") == "Front desk sync"


def test_enabling_needs_a_computer_and_the_computer_must_have_checked_in(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session, pytest.raises(InputError) as no_computer:
        jobs.enable(session, clock.now())
    assert no_computer.value.code is ErrorCode.CONTROL_NO_COMPUTER

    with studio.transaction() as session, pytest.raises(InputError) as unknown:
        jobs.set_computer(session, "attic-pc")
    assert unknown.value.code is ErrorCode.CONTROL_UNKNOWN_COMPUTER
    assert unknown.value.params["known"] == "none yet"

    computers.heartbeat(studio, clock, name="Attic-PC")
    with studio.transaction() as session:
        job = jobs.set_computer(session, "attic-pc")
        assert job.computer == "Attic-PC"
        jobs.enable(session, clock.now())
        assert job.enabled and job.next_run_at == clock.now()
        assert jobs.set_computer(session, "ANY").computer == "any"


def test_a_schedule_change_is_validated_and_sets_the_next_run(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        for bad, code in [
            ("every 10 seconds", ErrorCode.CONTROL_SCHEDULE_TOO_OFTEN),
            ("0 0 31 2 *", ErrorCode.CONTROL_SCHEDULE_NEVER_FIRES),
            ("every day at noon", ErrorCode.CONTROL_SCHEDULE_INVALID),
        ]:
            with pytest.raises(InputError) as refused:
                jobs.set_schedule(session, bad, clock.now())
            assert refused.value.code is code
        job = jobs.set_schedule(session, "0 7 * * *", clock.now(), jitter=lambda limit: limit)
        # 07:00 in London on 2 December is 07:00 UTC; the jitter adds at most a minute
        assert job.next_run_at == dt.datetime(2026, 12, 2, 7, 1, tzinfo=dt.UTC)


def test_the_job_runs_only_on_its_computer_when_enabled_and_due(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        user = add_user(session, "maya")
        ready_job(session, computer="desk-2")
    syncer = ScriptedSyncer()
    here = make_processor(studio, syncer, clock, computer="desk-1")
    there = make_processor(studio, syncer, clock, computer="DESK-2")

    assert here.tick() is None
    first = there.tick()
    assert first is not None and syncer.calls[user] == 1
    with studio.transaction() as session:
        job = jobs.get_job(session)
        assert job.last_run_at == START
        assert job.next_run_at == START + dt.timedelta(minutes=5)

    clock.advance(minutes=4)
    assert there.tick() is None  # not due yet
    with studio.transaction() as session:
        jobs.run_now(session, clock.now())
    assert there.tick() is not None  # run-now: due at once

    with studio.transaction() as session:
        jobs.disable(session)
        with pytest.raises(InputError) as disabled:
            jobs.run_now(session, clock.now())
        assert disabled.value.code is ErrorCode.CONTROL_JOB_DISABLED
    clock.advance(hours=1)
    assert there.tick() is None
    assert syncer.calls[user] == 2


def test_a_heartbeat_records_the_computer_and_whether_google_answers(
    studio: Studio, clock: FakeClock
) -> None:
    online = computers.heartbeat(studio, clock)
    assert online.name == "desk-1"  # STUDIOSYNC_COMPUTER_NAME
    assert online.google_reachable and online.google_error is None

    dead_end = f"http://127.0.0.1:{unused_port()}/"
    studio.settings = studio.settings.model_copy(update={"sandbox_url": dead_end})
    clock.advance(minutes=1)
    offline = computers.heartbeat(studio, clock, name="laptop", timeout=1.0)
    assert not offline.google_reachable
    assert offline.google_error

    with studio.transaction() as session:
        seen = {row.name: row for row in computers.list_computers(session)}
        assert set(seen) == {"desk-1", "laptop"}
        assert computers.is_online(seen["desk-1"], clock.now())
        assert not computers.is_online(seen["laptop"], clock.now())  # on, but no Google
        assert computers.is_on(seen["laptop"], clock.now())
    clock.advance(minutes=10)
    assert not computers.is_on(seen["desk-1"], clock.now())  # silent too long: off


def test_the_processor_checks_in_once_a_minute(studio: Studio, clock: FakeClock) -> None:
    processor = make_processor(studio, ScriptedSyncer(), clock)
    processor.tick()
    clock.advance(seconds=30)
    processor.tick()
    with studio.transaction() as session:
        row = session.get(Computer, "desk-1")
        assert row is not None and row.last_seen_at == START
    clock.advance(seconds=31)
    processor.tick()
    with studio.transaction() as session:
        row = session.get(Computer, "desk-1")
        assert row is not None and row.last_seen_at == START + dt.timedelta(seconds=61)
