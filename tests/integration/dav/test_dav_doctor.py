"""The troubleshooter on a user connected to a CalDAV server: true words, CalDAV fixes."""

from __future__ import annotations

import json

import pytest
from dav_helpers import linked_user

from studiosync.accounts.models import DavAccount
from studiosync.context import Studio
from studiosync.doctor.findings import Finding, Verdict
from studiosync.doctor.report import diagnose_user
from studiosync.errors import ErrorCode
from studiosync.studio.google_options import google_settings
from studiosync.testing.dav_servers import DavServer
from studiosync.testing.installed import command_runner


@pytest.fixture
def backend() -> str:
    """The checks read the same tables either way: SQLite is enough here."""
    return "sqlite"


def _by_check(studio: Studio, login: str) -> dict[str, Finding]:
    return {f.check: f for f in diagnose_user(studio, login).findings}


def _words(findings: dict[str, Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings.values()])


def test_a_healthy_caldav_user_passes_and_nothing_speaks_of_google_accounts(
    studio: Studio, dav_server: DavServer
) -> None:
    linked_user(studio, dav_server, "maya")
    found = _by_check(studio, "maya")
    problems = {name: f.as_dict() for name, f in found.items() if f.verdict.is_problem}
    assert problems == {}
    for check in ("account_unique", "authenticated", "calendar", "changes"):
        assert found[check].verdict is Verdict.OK, found[check].as_dict()
    assert "push" not in found  # Google's notifications; a CalDAV server is asked each run
    assert "accepted the sign-in just now" in found["authenticated"].note
    assert "Google account" not in _words(found)


def test_a_refused_password_says_so_and_names_the_app_specific_password(
    studio: Studio, dav_server: DavServer
) -> None:
    user_id, _ = linked_user(studio, dav_server, "theo")
    with studio.transaction() as session:
        row = session.get(DavAccount, user_id)
        assert row is not None
        row.password_encrypted = studio.box.encrypt("changed-on-the-server")
    found = _by_check(studio, "theo")
    signin = found["authenticated"]
    assert signin.verdict is Verdict.FAIL and signin.code is ErrorCode.DAV_AUTH_FAILED
    assert signin.explanation and "app-specific password" in signin.explanation.fix
    assert found["calendar"].verdict is Verdict.SKIPPED


def test_a_deleted_calendar_and_no_calendar_chosen(studio: Studio, dav_server: DavServer) -> None:
    _, calendar = linked_user(studio, dav_server, "ines")
    dav_server.delete(calendar)
    gone = _by_check(studio, "ines")["calendar"]
    assert gone.verdict is Verdict.FAIL and gone.code is ErrorCode.DAV_CALENDAR_GONE
    with studio.transaction() as session:
        google_settings(session, "ines").calendar_id = None
    none = _by_check(studio, "ines")["calendar"]
    assert none.code is ErrorCode.DAV_CALENDAR_NOT_SELECTED

    extra = {"STUDIOSYNC_DATABASE_URL": studio.settings.resolved_database_url}
    if dav_server.ca_file:
        extra["STUDIOSYNC_DAV_CA_BUNDLE"] = dav_server.ca_file
    run = command_runner(studio.settings.data_dir, **extra)
    answer = run("doctor", "--user", "ines", "--json")
    assert answer.code == 1, answer.text
    checks = {c["check"]: c for c in json.loads(answer.out)["users"][0]["checks"]}
    assert checks["calendar"]["command"] == "studiosync caldav calendars ines"
    assert (
        checks["calendar"]["where"] == "Maintenance > Preferences > User Preferences > Google tab"
    )


def test_a_server_that_cannot_be_reached(studio: Studio, dav_server: DavServer) -> None:
    user_id, _ = linked_user(studio, dav_server, "noor")
    with studio.transaction() as session:
        row = session.get(DavAccount, user_id)
        assert row is not None
        row.calendar_home = "http://127.0.0.1:9/calendars/noor/"
    signin = _by_check(studio, "noor")["authenticated"]
    assert signin.verdict is Verdict.FAIL and signin.code is ErrorCode.DAV_UNREACHABLE
    assert signin.explanation and "Could not reach the calendar server" in signin.explanation.cause
