"""How long each Google sign-in lived: a week, twice in a row, means an app left in "Testing"."""

from __future__ import annotations

import datetime as dt

from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.studio.models import utcnow

TESTING_LIFETIME = dt.timedelta(days=7)
"""Google ends the refresh tokens of an app in "Testing" this long after they were granted."""
SLACK = dt.timedelta(hours=12)
"""A death this close to a week after the grant counts as a week (runs happen every so often)."""
IN_A_ROW = 2
KEPT = 5


def mark_reauth(account: GoogleAccount, now: dt.datetime | None = None) -> None:
    """Google refused the sign-in (invalid_grant): mark it, and note how long it lived."""
    if account.status is not AccountStatus.NEEDS_REAUTH:
        moment = now or utcnow()
        lived = int((moment - account.linked_at).total_seconds())
        account.token_lifetimes = [*(account.token_lifetimes or [])[-(KEPT - 1) :], lived]
    account.status = AccountStatus.NEEDS_REAUTH
    account.last_error_code = "invalid_grant"
    account.access_token_encrypted = None


def weekly_deaths(lifetimes: list[int] | None) -> int:
    """How many of the latest sign-ins in a row died about a week after they were granted."""
    count = 0
    for seconds in reversed(lifetimes or []):
        if abs(dt.timedelta(seconds=seconds) - TESTING_LIFETIME) > SLACK:
            break
        count += 1
    return count


def app_in_testing(lifetimes: list[int] | None) -> bool:
    return weekly_deaths(lifetimes) >= IN_A_ROW
