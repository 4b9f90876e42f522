"""Seconds, not a schedule: Google push channels and syncs on request, over the real stack.

The sandbox posts its notifications over HTTP to the studio's web app (uvicorn on loopback),
whose webhook asks for the user's sync; the processor (threads, real clock) runs it between
rounds. A booking in the studio reaches Google the same way through the change feed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from google_world import START, Desk, Linked
from sqlalchemy import select

from studiosync.accounts.calendars import select_calendar
from studiosync.accounts.channels import WEBHOOK_PATH
from studiosync.accounts.linking import unlink
from studiosync.accounts.models import PushChannel
from studiosync.clock import FakeClock, SystemClock
from studiosync.context import Studio
from studiosync.control import jobs
from studiosync.control.models import LogLine, Run, UserRun, UserSyncStatus
from studiosync.control.processor import Processor
from studiosync.control.requests import sync_now, take_requests, waiting
from studiosync.sandbox.testing import SandboxHandle
from studiosync.syncstate.runner import sync_user
from studiosync.testing.redis import running_redis
from studiosync.testing.web import serving_web

WITHIN = 5.0  # seconds: the promise with push active
LATER = START + dt.timedelta(days=2)


@pytest.fixture
def web(studio: Studio, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The web app, and the studio's public address set to it (loopback is allowed as HTTP)."""
    with serving_web(studio) as address:
        monkeypatch.setenv("STUDIOSYNC_PUBLIC_URL", address)
        yield address


@pytest.fixture
def maya(desk: Desk) -> Linked:
    linked = desk.link("maya", two_way=True)
    desk.sync(linked)  # the first sync: the user's sync token and feed cursor are set
    with desk.studio.transaction() as session:
        jobs.set_schedule(session, "every 1 hour", SystemClock().now())
        jobs.set_computer(session, "any")
        jobs.enable(session, SystemClock().now())
        jobs.get_job(session).next_run_at = SystemClock().now() + dt.timedelta(hours=1)
    return linked


@pytest.fixture
def processor(studio: Studio, web: str, maya: Linked) -> Iterator[Processor]:
    """The processor serving in a thread with the real clock: rounds are an hour away."""
    running = Processor(studio=studio, syncer=sync_user, computer="desk-1", probe_timeout=1.0)
    stop = threading.Event()
    thread = threading.Thread(
        target=running.serve, args=(stop,), kwargs={"poll_seconds": 0.5, "request_seconds": 0.2}
    )
    thread.start()
    try:
        wait_for(lambda: _channel(studio) is not None and _channel(studio).confirmed_at)
        yield running
    finally:
        stop.set()
        thread.join(30)


def wait_for(condition: Callable[[], object], seconds: float = WITHIN) -> float:
    """Seconds until ``condition`` held; fails the test when it does not within ``seconds``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            pytest.fail(f"not within {seconds} s")
        time.sleep(0.05)
    return time.monotonic() - started


def settle(studio: Studio) -> None:
    """Wait until no sync is asked for or running for a second."""
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 1.0:
        with studio.transaction() as session:
            busy = waiting(session) or session.scalar(
                select(Run.id).where(Run.finished_at.is_(None))
            )
        if busy:
            quiet_since = time.monotonic()
        time.sleep(0.1)


def _channel(studio: Studio) -> PushChannel | None:
    with studio.transaction() as session:
        return session.scalar(select(PushChannel))


def _last_run(studio: Studio, user: Linked) -> dt.datetime | None:
    with studio.transaction() as session:
        status = session.get(UserSyncStatus, user.user_id)
        return status.last_run_at if status else None


def _codes(studio: Studio, run_id: int) -> list[str]:
    with studio.transaction() as session:
        return list(session.scalars(select(LogLine.code).where(LogLine.run_id == run_id)))


def _runs(studio: Studio) -> int:
    with studio.transaction() as session:
        return len(session.scalars(select(Run.id)).all())


def test_a_phone_edit_and_a_booking_arrive_within_seconds(
    desk: Desk, maya: Linked, processor: Processor
) -> None:
    booked = desk.book(maya, title="Rivera family session", start=LATER)
    wait_for(lambda: desk.links(maya).get(booked))
    event_id = desk.links(maya)[booked]
    assert desk.event(maya, event_id)["summary"] == "Rivera family session"

    desk.change_event(maya, event_id, location="Beach, north end")
    wait_for(lambda: (desk.appointment(booked) or None) and desk.appointment(booked).location)
    appointment = desk.appointment(booked)
    assert appointment is not None and appointment.location == "Beach, north end"


def test_forged_notifications_change_nothing(
    studio: Studio, desk: Desk, maya: Linked, processor: Processor, web: str
) -> None:
    channel = _channel(studio)
    assert channel is not None
    runs = _runs(studio)
    forged = [
        {"X-Goog-Channel-ID": channel.channel_id, "X-Goog-Channel-Token": "guessed"},
        {"X-Goog-Channel-ID": "someone-elses", "X-Goog-Channel-Token": "x"},
        {"X-Goog-Channel-ID": channel.channel_id},
    ]
    for headers in forged:
        answer = httpx.post(
            web + WEBHOOK_PATH,
            headers={**headers, "X-Goog-Resource-State": "exists", "X-Goog-Message-Number": "99"},
        )
        assert answer.status_code == 404
    time.sleep(1.0)
    with studio.transaction() as session:
        assert waiting(session) == {}
    assert _runs(studio) == runs


def test_with_notifications_dropped_the_reconciliation_converges(
    studio: Studio,
    desk: Desk,
    maya: Linked,
    google: SandboxHandle,
    processor: Processor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    booked = desk.book(maya, title="Portrait", start=LATER)
    wait_for(lambda: desk.links(maya).get(booked))
    settle(studio)  # Google's echo of our own write has been heard and synced
    google.add_notification_rule(action="drop")
    desk.change_event(maya, desk.links(maya)[booked], location="Studio B")
    time.sleep(1.5)
    unchanged = desk.appointment(booked)
    assert unchanged is not None and not unchanged.location, "no notification, no sync yet"

    with studio.transaction() as session:  # the next scheduled round is due
        jobs.get_job(session).next_run_at = SystemClock().now()
    monkeypatch.setenv("STUDIOSYNC_PUSH_RECONCILE_HOURS", "0.0001")  # a reconciliation is due
    wait_for(lambda: desk.appointment(booked).location == "Studio B", seconds=15)


def test_a_round_leaves_out_users_whose_push_works_until_a_reconciliation_is_due(
    studio: Studio,
    desk: Desk,
    maya: Linked,
    processor: Processor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with studio.transaction() as session:
        sync_now(session, maya.user_id, SystemClock().now())
    wait_for(lambda: _last_run(studio, maya) is not None)
    settle(studio)

    left_out = processor.run_round(manual=True)
    assert left_out is not None
    assert (left_out.users_ok, left_out.users_warning, left_out.users_error) == (0, 0, 0)

    monkeypatch.setenv("STUDIOSYNC_PUSH_RECONCILE_HOURS", "0.0001")  # 0.36 s
    settle(studio)
    reconciled = processor.run_round(manual=True)
    assert reconciled is not None and reconciled.users_ok == 1, _codes(studio, reconciled.run_id)


def test_channels_are_renewed_before_they_end_and_stopped_on_unlink(
    studio: Studio, desk: Desk, maya: Linked, google: SandboxHandle, web: str
) -> None:
    clock = FakeClock(SystemClock().now())
    keeper = Processor(studio=studio, syncer=sync_user, clock=clock, computer="desk-1")
    first = keeper.keep_channels()
    assert first is not None and first.opened == [maya.user_id]
    old = _channel(studio)
    assert old is not None
    assert [c["id"] for c in google.channels()["channels"]] == [old.channel_id]

    clock.advance(days=6, hours=12)  # Google ends a channel after 7 days
    google.advance_clock(dt.timedelta(days=6, hours=12).total_seconds())
    renewed = keeper.keep_channels()
    assert renewed is not None and renewed.opened == [maya.user_id]
    new = _channel(studio)
    assert new is not None and new.channel_id != old.channel_id
    assert [c["id"] for c in google.channels()["channels"]] == [new.channel_id]

    shoots = google.add_calendar(maya.email, "Shoots")["id"]  # the user picks another calendar
    select_calendar(studio, desk.endpoints, "maya", shoots)
    clock.advance(minutes=2)  # the processor looks after channels once a minute
    moved = keeper.keep_channels()
    assert moved is not None and moved.opened == [maya.user_id]
    live = google.channels()["channels"]
    assert [(c["calendarId"], c["id"]) for c in live] == [(shoots, _channel(studio).channel_id)]

    with studio.transaction() as session:
        unlink(session, studio.box, desk.endpoints, "maya", studio=studio)
    assert google.channels()["channels"] == []
    assert _channel(studio) is None


def test_the_control_center_says_how_soon_changes_from_google_arrive(
    studio: Studio, maya: Linked, processor: Processor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studiosync.web.pages.studio_overview import overview_rows

    with studio.transaction() as session:
        (row,) = overview_rows(studio, session)
    assert row.from_google == "Within seconds (Google notifies the studio)"
    assert not any("notification" in problem for problem in row.problems)

    monkeypatch.delenv("STUDIOSYNC_PUBLIC_URL")
    with studio.transaction() as session:
        (row,) = overview_rows(studio, session)
    assert row.from_google == "At each scheduled run"


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_with_celery_workers_on_redis_and_postgres(
    studio: Studio, desk: Desk, maya: Linked, web: str, tmp_path: Path
) -> None:
    """The same promise when a Celery worker (another process) syncs the users."""
    with running_redis() as redis, _celery_worker(studio, redis.url(1), tmp_path):
        settings = studio.settings.model_copy(update={"broker_url": redis.url(1)})
        scaled = dataclasses.replace(studio, settings=settings)
        running = Processor.from_settings(scaled, sync_user, computer="desk-1")
        assert running.dispatcher is not None and running.dispatcher.mode == "celery"
        stop = threading.Event()
        thread = threading.Thread(
            target=running.serve, args=(stop,), kwargs={"poll_seconds": 0.5, "request_seconds": 0.2}
        )
        thread.start()
        try:
            wait_for(lambda: _channel(studio) is not None and _channel(studio).confirmed_at)
            booked = desk.book(maya, title="Rivera family session", start=LATER)
            wait_for(lambda: desk.links(maya).get(booked))
            desk.change_event(maya, desk.links(maya)[booked], location="Beach, north end")
            wait_for(lambda: desk.appointment(booked).location == "Beach, north end")
        finally:
            stop.set()
            thread.join(30)
    with studio.transaction() as session:
        workers = set(
            session.scalars(select(UserRun.worker).where(UserRun.user_id == maya.user_id))
        )
    assert workers and all(worker and worker.startswith("celery-box") for worker in workers)


@contextmanager
def _celery_worker(studio: Studio, broker: str, folder: Path) -> Iterator[None]:
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(studio.settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": studio.settings.resolved_database_url,
        "STUDIOSYNC_BROKER_URL": broker,
        "STUDIOSYNC_COMPUTER_NAME": "celery-box",
        "STUDIOSYNC_SANDBOX_URL": str(studio.settings.sandbox_url),
    }
    log = folder / "worker.log"
    command = [sys.executable, "-m", "studiosync", "worker", "--concurrency", "2"]
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def test_a_message_google_sends_twice_asks_for_one_sync(
    studio: Studio, maya: Linked, web: str
) -> None:
    keeper = Processor(studio=studio, syncer=sync_user, computer="desk-1")
    opened = keeper.keep_channels()
    assert opened is not None and opened.opened == [maya.user_id]
    channel = _channel(studio)
    assert channel is not None
    secret = studio.box.decrypt(channel.token_encrypted)

    def post(number: int) -> int:
        headers = {
            "X-Goog-Channel-ID": channel.channel_id,
            "X-Goog-Channel-Token": secret,
            "X-Goog-Resource-ID": channel.resource_id,
            "X-Goog-Resource-State": "exists",
            "X-Goog-Message-Number": str(number),
        }
        return httpx.post(web + WEBHOOK_PATH, headers=headers).status_code

    def asked() -> bool:
        with studio.transaction() as session:
            return bool(take_requests(session))

    assert post(7) == 200 and asked()
    assert post(7) == 200 and not asked()  # the same message again
    assert post(6) == 200 and not asked()  # an older one, late
    assert post(8) == 200 and asked()
