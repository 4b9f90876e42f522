"""What an owner sees of real rounds: `studiosync logs`, the detailed-log emails, the digest.

The real stack: the sandbox Google over HTTP, the processor with the real syncer, emails
through an SMTP server on 127.0.0.1, and the installed `studiosync` command.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from google_world import Desk, Linked

from studiosync.clock import FakeClock
from studiosync.context import Studio
from studiosync.control import jobs
from studiosync.control.models import SyncDigest
from studiosync.control.processor import Processor
from studiosync.notify.testing import SmtpTestServer, running_smtp_server
from studiosync.studio.company import get_company
from studiosync.studio.google_options import DetailedLogs, google_settings
from studiosync.syncstate.runner import sync_user

ZONE = "America/New_York"  # 10:00 UTC is 05:00 at the studio in December
MORNING = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
STUDIOSYNC = Path(sys.executable).with_name("studiosync")


@pytest.fixture
def mailbox() -> Iterator[SmtpTestServer]:
    with running_smtp_server() as server:
        yield server


def _studio_setup(studio: Studio, mailbox: SmtpTestServer) -> None:
    with studio.transaction() as session:
        get_company(session).time_zone = ZONE
    mailbox.serve(studio, from_address="studio@example.com")


def _processor(studio: Studio, clock: FakeClock, name: str = "front-desk") -> Processor:
    return Processor(studio=studio, syncer=sync_user, clock=clock, computer=name, probe_timeout=2)


def _round(processor: Processor, clock: FakeClock) -> int:
    """One scheduled round, due now."""
    with processor.studio.transaction() as session:
        job = jobs.get_job(session)
        job.computer, job.enabled, job.next_run_at = "any", True, clock.now()
    outcome = processor.tick()
    assert outcome is not None
    return outcome.run_id


def _logs(studio: Studio, *args: str) -> str:
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(studio.settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": studio.settings.resolved_database_url,
        "COLUMNS": "200",
    }
    done = subprocess.run(
        [str(STUDIOSYNC), "logs", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _detailed(mailbox: SmtpTestServer) -> list[str]:
    return [m.text() for m in mailbox.messages if "what Google Sync did" in m.subject]


def _linked(desk: Desk, login: str, choice: DetailedLogs) -> Linked:
    user = desk.link(login, populate_google=True)  # as the demo: the calendar is filled
    desk.options(login, email_detailed_logs=True, detailed_logs=choice)
    return user


def test_the_log_and_each_round_emails_tell_what_happened(
    studio: Studio, desk: Desk, mailbox: SmtpTestServer
) -> None:
    _studio_setup(studio, mailbox)
    maya = _linked(desk, "maya", DetailedLogs.EACH_ROUND)
    theo = _linked(desk, "theo", DetailedLogs.DAILY)
    desk.book(maya, title="Rivera family session")
    desk.book(maya, title="Okafor headshots", start=MORNING + dt.timedelta(days=1, hours=4))
    desk.book(theo, title="Lindqvist wedding")
    clock = FakeClock(MORNING)
    processor = _processor(studio, clock)

    _round(processor, clock)
    shown = _logs(studio)
    assert "maya: Sent 2 new appointments to Google." in shown
    assert "theo: Sent 1 new appointment to Google." in shown
    assert "No log lines match" not in shown
    [first] = mailbox.wait_for_messages(1)  # theo chose the daily digest: nothing yet
    assert first.recipients == ("maya@studio.example",)
    body = first.text()
    assert "Sent 2 new appointments to Google." in body
    assert "New in Google: “Rivera family session”, Tue 1 Dec 2026 at 05:00" in body
    assert "New in Google: “Okafor headshots”, Wed 2 Dec 2026 at 09:00" in body
    assert "Nothing was logged" not in body

    for _ in range(3):
        clock.advance(minutes=5)
        _round(processor, clock)
    assert len(mailbox.messages) == 1, "quiet rounds send no detailed log"
    newest = _logs(studio).split("\n\n")[0]
    assert "Nothing changed for maya, theo." in newest, newest

    [rivera] = [a.id for a in desk.appointments_of(maya) if a.title == "Rivera family session"]
    desk.edit(rivera, title="Rivera family portraits")
    clock.advance(minutes=5)
    _round(processor, clock)
    second = mailbox.wait_for_messages(2)[1]
    assert second.recipients == ("maya@studio.example",)
    text = second.text()
    assert "Sent 1 changed appointment to Google." in text
    assert "Changed in Google: “Rivera family portraits”, Tue 1 Dec 2026 at 05:00" in text
    assert "Okafor" not in text, "only what this round did"
    shown = _logs(studio, "--user", "maya")
    assert shown.index("Sent 1 changed") < shown.index("Sent 2 new"), "newest round first"
    assert "theo" not in shown


def test_the_daily_digest_goes_out_once_after_the_day(
    studio: Studio, desk: Desk, mailbox: SmtpTestServer
) -> None:
    _studio_setup(studio, mailbox)
    theo = _linked(desk, "theo", DetailedLogs.DAILY)
    desk.book(theo, title="Lindqvist wedding")
    clock = FakeClock(MORNING)
    _round(_processor(studio, clock), clock)
    clock.advance(hours=1)
    _round(_processor(studio, clock), clock)  # a quiet round: not in the digest
    desk.book(theo, title="Moreau engagement", start=MORNING + dt.timedelta(hours=8))
    clock.advance(hours=1)
    _round(_processor(studio, clock), clock)
    assert mailbox.messages == [], "the day is not over yet"

    clock.set(dt.datetime(2026, 12, 2, 4, 59, tzinfo=dt.UTC))  # 23:59 at the studio
    assert _processor(studio, clock).send_digests() == 0
    clock.set(dt.datetime(2026, 12, 2, 5, 1, tzinfo=dt.UTC))  # the day is over there
    first, other = _processor(studio, clock, "front-desk"), _processor(studio, clock, "office")
    assert first.send_digests() + other.send_digests() == 1
    clock.advance(hours=3)
    assert _processor(studio, clock, "office").send_digests() == 0, "once a day"
    [digest] = mailbox.wait_for_messages(1)
    assert digest.recipients == ("theo@studio.example",)
    assert digest.subject == "studiosync: Google Sync for theo on Tuesday 1 December 2026"
    text = digest.text()
    assert "2 rounds of Google Sync changed something on Tuesday 1 December 2026." in text
    assert "New in Google: “Lindqvist wedding”, Tue 1 Dec 2026 at 05:00" in text
    assert "New in Google: “Moreau engagement”, Tue 1 Dec 2026 at 13:00" in text
    assert "The other round of the day changed nothing." in text
    with studio.transaction() as session:
        days = {row.day: row.status for row in session.query(SyncDigest)}
    assert days == {dt.date(2026, 11, 30): "quiet", dt.date(2026, 12, 1): "sent"}


def _command(studio: Studio, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(studio.settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": studio.settings.resolved_database_url,
        "STUDIOSYNC_SANDBOX_URL": str(studio.settings.sandbox_url),
        "COLUMNS": "200",
    }
    return subprocess.run(
        [str(STUDIOSYNC), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_sync_by_hand_is_a_run_of_its_own_kind_in_the_log(
    studio: Studio, desk: Desk, mailbox: SmtpTestServer
) -> None:
    _studio_setup(studio, mailbox)
    maya = _linked(desk, "maya", DetailedLogs.EACH_ROUND)
    desk.book(maya, title="Rivera family session")

    ran = _command(studio, "sync", "maya")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    shown = _logs(studio)
    assert "started by hand" in shown
    assert "maya: Sent 1 new appointment to Google." in shown
    [email] = mailbox.wait_for_messages(1)
    assert "New in Google: “Rivera family session”" in email.text()

    desk.options("maya", enabled=False)
    refused = _command(studio, "sync", "maya")
    assert refused.returncode != 0
    newest = _logs(studio, "--level", "error").split("\n\n")[0]
    assert "started by hand" in newest and "Google Sync is off" in newest, newest


def test_how_often_detailed_logs_come_is_chosen_from_the_command_line(
    studio: Studio, desk: Desk
) -> None:
    desk.link("maya")
    show = _command(studio, "google", "show", "maya")
    assert "Email Detailed Sync Logs" in show.stdout and "☐" in show.stdout

    assert _command(studio, "google", "options", "maya", "--detailed-logs").returncode == 0
    assert "once a day" in _command(studio, "google", "show", "maya").stdout  # the default
    each = _command(studio, "google", "options", "maya", "--detailed-logs-every", "each-round")
    assert each.returncode == 0, each.stderr
    assert "after each round" in _command(studio, "google", "show", "maya").stdout
    wrong = _command(studio, "google", "options", "maya", "--detailed-logs-every", "hourly")
    assert wrong.returncode == 2
    assert "choose daily, each-round or off" in wrong.stderr
    assert _command(studio, "google", "options", "maya", "--no-detailed-logs").returncode == 0
    with studio.transaction() as session:
        tab = google_settings(session, "maya")
        assert DetailedLogs.of(tab) is DetailedLogs.OFF
