"""Each troubleshooter check, on the setup it exists to catch, with the verdict and named fix."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

from sqlalchemy import delete, update

from studiosync.accounts.models import GoogleAccount
from studiosync.context import Studio
from studiosync.control import jobs
from studiosync.control.models import LogLine, Run
from studiosync.control.processor import Processor
from studiosync.doctor.catalogue import Surface
from studiosync.doctor.findings import Finding, Verdict
from studiosync.doctor.report import diagnose, diagnose_user
from studiosync.doctor.user_checks import CHECK_TITLES
from studiosync.errors import ErrorCode
from studiosync.notify.testing import SmtpTestServer
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio import appointments, company, people
from studiosync.studio.appointments import Assign
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.studio.models import GoogleSettings
from studiosync.studio.validation import find_user
from studiosync.syncstate.runner import sync_user

MAYA = "maya@sandbox.example"


def _finding(studio: Studio, check: str, user: str = "maya") -> Finding:
    report = diagnose(studio, user)
    return next(f for f in report.findings if f.check == check)


def test_the_healthy_setup_passes_every_check(healthy: Studio, smtp: SmtpTestServer) -> None:
    report = diagnose(healthy, "maya")
    verdicts = {f.check: f.verdict for f in report.findings}
    assert not report.failed, [f.as_dict() for f in report.findings if f.verdict is Verdict.FAIL]
    assert Verdict.WARN not in verdicts.values()
    assert set(verdicts) >= {
        "user",
        "account_unique",
        "enabled",
        "authenticated",
        "calendar",
        "populate",
        "two_way",
        "contacts",
        "warnings_address",
        "detailed_logs",
        "email",
    }
    assert smtp.messages == []  # the SMTP check sends nothing


def test_a_resource_is_told_it_cannot_sync(healthy: Studio) -> None:
    [finding] = diagnose_user(healthy, "Studio A").findings
    assert finding.verdict is Verdict.FAIL and finding.code is ErrorCode.RESOURCE_CANNOT_SYNC
    assert (
        finding.explanation and "Resources such as locations or rooms" in finding.explanation.cause
    )


def test_sync_off_is_said_once_and_nothing_that_presumes_sync(healthy: Studio) -> None:
    with healthy.transaction() as session:
        set_google_settings(session, "maya", enabled=False)
    [finding] = diagnose_user(healthy, "maya").findings
    assert finding.code is ErrorCode.SYNC_NOT_ENABLED and finding.verdict is Verdict.INFO
    assert finding.explanation and "Enable Google Sync" in finding.explanation.fix
    assert "'Enable Google Sync' box is not checked for maya" in finding.explanation.cause


def test_a_changed_gmail_password_asks_to_remove_and_reauthenticate(
    healthy: Studio, google: SandboxHandle
) -> None:
    google.change_password(MAYA, "new-pw")  # Google revokes every grant of the account
    finding = _finding(healthy, "authenticated")
    assert finding.verdict is Verdict.FAIL and finding.code is ErrorCode.GOOGLE_REAUTH_NEEDED
    assert finding.explanation and "Remove and re-authenticate" in finding.explanation.fix


def test_no_account_linked(healthy: Studio) -> None:
    with healthy.transaction() as session:
        session.execute(delete(GoogleAccount))
    finding = _finding(healthy, "authenticated")
    assert finding.code is ErrorCode.GOOGLE_NOT_LINKED
    assert finding.explanation and "Authenticate My Google Account" in finding.explanation.fix
    report = diagnose_user(healthy, "maya")
    follow_on = {f.check: f for f in report.findings if f.check in CHECK_TITLES}
    assert {f.verdict for f in follow_on.values()} == {Verdict.SKIPPED}
    assert "Not checked because of the problem above (No Google account is linked)" in (
        follow_on["calendar"].note
    )
    assert [f.check for f in report.findings if f.verdict is Verdict.FAIL] == ["authenticated"]


def test_an_account_linked_twice_names_the_other_login(
    healthy: Studio, google: SandboxHandle
) -> None:
    with healthy.transaction() as session:
        people.create_user(session, login="theo")
        set_google_settings(session, "theo", enabled=True, warnings_email="theo@example.com")
    with healthy.transaction() as session:
        account = session.get(GoogleAccount, find_user(session, "maya").id)
        assert account is not None
        theo = find_user(session, "theo")
        session.add(
            GoogleAccount(
                user_id=theo.id,
                google_email=account.google_email.upper(),
                refresh_token_encrypted=account.refresh_token_encrypted,
                scopes=account.scopes,
            )
        )
    finding = _finding(healthy, "account_unique", "theo")
    words = finding.words(Surface.CLI)
    assert words and "already linked to maya" in words.cause
    assert "studiosync google unlink maya" in words.fix and "another user" not in words.fix


def test_calendar_missing_deleted_or_read_only(healthy: Studio, google: SandboxHandle) -> None:
    with healthy.transaction() as session:
        google_settings(session, "maya").calendar_id = None
    assert _finding(healthy, "calendar").code is ErrorCode.GOOGLE_CALENDAR_NOT_SELECTED
    with healthy.transaction() as session:
        google_settings(session, "maya").calendar_id = "gone@group.calendar.google.com"
    assert _finding(healthy, "calendar").code is ErrorCode.GOOGLE_CALENDAR_NOT_FOUND
    shared = google.add_calendar(MAYA, "Team", access_role="reader")
    with healthy.transaction() as session:
        google_settings(session, "maya").calendar_id = shared["id"]
    finding = _finding(healthy, "calendar")
    assert finding.code is ErrorCode.GOOGLE_CALENDAR_READ_ONLY
    assert finding.params["access_role"] == "reader"
    assert finding.explanation and "this account may only read it" in finding.explanation.cause


def test_older_appointments_not_in_google_suggest_populate(healthy: Studio) -> None:
    start = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    with healthy.transaction() as session:
        appointments.create_appointment(
            session,
            title="Old",
            start=start,
            end=start + dt.timedelta(hours=1),
            users=[Assign("maya")],
        )
    finding = _finding(healthy, "populate")
    assert finding.verdict is Verdict.WARN and finding.code is ErrorCode.SYNC_POPULATE_HINT
    assert finding.params["count"] == 1
    with healthy.transaction() as session:
        set_google_settings(session, "maya", populate_google=True)
    assert _finding(healthy, "populate").verdict is Verdict.INFO


def test_contacts_without_a_group(healthy: Studio) -> None:
    with healthy.transaction() as session:
        session.execute(update(GoogleSettings).values(contacts_group_id=None))
    finding = _finding(healthy, "contacts")
    assert finding.code is ErrorCode.CLIENT_GROUP_REQUIRED
    assert finding.explanation and "Client Groups" in finding.explanation.fix


def test_warnings_address_missing_or_undeliverable(healthy: Studio) -> None:
    with healthy.transaction() as session:
        session.execute(update(GoogleSettings).values(warnings_email="maya@studio.invalid"))
    assert _finding(healthy, "warnings_address").code is ErrorCode.EMAIL_UNDELIVERABLE
    with healthy.transaction() as session:
        session.execute(update(GoogleSettings).values(warnings_email=None))
    assert _finding(healthy, "warnings_address").code is ErrorCode.WARNINGS_ADDRESS_REQUIRED


def test_two_way_and_detailed_logs_are_explained(healthy: Studio) -> None:
    two_way = _finding(healthy, "two_way")
    assert two_way.verdict is Verdict.INFO and "two-way" in two_way.note
    with healthy.transaction() as session:
        set_google_settings(session, "maya", email_detailed_logs=True)
    assert "first days" in _finding(healthy, "detailed_logs").note


def test_email_not_set_up_or_refused(healthy: Studio, smtp: SmtpTestServer) -> None:
    with healthy.transaction() as session:
        company.set_email_settings(session, healthy.box, password="wrong")
    assert _finding(healthy, "email").code is ErrorCode.SMTP_AUTH
    with healthy.transaction() as session:
        company.set_email_settings(session, healthy.box, host=None)
    finding = _finding(healthy, "email")
    assert finding.code is ErrorCode.EMAIL_NOT_CONFIGURED
    assert finding.explanation and "Email tab" in finding.explanation.fix


def test_send_test_delivers_one_email(healthy: Studio, smtp: SmtpTestServer) -> None:
    report = diagnose(healthy, "maya", send_test_to="owner@example.com")
    assert not report.failed
    assert [m.recipients for m in smtp.wait_for_messages(1)] == [("owner@example.com",)]


def test_the_cli_exits_non_zero_and_speaks_json(healthy: Studio) -> None:
    with healthy.transaction() as session:
        google_settings(session, "maya").calendar_id = None
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(healthy.settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": healthy.settings.resolved_database_url,
        "STUDIOSYNC_SANDBOX_URL": str(healthy.settings.sandbox_url),
    }
    run = subprocess.run(
        [sys.executable, "-m", "studiosync", "doctor", "--user", "maya", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    calendar = next(c for c in data["users"][0]["checks"] if c["check"] == "calendar")
    assert calendar["verdict"] == "fail" and "studiosync google calendars maya" in calendar["fix"]
    assert calendar["where"] == "Maintenance > Preferences > User Preferences > Google tab"
    words = subprocess.run(
        [sys.executable, "-m", "studiosync", "explain", "google.reauth_needed"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert words.returncode == 0 and "re-authenticate" in words.stdout


def test_skipped_tentative_events_bring_the_android_hint(
    healthy: Studio, google: SandboxHandle
) -> None:
    with healthy.transaction() as session:
        set_google_settings(session, "maya", two_way=True)
    processor = Processor(studio=healthy, syncer=sync_user, computer="front-desk")
    processor.run_round(manual=True)  # the first pull is a baseline: older events need Populate
    google.calendar_service(MAYA).events().insert(
        calendarId=MAYA,
        body={
            "summary": "Maybe lunch",
            "status": "tentative",
            "start": {"dateTime": "2026-12-03T12:00:00Z"},
            "end": {"dateTime": "2026-12-03T13:00:00Z"},
        },
    ).execute()
    processor.run_round(manual=True)
    finding = _finding(healthy, "tentative")
    assert finding.verdict is Verdict.WARN and finding.code is ErrorCode.SYNC_TENTATIVE_SKIPPED
    assert finding.explanation and "Android or HTC" in finding.explanation.fix
    with healthy.transaction() as session:
        set_google_settings(session, "maya", download_tentative=True)
    assert _finding(healthy, "tentative").verdict is Verdict.INFO


def test_a_job_that_cannot_run_is_the_one_finding_not_also_that_it_never_ran(
    healthy: Studio,
) -> None:
    with healthy.transaction() as session:
        session.execute(delete(LogLine))
        session.execute(delete(Run))
        jobs.disable(session)
    report = diagnose(healthy, "maya")
    job = next(f for f in report.findings if f.check == "job_enabled")
    runs = next(f for f in report.findings if f.check == "recent_runs")
    assert job.verdict is Verdict.FAIL and job.code is ErrorCode.CONTROL_JOB_DISABLED
    assert runs.verdict is Verdict.SKIPPED, runs.as_dict()
    assert runs.note == "Not checked because the job cannot run yet (the job is disabled)."
    assert ErrorCode.CONTROL_NEVER_RAN not in {f.code for f in report.findings}
