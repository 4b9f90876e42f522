"""Job schedules: "every N minutes" or a cron expression; validated, worded, next run times."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cron_descriptor import Options, get_description
from croniter import CroniterBadDateError, CroniterError, croniter

from studiosync.errors import ErrorCode, InputError

MAX_INTERVAL_MINUTES = 7 * 24 * 60
MAX_JITTER = dt.timedelta(seconds=60)
JITTER_SHARE = 0.1  # at most a tenth of the gap between two runs

_INTERVAL = re.compile(
    r"^(?:every\s+)?(?:(?P<count>\d+)\s*)?(?P<unit>s|sec|secs|seconds?|m|min|mins|minutes?|"
    r"h|hr|hrs|hours?)$"
)
_UNIT_MINUTES = {"m": 1, "h": 60}
_MACROS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}


@dataclass(frozen=True)
class Schedule:
    """A valid schedule: either ``minutes`` between runs, or a five-field ``cron`` expression."""

    text: str
    minutes: int | None = None
    cron: str | None = None

    def next_after(self, moment: dt.datetime, zone: str = "UTC") -> dt.datetime:
        """The first run strictly after ``moment`` (UTC); cron fields read in the studio's zone."""
        if moment.tzinfo is None:
            raise ValueError("moment must be timezone-aware")
        if self.minutes is not None:
            return moment + dt.timedelta(minutes=self.minutes)
        assert self.cron is not None
        local = moment.astimezone(ZoneInfo(zone))
        following: dt.datetime = croniter(self.cron, local).get_next(dt.datetime)
        return following.astimezone(dt.UTC)

    def gap_after(self, moment: dt.datetime, zone: str = "UTC") -> dt.timedelta:
        """The time between the next two runs after ``moment``."""
        first = self.next_after(moment, zone)
        return self.next_after(first, zone) - first

    def describe(self, zone: str = "UTC") -> str:
        """The schedule in words, e.g. "Every 15 minutes" or "At 09:00, Monday through Friday"."""
        if self.minutes is not None:
            return _interval_words(self.minutes)
        assert self.cron is not None
        options = Options()
        options.use_24hour_time_format = True
        options.verbose = False
        words = get_description(self.cron, options)
        return words if zone == "UTC" else f"{words} ({zone} time)"


def _interval_words(minutes: int) -> str:
    if minutes == 1:
        return "Every minute"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "Every hour" if hours == 1 else f"Every {hours} hours"
    return f"Every {minutes} minutes"


def _interval_text(minutes: int) -> str:
    return _interval_words(minutes).lower()


def parse_schedule(text: str) -> Schedule:
    """Read a schedule; refuse one that is unreadable, never fires, or fires more than once a
    minute (InputError with CONTROL_SCHEDULE_INVALID / _NEVER_FIRES / _TOO_OFTEN)."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InputError(ErrorCode.FIELD_REQUIRED, field="schedule")
    interval = _INTERVAL.match(cleaned.lower())
    if interval:
        return _interval(cleaned, interval)
    return _cron(cleaned)


def _interval(text: str, match: re.Match[str]) -> Schedule:
    unit = match["unit"][0]
    count = int(match["count"]) if match["count"] is not None else 1
    if unit == "s" or count == 0:
        raise InputError(ErrorCode.CONTROL_SCHEDULE_TOO_OFTEN, field="schedule", schedule=text)
    minutes = count * _UNIT_MINUTES[unit]
    if minutes > MAX_INTERVAL_MINUTES:
        raise InputError(
            ErrorCode.CONTROL_SCHEDULE_INVALID,
            field="schedule",
            schedule=text,
            reason="runs must be at most 7 days (10080 minutes) apart",
        )
    return Schedule(text=_interval_text(minutes), minutes=minutes)


def _cron(given: str) -> Schedule:
    text = _MACROS.get(given.lower(), given)
    fields = text.split()
    if text.startswith("@"):
        raise InputError(
            ErrorCode.CONTROL_SCHEDULE_INVALID,
            field="schedule",
            schedule=given,
            reason=f"the shorthands understood are {', '.join(_MACROS)}",
        )
    if len(fields) != 5:
        _refuse_unusual_cron(text, fields)
    try:
        if not croniter.is_valid(text):
            croniter(text)  # is_valid says no; the constructor says why
        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        first: dt.datetime = croniter(text, start).get_next(dt.datetime)
        second: dt.datetime = croniter(text, first).get_next(dt.datetime)
    except CroniterBadDateError as error:
        raise InputError(
            ErrorCode.CONTROL_SCHEDULE_NEVER_FIRES, field="schedule", schedule=text
        ) from error
    except (CroniterError, ValueError, KeyError) as error:
        raise InputError(
            ErrorCode.CONTROL_SCHEDULE_INVALID,
            field="schedule",
            schedule=text,
            reason=_reason(error, text),
        ) from error
    if second - first < dt.timedelta(minutes=1):
        raise InputError(ErrorCode.CONTROL_SCHEDULE_TOO_OFTEN, field="schedule", schedule=text)
    return Schedule(text=text, cron=text)


def _refuse_unusual_cron(text: str, fields: list[str]) -> None:
    """Six fields are a seconds field too: too often unless it names a single second."""
    if len(fields) == 6 and not fields[5].isdigit():
        raise InputError(ErrorCode.CONTROL_SCHEDULE_TOO_OFTEN, field="schedule", schedule=text)
    raise InputError(
        ErrorCode.CONTROL_SCHEDULE_INVALID,
        field="schedule",
        schedule=text,
        reason=f"a cron expression has five fields (minute hour day month weekday), "
        f"not {len(fields)}",
    )


CRON_FIELDS = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of the month", 1, 31),
    ("month", 1, 12),
    ("day of the week", 0, 7),
)


def _reason(error: BaseException, text: str = "") -> str:
    """Why a cron expression was refused, in words: which field, what it may hold."""
    for part, (name, low, high) in zip(text.split(), CRON_FIELDS, strict=False):
        for number in re.findall(r"\d+", part):
            if not low <= int(number) <= high:
                return f"the {name} must be from {low} to {high}, and {number} is not"
    return (
        "it could not be read; each of the five fields holds a number, a range such as 9-17, "
        "a list such as 1,15, a step such as */15, or * for every value"
    )


def jitter_limit(schedule: Schedule, moment: dt.datetime, zone: str = "UTC") -> dt.timedelta:
    """How far a run may be moved later so studios do not all poll Google on the minute."""
    return min(MAX_JITTER, schedule.gap_after(moment, zone) * JITTER_SHARE)
