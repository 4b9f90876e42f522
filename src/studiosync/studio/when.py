"""Moments in words for a studio owner: "Thu 3 Dec, 11:00" in the studio's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def in_words(moment: dt.datetime, zone: str, *, time_only: bool = False) -> str:
    """``moment`` (aware) as the studio reads it; a naive one is taken to be in ``zone``."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz) if moment.tzinfo else moment.replace(tzinfo=tz)
    clock = f"{local:%H:%M}"
    return clock if time_only else f"{local:%a} {local.day} {local:%b}, {clock}"


def length_in_words(delta: dt.timedelta) -> str:
    """A duration as "1 hour 30 minutes"; zero is "no time at all"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes <= 0:
        return "no time at all"
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    parts += [f"{rest} minute{'s' if rest != 1 else ''}"] if rest else []
    return " ".join(parts)
