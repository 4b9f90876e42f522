"""The troubleshooter says only what is true now: fixed problems are history, one cause once."""

from __future__ import annotations

import pytest

from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.control.processor import Processor
from studiosync.doctor.findings import Verdict
from studiosync.doctor.report import diagnose
from studiosync.errors import ErrorCode
from studiosync.sandbox.testing import SandboxHandle
from studiosync.syncstate.runner import sync_user

MAYA = "maya@sandbox.example"


def _round(studio: Studio) -> None:
    Processor(studio=studio, syncer=sync_user, computer="front-desk").run_round(manual=True)


def test_one_revocation_is_one_finding_and_fixed_after_reauthenticating(
    healthy: Studio, google: SandboxHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # maya syncs one way: a quiet round talks to Google only to read her contacts, so each of
    # these rounds reads them (by default they are read once an hour)
    monkeypatch.setenv("STUDIOSYNC_GOOGLE_CONTACTS_EVERY_MINUTES", "0")
    google.change_password(MAYA, "changed")
    google.advance_clock(7200)
    _round(healthy)
    _round(healthy)
    _round(healthy)
    problems = [f for f in diagnose(healthy, "maya").users[0].findings if f.verdict.is_problem]
    assert [(f.check, f.code) for f in problems] == [
        ("authenticated", ErrorCode.GOOGLE_REAUTH_NEEDED)
    ]
    link_on_sandbox(healthy, google_endpoints(healthy.settings), "maya", MAYA, "changed")
    _round(healthy)
    findings = diagnose(healthy, "maya").users[0].findings
    assert not [f.as_dict() for f in findings if f.verdict is Verdict.FAIL]
    [history] = [f for f in findings if f.check == "recent_runs" and "Fixed since" in f.title]
    assert history.verdict is Verdict.OK
    assert history.title.startswith("Fixed since today at ")
    assert "Google no longer accepts this account's sign-in" in history.note
    assert "(s)" not in history.note
