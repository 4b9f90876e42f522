"""Sign-ins that Google ends a week after they were given, twice in a row: an app in "Testing".

Google ends every refresh token of an app whose OAuth consent screen is in "Testing" 7 days
after it was granted. The studio notes how long each sign-in lived; after two such weeks in a
row the troubleshooter names the cause and the step that ends it (publish the app).
"""

from __future__ import annotations

import datetime as dt

import pytest
from google_world import PASSWORD, Desk, Linked

from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.accounts.models import GoogleAccount
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.doctor.report import diagnose
from studiosync.errors import AuthError, ErrorCode
from studiosync.sandbox.testing import SandboxHandle

WEEK = dt.timedelta(days=7, hours=1)


def _a_week_passes(desk: Desk, user: Linked) -> None:
    """Google's clock and the studio's record of the sign-in both move on by a week."""
    desk.google.advance_clock(WEEK.total_seconds())
    with desk.studio.transaction() as session:
        account = session.get(GoogleAccount, user.user_id)
        assert account is not None
        account.linked_at -= WEEK
        account.access_token_expiry = account.linked_at


def _checks(studio: Studio) -> dict[str, object]:
    return {f.check: f for f in diagnose(studio, "maya", live=False).findings}


def test_two_sign_ins_ending_after_a_week_point_at_the_testing_consent_screen(
    studio: Studio, google: SandboxHandle, endpoints: GoogleEndpoints
) -> None:
    google.configure(refresh_token_ttl=7 * 24 * 3600)
    desk = Desk(studio, google, endpoints)
    maya = desk.link("maya", two_way=True)
    for week in (1, 2):
        assert desk.sync(maya).ok
        _a_week_passes(desk, maya)
        with pytest.raises(AuthError) as refused:
            desk.sync(maya)
        assert refused.value.code is ErrorCode.GOOGLE_REAUTH_NEEDED
        if week == 1:
            assert "app_in_testing" not in _checks(studio)  # once may be anything
            link_on_sandbox(studio, endpoints, "maya", maya.email, PASSWORD)
    finding = _checks(studio)["app_in_testing"]
    words = finding.explanation  # type: ignore[attr-defined]
    assert finding.verdict.value == "fail"  # type: ignore[attr-defined]
    assert "\u201cTesting\u201d" in words.cause and "2 times in a row" in words.cause
    assert "OAuth consent screen" in words.fix and "Publish app" in words.fix
