"""Times and lock holders in words, in the studio's time zone, for log lines and messages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from studiosync.control.locks import Holder


def moment_words(moment: dt.datetime, zone: str, now: dt.datetime | None = None) -> str:
    """ "9:02 AM today", "11:40 PM yesterday", or "9:02 AM on Tuesday 1 December 2026".

    Without ``now`` (words kept for later, as in a log line) the date is always given.
    """
    local = moment.astimezone(ZoneInfo(zone))
    hour = local.hour % 12 or 12
    clock = f"{hour}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"
    if now is not None:
        today = now.astimezone(ZoneInfo(zone)).date()
        if local.date() == today:
            return f"{clock} today"
        if local.date() == today - dt.timedelta(days=1):
            return f"{clock} yesterday"
    return f"{clock} on {local:%A} {local.day} {local:%B %Y}"


def holder_words(holder: Holder, zone: str, now: dt.datetime | None = None) -> str:
    """ "front-desk (process 4242), since 9:02 AM today"."""
    if holder.since is None:
        return holder.describe()
    return f"{holder.describe()}, since {moment_words(holder.since, zone, now)}"
