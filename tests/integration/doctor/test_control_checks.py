"""The troubleshooter's Control Center checks: job, schedule, computer, recent runs."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import update

from studiosync.context import Studio
from studiosync.control import jobs
from studiosync.control.models import Computer, Job
from studiosync.control.processor import Processor
from studiosync.doctor.control_checks import check_job, check_recent_runs
from studiosync.doctor.findings import Finding, Verdict
from studiosync.doctor.report import diagnose
from studiosync.errors import ErrorCode
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio import appointments
from studiosync.studio.appointments import Assign
from studiosync.syncstate.runner import sync_user


def _job_finding(studio: Studio, check: str) -> Finding:
    return next(f for f in check_job(studio) if f.check == check)


def test_a_healthy_control_center_passes(healthy: Studio) -> None:
    findings = check_job(healthy) + check_recent_runs(healthy)
    assert all(f.verdict is Verdict.OK for f in findings), [f.as_dict() for f in findings]
    schedule = _job_finding(healthy, "job_schedule")
    assert "Every 5 minutes" in schedule.note


def test_a_disabled_job_is_named(healthy: Studio) -> None:
    with healthy.transaction() as session:
        jobs.disable(session)
    finding = _job_finding(healthy, "job_enabled")
    assert finding.code is ErrorCode.CONTROL_JOB_DISABLED
    assert finding.explanation and "Control Center" in finding.explanation.fix


def test_a_schedule_that_never_fires_is_named(healthy: Studio) -> None:
    with healthy.transaction() as session:
        session.execute(update(Job).values(schedule="0 9 30 2 *"))  # 30 February
    finding = _job_finding(healthy, "job_schedule")
    assert finding.verdict is Verdict.FAIL
    assert finding.code is ErrorCode.CONTROL_SCHEDULE_NEVER_FIRES


def test_no_unknown_off_or_offline_computer(healthy: Studio) -> None:
    with healthy.transaction() as session:
        session.execute(update(Job).values(computer=None))
    assert _job_finding(healthy, "job_computer").code is ErrorCode.CONTROL_NO_COMPUTER
    with healthy.transaction() as session:
        session.execute(update(Job).values(computer="back-office"))
    assert _job_finding(healthy, "job_computer").code is ErrorCode.CONTROL_UNKNOWN_COMPUTER
    with healthy.transaction() as session:
        session.execute(update(Job).values(computer="front-desk"))
        session.execute(update(Computer).values(google_reachable=False, google_error="timeout"))
    offline = _job_finding(healthy, "job_computer")
    assert offline.code is ErrorCode.CONTROL_COMPUTER_OFFLINE
    assert "could not reach Google" in offline.params["reason"]
    long_ago = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with healthy.transaction() as session:
        session.execute(update(Computer).values(last_seen_at=long_ago, google_reachable=True))
    off = _job_finding(healthy, "job_computer")
    assert off.code is ErrorCode.CONTROL_COMPUTER_OFFLINE
    assert off.explanation and "must be on and have an Internet connection" in off.explanation.cause


def test_recent_problems_say_how_often_and_when_in_words(
    healthy: Studio, google: SandboxHandle
) -> None:
    google.set_daily_limit_exceeded("maya@sandbox.example")
    with healthy.transaction() as session:
        appointments.create_appointment(
            session,
            title="Portrait",
            start=dt.datetime(2026, 12, 10, 10, tzinfo=dt.UTC),
            end=dt.datetime(2026, 12, 10, 11, tzinfo=dt.UTC),
            users=[Assign("maya")],
        )
    processor = Processor(studio=healthy, syncer=sync_user, computer="front-desk")
    processor.run_round(manual=True)
    findings = [
        f for f in diagnose(healthy, "maya").findings if f.check == "recent_runs" and f.code
    ]
    assert findings, "the quota problem of the last run is shown"
    for finding in findings:
        assert finding.verdict in (Verdict.FAIL, Verdict.WARN)
        assert re.fullmatch(
            r"Seen in (\d+ of )?the last (\d+ )?runs?, most recently today at \d\d:\d\d",
            finding.title,
        ), finding.title
        words = finding.explanation
        assert words and "(s)" not in words.cause + words.fix
        assert not re.search(r"\d{4}-\d\d-\d\dT", words.cause + words.fix)
