"""Users hear about trouble by email: once per round, no repeat within 24 h, SMTP trouble logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from control_world import ScriptedSyncer, add_user, make_processor, ready_job
from sqlalchemy import select

from studiosync.clock import FakeClock
from studiosync.context import Studio
from studiosync.control.models import EmailedProblem, LogLine
from studiosync.control.processor import Processor
from studiosync.errors import ErrorCode
from studiosync.notify.testing import SmtpTestServer, running_smtp_server, unused_port
from studiosync.studio.company import set_email_settings
from studiosync.studio.models import SmtpSecurity
from studiosync.sync.result import ItemName, Level, RunResult

LOGIN = ("studio-desk", "c0rrect-h0rse-battery-staple")


@pytest.fixture
def mailbox() -> Iterator[SmtpTestServer]:
    with running_smtp_server(auth=LOGIN, auth_require_tls=False) as server:
        yield server


def _use(studio: Studio, host: str, port: int, *, password: str = LOGIN[1]) -> None:
    with studio.transaction() as session:
        set_email_settings(
            session,
            studio.box,
            host=host,
            port=port,
            security=SmtpSecurity.NONE,
            username=LOGIN[0],
            password=password,
            from_address="studio@example.com",
        )


LUNCH = ItemName("Lunch with Anna", dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC))
RIVERA = ItemName("Rivera family session", dt.datetime(2026, 12, 4, 14, 30, tzinfo=dt.UTC))


def _warned(studio: Studio, user_id: int) -> RunResult:
    result = RunResult(user_id=user_id)
    result.add(
        Level.WARNING,
        ErrorCode.SYNC_BAD_EVENT_SKIPPED,
        event_id="evt42",
        about=LUNCH,
        reason="no end",
    )
    result.add(Level.INFO, ErrorCode.SYNC_ADOPTED_EVENT, appointment_id=7, event_id="evt7")
    result.counts.pushed_new = 3
    return result


def _two_problems(studio: Studio, user_id: int) -> RunResult:
    result = _warned(studio, user_id)
    result.add(
        Level.ERROR,
        ErrorCode.SYNC_ITEM_REFUSED,
        appointment_id=9,
        about=RIVERA,
        item="x",
        reason="403",
    )
    return result


def _round(processor: Processor, clock: FakeClock) -> int:
    with processor.studio.transaction() as session:
        ready_job(session, due=clock.now())
    outcome = processor.tick()
    assert outcome is not None
    return outcome.run_id


def test_problems_are_emailed_once_per_round_and_not_repeated_within_a_day(
    studio: Studio, clock: FakeClock, mailbox: SmtpTestServer
) -> None:
    _use(studio, mailbox.host, mailbox.port)
    with studio.transaction() as session:
        maya = add_user(session, "maya", warnings_email="maya@photos.test")
        add_user(session, "calm")
    syncer = ScriptedSyncer(script={maya: _warned})
    processor = make_processor(studio, syncer, clock)

    _round(processor, clock)
    [first] = mailbox.wait_for_messages(1)
    assert first.recipients == ("maya@photos.test",)
    assert first.login == LOGIN[0]
    body = first.text()
    assert "A Google event was put aside" in body
    assert "“Lunch with Anna”, Thu 3 Dec 2026 at 12:00" in body  # named, never by its id
    assert "evt42" not in body
    assert "no end" in body  # the cause, filled with the line's data
    assert "Open the event in Google Calendar and fix it" in body  # the fix
    assert "reused" not in body  # info lines are not problems

    clock.advance(minutes=10)
    _round(processor, clock)  # the same problem again: held back
    clock.advance(minutes=10)
    syncer.script[maya] = _two_problems
    _round(processor, clock)  # one new problem: emailed alone
    messages = mailbox.wait_for_messages(2)
    assert len(messages) == 2
    second = messages[1].text()
    assert "Google refused an item" in second
    assert "“Rivera family session”, Fri 4 Dec 2026 at 14:30" in second  # named, not an id
    assert "Lunch with Anna" not in second

    clock.advance(hours=24)
    _round(processor, clock)  # a day later the old problems may be said again
    third = mailbox.wait_for_messages(3)[2].text()
    assert "Lunch with Anna" in third and "Rivera family session" in third
    assert len(mailbox.messages) == 3
    with studio.transaction() as session:
        remembered = session.scalars(select(EmailedProblem.code)).all()
    assert sorted(remembered) == sorted(
        [ErrorCode.SYNC_BAD_EVENT_SKIPPED.value, ErrorCode.SYNC_ITEM_REFUSED.value] * 2
    )


def test_detailed_logs_go_to_the_same_address_when_asked(
    studio: Studio, clock: FakeClock, mailbox: SmtpTestServer
) -> None:
    _use(studio, mailbox.host, mailbox.port)
    with studio.transaction() as session:
        eager = add_user(
            session,
            "eager",
            detailed_logs=True,
            detailed_every="round",
            warnings_email="eager@photos.test",
        )
    _round(make_processor(studio, ScriptedSyncer(script={eager: _warned}), clock), clock)

    messages = mailbox.wait_for_messages(2)
    subjects = sorted(message.subject for message in messages)
    assert subjects[0].startswith("studiosync: 1 problem")
    assert subjects[1].startswith("studiosync: what Google Sync did for eager")
    log = next(message for message in messages if "did for" in message.subject).text()
    assert "Sent 3 new appointments to Google" in log
    assert "A Google event was put aside: “Lunch with Anna”, Thu 3 Dec 2026 at 12:00" in log
    assert "An existing Google event was reused" in log  # info lines are in the full log
    assert "Nothing was logged" not in log
    assert all(message.recipients == ("eager@photos.test",) for message in messages)


def test_a_user_skipped_for_a_problem_they_must_fix_hears_of_it(
    studio: Studio, clock: FakeClock, mailbox: SmtpTestServer
) -> None:
    _use(studio, mailbox.host, mailbox.port)
    with studio.transaction() as session:
        add_user(session, "lapsed", reauth=True, warnings_email="lapsed@photos.test")
        add_user(session, "off", enabled=False)
    _round(make_processor(studio, ScriptedSyncer(), clock), clock)
    [message] = mailbox.wait_for_messages(1)
    assert message.recipients == ("lapsed@photos.test",)
    assert "re-authenticate" in message.text()


@pytest.mark.parametrize(
    ("configure", "code"),
    [
        ("refused", ErrorCode.SMTP_REFUSED),
        ("wrong password", ErrorCode.SMTP_AUTH),
        ("not configured", ErrorCode.EMAIL_NOT_CONFIGURED),
    ],
)
def test_smtp_trouble_is_a_warning_on_the_round_never_a_crash(
    studio: Studio, clock: FakeClock, mailbox: SmtpTestServer, configure: str, code: ErrorCode
) -> None:
    if configure == "refused":
        _use(studio, "127.0.0.1", unused_port())
    elif configure == "wrong password":
        _use(studio, mailbox.host, mailbox.port, password="guess")
    with studio.transaction() as session:
        maya = add_user(session, "maya")
    run_id = _round(make_processor(studio, ScriptedSyncer(script={maya: _warned}), clock), clock)

    with studio.transaction() as session:
        line = session.scalars(
            select(LogLine).where(LogLine.run_id == run_id, LogLine.user_run_id.is_(None))
        ).one()
        remembered = session.scalars(select(EmailedProblem)).all()
    assert (line.level, line.code, line.user_id) == ("warning", code.value, maya)
    assert LOGIN[1] not in str(line.params)
    assert remembered == []  # not sent, so it will be tried again next round
    assert mailbox.messages == []
