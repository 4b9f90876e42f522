"""Whether Google notifies us of one user's calendar changes, and if not, why not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from studiosync.accounts.channels import webhook_address
from studiosync.accounts.models import PushChannel, PushProblem
from studiosync.errors import ErrorCode

SILENT_AFTER = dt.timedelta(minutes=10)
"""Google sends its first message at once; none after this long means it cannot reach us."""


@dataclass(frozen=True)
class PushState:
    """Push is active (``problem`` None) or not, for the coded reason with its data."""

    problem: ErrorCode | None
    params: dict[str, Any] = field(default_factory=dict)
    channel: PushChannel | None = None

    @property
    def active(self) -> bool:
        return self.problem is None


def push_state(
    session: Session, user_id: int, login: str, now: dt.datetime, public_url: str | None
) -> PushState:
    """How Google's notifications stand for a user who syncs (see the catalogue's push codes).

    Moments in ``params`` are datetimes; the edges word them in the studio's time zone.
    """
    who: dict[str, Any] = {"user": login}
    address = webhook_address(public_url)
    if address is None:
        return PushState(ErrorCode.PUSH_NO_PUBLIC_ADDRESS, who)
    channel = session.get(PushChannel, user_id)
    if channel is None:
        problem = session.get(PushProblem, user_id)
        if problem is not None:
            reason = problem.detail or problem.code
            return PushState(ErrorCode.PUSH_REFUSED, {**who, "address": address, "reason": reason})
        return PushState(ErrorCode.PUSH_NOT_OPENED, who)
    if channel.expires_at <= now:
        return PushState(ErrorCode.PUSH_EXPIRED, {**who, "when": channel.expires_at}, channel)
    if channel.confirmed_at is None and now - channel.created_at > SILENT_AFTER:
        params = {**who, "when": channel.created_at, "address": channel.address}
        return PushState(ErrorCode.PUSH_SILENT, params, channel)
    return PushState(None, who, channel)
