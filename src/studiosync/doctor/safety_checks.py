"""Troubleshooter checks of what the sync keeps aside: quarantined events, weekly sign-in loss."""

from __future__ import annotations

from studiosync.accounts.lifetimes import app_in_testing, weekly_deaths
from studiosync.accounts.models import GoogleAccount
from studiosync.context import Studio
from studiosync.doctor.findings import Finding, failed, warned
from studiosync.errors import ErrorCode
from studiosync.sync.quarantine import start_in_words
from studiosync.syncstate.quarantine import quarantine_of

LISTED = 10
"""How many quarantined events the finding names; the rest are counted."""


def check_quarantine(studio: Studio, user_id: int, login: str) -> list[Finding]:
    """Events of the user's calendar that the studio put aside, named by title and time."""
    with studio.transaction() as session:
        entries = quarantine_of(session, user_id)
    if not entries:
        return []
    named = [
        f"\u201c{entry.title}\u201d ({start_in_words(entry.starts)}): {entry.reason}"
        for entry, _ in entries
    ]
    items = "; ".join(named[:LISTED])
    if len(named) > LISTED:
        items += f"; and {len(named) - LISTED} more"
    return [
        warned(
            "quarantine",
            "Google events the studio put aside",
            ErrorCode.DOCTOR_EVENTS_QUARANTINED,
            f"/preferences/google/{login}",
            user=login,
            count=len(entries),
            items=items,
        )
    ]


def check_app_in_testing(studio: Studio, user_id: int, login: str) -> list[Finding]:
    """Sign-ins that died a week after they were given, twice in a row: an app in "Testing"."""
    with studio.transaction() as session:
        account = session.get(GoogleAccount, user_id)
        lifetimes = list(account.token_lifetimes or []) if account is not None else []
    if not app_in_testing(lifetimes):
        return []
    return [
        failed(
            "app_in_testing",
            "Google sign-ins are not cut off after a week",
            ErrorCode.GOOGLE_APP_IN_TESTING,
            f"/preferences/google/{login}",
            user=login,
            times=weekly_deaths(lifetimes),
        )
    ]


def safety_checks(studio: Studio, user_id: int, login: str) -> list[Finding]:
    return [
        *check_app_in_testing(studio, user_id, login),
        *check_quarantine(studio, user_id, login),
    ]
