"""The troubleshooter's check of Google's change notifications for one user."""

from __future__ import annotations

from studiosync.clock import SystemClock
from studiosync.control.config import ControlSettings
from studiosync.control.push_status import push_state
from studiosync.doctor.findings import Finding, hint, passed, warned
from studiosync.doctor.user_checks import UserScope
from studiosync.errors import ErrorCode

TITLE = "Changes made in Google arrive within seconds"


def check_push(scope: UserScope) -> Finding:
    """Push active, or why changes made in Google wait for the schedule (never a failure:
    without push the schedule still syncs everything)."""
    now = SystemClock().now()
    with scope.studio.transaction() as session:
        state = push_state(session, scope.user_id, scope.login, now, ControlSettings().public_url)
    if state.active:
        assert state.channel is not None
        return passed(
            "push",
            TITLE,
            f"Google notifies {state.channel.address} of every change; the Google Sync "
            "Processor renews the notifications before they end.",
        )
    assert state.problem is not None
    if state.problem is ErrorCode.PUSH_NO_PUBLIC_ADDRESS:
        return hint(
            "push",
            TITLE,
            "Not set up: changes made in Google arrive at each scheduled run (bookings made in "
            "the studio still reach Google within seconds). A public HTTPS address "
            "(STUDIOSYNC_PUBLIC_URL) lets Google notify the studio at once.",
        )
    return warned("push", TITLE, state.problem, **state.params)
