"""Syncs between rounds: a booking, a Google notification or "Sync now" syncs the user soon."""

from __future__ import annotations

import datetime as dt
import threading

from control_world import START, ScriptedSyncer, add_user, make_processor, ready_job
from sqlalchemy import select

from studiosync.clock import FakeClock
from studiosync.context import Studio
from studiosync.control import locks
from studiosync.control.models import Run, SyncRequest, UserRun
from studiosync.control.ondemand import ON_REQUEST
from studiosync.control.requests import Reason, request_sync, take_requests, waiting
from studiosync.studio import appointments
from studiosync.studio.appointments import Assign
from studiosync.syncstate.models import SyncMapping


def _book(studio: Studio, login: str) -> int:
    with studio.transaction() as session:
        return appointments.create_appointment(
            session,
            title="Rivera family session",
            start=START + dt.timedelta(days=1),
            end=START + dt.timedelta(days=1, hours=1),
            users=[Assign(login)],
        ).id


def _runs(studio: Studio) -> list[tuple[str, list[int]]]:
    with studio.transaction() as session:
        runs = session.scalars(select(Run).order_by(Run.id)).all()
        return [
            (
                run.mode,
                sorted(session.scalars(select(UserRun.user_id).where(UserRun.run_id == run.id))),
            )
            for run in runs
        ]


def test_asking_twice_before_the_processor_comes_is_one_sync(studio: Studio) -> None:
    with studio.transaction() as session:
        maya = add_user(session, "maya")
        request_sync(session, [maya], Reason.BY_HAND, START)
        request_sync(session, [maya, maya], Reason.GOOGLE, START + dt.timedelta(seconds=5))
    with studio.transaction() as session:
        assert waiting(session) == {maya: START}
        assert take_requests(session) == {maya: Reason.BY_HAND}
        assert take_requests(session) == {}


def test_a_booking_syncs_its_photographer_between_rounds(studio: Studio, clock: FakeClock) -> None:
    with studio.transaction() as session:
        maya = add_user(session, "maya")
        theo = add_user(session, "theo")
        ready_job(session, due=START + dt.timedelta(hours=1))  # no round due now
    syncer = ScriptedSyncer()
    requested = make_processor(studio, syncer, clock).requested()
    assert requested.step(threading.Event()) == 0  # the first look only notes where the feed is

    _book(studio, "maya")
    assert requested.step(threading.Event()) == 1

    assert dict(syncer.calls) == {maya: 1}
    assert _runs(studio) == [(ON_REQUEST, [maya])]
    assert theo not in syncer.calls


def test_changes_the_sync_itself_wrote_ask_for_nothing(studio: Studio, clock: FakeClock) -> None:
    with studio.transaction() as session:
        maya = add_user(session, "maya")
        ready_job(session, due=START + dt.timedelta(hours=1))
    syncer = ScriptedSyncer()
    requested = make_processor(studio, syncer, clock).requested()
    requested.step(threading.Event())
    booked = _book(studio, "maya")
    with studio.transaction() as session:  # as a sync records what it carried
        version = appointments.get_appointment(session, booked).version
        session.add(
            SyncMapping(
                user_id=maya,
                appointment_id=booked,
                event_id="e1",
                etag="1",
                studio_version=version,
                content_hash="-",
                wording_hash="-",
                origin="google",
            )
        )

    assert requested.step(threading.Event()) == 0
    assert dict(syncer.calls) == {}


def test_users_who_cannot_sync_are_not_run_or_logged(studio: Studio, clock: FakeClock) -> None:
    with studio.transaction() as session:
        off = add_user(session, "off", enabled=False)
        unlinked = add_user(session, "unlinked", linked=False)
        request_sync(session, [off, unlinked], Reason.BY_HAND, START)
        ready_job(session, due=START + dt.timedelta(hours=1))
    syncer = ScriptedSyncer()

    assert make_processor(studio, syncer, clock).requested().step(threading.Event()) == 0
    assert dict(syncer.calls) == {}
    assert _runs(studio) == []
    with studio.transaction() as session:
        assert waiting(session) == {}


def test_a_user_a_round_holds_keeps_the_request_for_later(studio: Studio, clock: FakeClock) -> None:
    with studio.transaction() as session:
        maya = add_user(session, "maya")
        request_sync(session, [maya], Reason.GOOGLE, START)
        ready_job(session, due=START + dt.timedelta(hours=1))
        assert locks.take(
            session, locks.user_lock_name(maya), "desk-2/1/x", ttl=locks.USER_LOCK_TTL, now=START
        )
    syncer = ScriptedSyncer()
    requested = make_processor(studio, syncer, clock).requested()

    assert requested.step(threading.Event()) == 0
    with studio.transaction() as session:
        assert maya in waiting(session)
        locks.give_back(session, locks.user_lock_name(maya), "desk-2/1/x")
    assert requested.step(threading.Event()) == 1
    assert dict(syncer.calls) == {maya: 1}


def test_requests_wait_while_the_job_is_off_or_elsewhere(studio: Studio, clock: FakeClock) -> None:
    with studio.transaction() as session:
        maya = add_user(session, "maya")
        request_sync(session, [maya], Reason.BY_HAND, START)
        ready_job(session, computer="desk-2")
    syncer = ScriptedSyncer()

    assert make_processor(studio, syncer, clock).requested().step(threading.Event()) == 0
    assert dict(syncer.calls) == {}
    with studio.transaction() as session:
        assert session.get(SyncRequest, maya) is not None


def test_a_requested_sync_that_found_nothing_leaves_no_round_in_the_log(
    studio: Studio, clock: FakeClock
) -> None:
    from studiosync.control.models import UserSyncStatus
    from studiosync.sync.result import RunResult

    with studio.transaction() as session:
        maya = add_user(session, "maya")
        theo = add_user(session, "theo")
        request_sync(session, [maya], Reason.GOOGLE, START)
        ready_job(session, due=START + dt.timedelta(hours=1))
    syncer = ScriptedSyncer(script={maya: lambda _studio, user: RunResult(user_id=user)})
    requested = make_processor(studio, syncer, clock).requested()

    assert requested.step(threading.Event()) == 1
    assert _runs(studio) == []
    with studio.transaction() as session:
        status = session.get(UserSyncStatus, maya)
        assert status is not None and status.last_run_at == START

        request_sync(session, [theo], Reason.GOOGLE, START)  # theo's sync changes something
    assert requested.step(threading.Event()) == 1
    assert _runs(studio) == [(ON_REQUEST, [theo])]
