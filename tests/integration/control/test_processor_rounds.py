"""A processor round: who is synced, who is skipped and why, and what each outcome leaves behind."""

from __future__ import annotations

import datetime as dt
import threading

from control_world import START, ScriptedSyncer, add_user, make_processor, ready_job
from sqlalchemy import select

from studiosync.clock import FakeClock
from studiosync.context import Studio
from studiosync.control.models import LogLine, Run, UserRun, UserSyncStatus
from studiosync.errors import AuthError, ErrorCode
from studiosync.studio.models import GoogleSettings, User
from studiosync.sync.result import Level, RunResult


def _rows(studio: Studio, run_id: int) -> dict[str, UserRun]:
    with studio.transaction() as session:
        found = session.execute(
            select(User.login, UserRun)
            .join(User, User.id == UserRun.user_id)
            .where(UserRun.run_id == run_id)
        ).all()
        return {login: row for login, row in found}  # noqa: C416


def _codes(studio: Studio, run_id: int, user_id: int | None = None) -> list[str]:
    with studio.transaction() as session:
        query = (
            select(LogLine.code)
            .where(LogLine.run_id == run_id, LogLine.user_run_id.is_not(None))
            .order_by(LogLine.id)
        )
        if user_id is not None:
            query = query.where(LogLine.user_id == user_id)
        return list(session.scalars(query))


def test_a_round_syncs_ready_users_and_says_why_the_others_were_skipped(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        ready = add_user(session, "ready")
        add_user(session, "switched-off", enabled=False)
        add_user(session, "never-linked", linked=False)
        add_user(session, "password-changed", reauth=True)
        add_user(session, "no-calendar", calendar=None)
        paused = add_user(session, "paused")
        session.add(UserSyncStatus(user_id=paused, blocked_until=START + dt.timedelta(hours=3)))
        ready_job(session)
    syncer = ScriptedSyncer()

    outcome = make_processor(studio, syncer, clock).tick()

    assert outcome is not None
    assert dict(syncer.calls) == {ready: 1}
    rows = _rows(studio, outcome.run_id)
    assert rows["ready"].status == "ok"
    assert rows["ready"].counts["pushed_new"] == 1
    assert {login: row.reason for login, row in rows.items() if row.status == "skipped"} == {
        "switched-off": ErrorCode.CONTROL_SYNC_DISABLED.value,
        "never-linked": ErrorCode.GOOGLE_NOT_LINKED.value,
        "password-changed": ErrorCode.GOOGLE_REAUTH_NEEDED.value,
        "no-calendar": ErrorCode.GOOGLE_CALENDAR_NOT_SELECTED.value,
        "paused": ErrorCode.SYNC_PAUSED_FOR_QUOTA.value,
    }
    assert _codes(studio, outcome.run_id, paused) == [ErrorCode.SYNC_PAUSED_FOR_QUOTA.value]
    assert (outcome.users_ok, outcome.users_skipped) == (1, 5)

    clock.advance(hours=4)  # the quota pause is over by the next round
    later = make_processor(studio, syncer, clock).tick()
    assert later is not None
    assert syncer.calls[paused] == 1


def test_one_users_failure_never_stops_the_round_and_is_recorded_with_a_code(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        crashes = add_user(session, "crashes")
        refused = add_user(session, "refused")
        warned = add_user(session, "warned")
        quota = add_user(session, "quota")
        fine = add_user(session, "fine")
        ready_job(session)

    def crash(studio: Studio, user_id: int) -> RunResult:
        raise RuntimeError("the engine fell over")

    def auth(studio: Studio, user_id: int) -> RunResult:
        raise AuthError(ErrorCode.GOOGLE_REAUTH_NEEDED, google_email="r@gmail.test", reason="x")

    def warn(studio: Studio, user_id: int) -> RunResult:
        result = RunResult(user_id=user_id)
        result.add(Level.WARNING, ErrorCode.SYNC_BAD_EVENT_SKIPPED, event_id="ev1", reason="x")
        result.counts.pulled_new = 2
        return result

    def out_of_quota(studio: Studio, user_id: int) -> RunResult:
        result = RunResult(user_id=user_id, blocked_until=START + dt.timedelta(hours=6))
        result.stop(ErrorCode.PROVIDER_QUOTA_EXCEEDED)
        return result

    syncer = ScriptedSyncer(
        script={crashes: crash, refused: auth, warned: warn, quota: out_of_quota}
    )
    outcome = make_processor(studio, syncer, clock).tick()

    assert outcome is not None
    assert outcome.status == "error"
    assert syncer.calls[fine] == 1
    rows = _rows(studio, outcome.run_id)
    assert {login: (row.status, row.reason) for login, row in rows.items()} == {
        "crashes": ("error", ErrorCode.CONTROL_SYNCER_FAILED.value),
        "refused": ("error", ErrorCode.GOOGLE_REAUTH_NEEDED.value),
        "warned": ("warning", None),
        "quota": ("error", ErrorCode.PROVIDER_QUOTA_EXCEEDED.value),
        "fine": ("ok", None),
    }
    with studio.transaction() as session:
        said = select(LogLine).where(LogLine.code == ErrorCode.SYNC_ROUND_SUMMARY.value)
        summaries = {line.params["user"]: line for line in session.scalars(said)}
        of_run = select(LogLine).where(
            LogLine.user_run_id.is_not(None), LogLine.code != ErrorCode.SYNC_ROUND_SUMMARY.value
        )
        crash_line = session.scalars(of_run.where(LogLine.user_id == crashes)).one()
        warn_line = session.scalars(of_run.where(LogLine.user_id == warned)).one()
        status = session.get(UserSyncStatus, quota)
        assert status is not None
        blocked_until = status.blocked_until
    assert crash_line.level == "error"
    assert crash_line.params["error"] == "RuntimeError"
    assert crash_line.params["user"] == "crashes"
    assert (warn_line.level, warn_line.code, warn_line.event_id) == (
        "warning",
        ErrorCode.SYNC_BAD_EVENT_SKIPPED.value,
        "ev1",
    )
    assert rows["warned"].counts["pulled_new"] == 2
    assert set(summaries) == {"crashes", "refused", "warned", "quota", "fine"}, "one line each"
    assert summaries["warned"].params["counts"] == {"pulled_new": 2}
    assert summaries["quota"].params["stopped"] == ErrorCode.PROVIDER_QUOTA_EXCEEDED.value
    assert blocked_until == START + dt.timedelta(hours=6)

    clock.advance(minutes=10)
    again = make_processor(studio, syncer, clock).tick()
    assert again is not None
    assert syncer.calls[quota] == 1  # paused: not tried again before the time Google named
    assert _rows(studio, again.run_id)["quota"].reason == ErrorCode.SYNC_PAUSED_FOR_QUOTA.value


def test_finished_populates_uncheck_themselves_and_bulk_delete_waits_for_confirmation(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        filler = add_user(session, "filler", populate=True)
        guarded = add_user(session, "guarded")
        ready_job(session)

    def populated(studio: Studio, user_id: int) -> RunResult:
        return RunResult(user_id=user_id, clear_populate_google=True, clear_populate_studio=True)

    def bulk(studio: Studio, user_id: int) -> RunResult:
        result = RunResult(user_id=user_id, needs_bulk_delete_confirmation=True)
        result.stop(ErrorCode.SYNC_BULK_DELETE_GUARD, deletes=40, mapped=50, side="Google")
        return result

    make_processor(studio, ScriptedSyncer(script={filler: populated, guarded: bulk}), clock).tick()

    with studio.transaction() as session:
        tab = session.get(GoogleSettings, filler)
        status = session.get(UserSyncStatus, guarded)
        assert tab is not None and status is not None
        assert (tab.populate_google, tab.populate_studio) == (False, False)
        assert status.needs_bulk_delete_confirmation is True
        assert status.last_error_code == ErrorCode.SYNC_BULK_DELETE_GUARD.value


def test_an_enabled_user_without_a_warnings_address_is_synced_with_a_warning(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        quiet = add_user(session, "quiet", warnings_email="", email_warnings=False)
        ready_job(session)
    syncer = ScriptedSyncer()
    outcome = make_processor(studio, syncer, clock).tick()
    assert outcome is not None
    assert syncer.calls[quiet] == 1
    assert _codes(studio, outcome.run_id, quiet) == [
        ErrorCode.WARNINGS_ADDRESS_REQUIRED.value,
        ErrorCode.SYNC_ROUND_SUMMARY.value,
    ]
    assert outcome.status == "warning"


def test_users_are_synced_a_few_at_a_time(studio: Studio, clock: FakeClock) -> None:
    with studio.transaction() as session:
        users = [add_user(session, f"user{number}") for number in range(6)]
        ready_job(session)
    syncer = ScriptedSyncer(delay=0.15)
    outcome = make_processor(studio, syncer, clock, concurrency=2).tick()
    assert outcome is not None
    assert outcome.users_ok == 6
    assert all(syncer.calls[user] == 1 for user in users)
    assert syncer.most_at_once == 2


def test_every_round_is_kept_with_its_duration(studio: Studio, clock: FakeClock) -> None:
    with studio.transaction() as session:
        add_user(session, "solo")
        ready_job(session)
    processor = make_processor(studio, ScriptedSyncer(), clock)
    first = processor.tick()
    clock.advance(minutes=5)
    second = processor.tick()
    assert first is not None and second is not None
    with studio.transaction() as session:
        runs = list(session.scalars(select(Run).order_by(Run.id)))
    assert [run.id for run in runs] == [first.run_id, second.run_id]
    assert all(run.status == "ok" and run.duration_seconds == 0.0 for run in runs)
    assert runs[1].started_at - runs[0].started_at == dt.timedelta(minutes=5)


def test_a_stop_request_lets_running_users_finish_and_leaves_the_rest_not_finished(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        users = [add_user(session, f"user{number}") for number in range(4)]
        ready_job(session)
    stop = threading.Event()

    def asks_to_stop(studio: Studio, user_id: int) -> RunResult:
        stop.set()  # as SIGTERM would, while the first user syncs
        return RunResult(user_id=user_id)

    syncer = ScriptedSyncer(script={users[0]: asks_to_stop}, delay=0.1)
    outcome = make_processor(studio, syncer, clock, concurrency=1).tick(stop)

    assert outcome is not None and outcome.status == "error"
    statuses = [row.status for row in _rows(studio, outcome.run_id).values()]
    assert statuses.count("not_finished") >= 2
    assert sum(syncer.calls.values()) == 4 - statuses.count("not_finished")
