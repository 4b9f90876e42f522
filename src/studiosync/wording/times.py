"""Times in words in the studio's time zone: "today at 14:50", "in 3 hours", "2 minutes ago"."""

from __future__ import annotations

import datetime as dt
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY = dt.timedelta(days=1)


def zone_of(name: str | None) -> ZoneInfo:
    """The studio's time zone by name (UTC when unknown)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 run``, ``3 runs``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def span(delta: dt.timedelta) -> str:
    """A length of time in the largest whole unit: "3 hours", "1 minute", "2 days"."""
    seconds = abs(int(delta.total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            return plural(round(seconds / size), unit)
    return plural(seconds, "second")


def stamp(moment: dt.datetime, zone: tzinfo | None) -> str:
    """A moment kept for later reading (logs, emails): "Wed 2 Dec 2026 at 14:50"."""
    local = _local(moment, zone)
    return f"{local:%a} {local.day} {local:%b %Y} at {local:%H:%M}"


def day_stamp(day: dt.date) -> str:
    """A day kept for later reading: "Wed 2 Dec 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def day_at(moment: dt.datetime, zone: ZoneInfo, now: dt.datetime | None = None) -> str:
    """ "today at 14:50", "yesterday at 09:05", "on Friday 4 December at 10:00".

    Without ``now`` (words kept for later) the full date is given: "on Wed 2 Dec 2026 at 14:50".
    """
    if now is None:
        return f"on {stamp(moment, zone)}"
    local = _local(moment, zone)
    days = (local.date() - now.astimezone(zone).date()).days
    clock = f"{local:%H:%M}"
    named = {0: "today", -1: "yesterday", 1: "tomorrow"}
    if days in named:
        return f"{named[days]} at {clock}"
    year = f" {local.year}" if local.year != now.astimezone(zone).year else ""
    return f"on {local:%A} {local.day} {local:%B}{year} at {clock}"


def when(moment: dt.datetime, zone: ZoneInfo, now: dt.datetime) -> str:
    """A moment for a person: the day and time, with "in 3 hours" for the next half day."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    delta = moment - now
    if abs(delta) < dt.timedelta(minutes=1):
        return "just now"
    if dt.timedelta(0) < delta < dt.timedelta(hours=12):
        return f"in {span(delta)} ({day_at(moment, zone, now)})"
    return day_at(moment, zone, now)


def _local(moment: dt.datetime, zone: tzinfo | None) -> dt.datetime:
    """The moment on the studio's clock; a naive moment is UTC, as the database keeps it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone) if zone is not None else moment


def parse_moment(text: str) -> dt.datetime | None:
    """An ISO date-time written by the program (as logs store it), or None for any other text."""
    if len(text) < 16 or not text[:4].isdigit() or text[4] != "-" or "T" not in text[:11]:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
