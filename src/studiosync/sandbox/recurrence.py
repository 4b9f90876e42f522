"""Recurring events: RRULE/EXDATE/RDATE expansion (python-dateutil) and Google's instance ids."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr

_UNTIL = re.compile(r"UNTIL=([0-9TZ]+)", re.IGNORECASE)
_SUFFIX = re.compile(r"^(?P<base>.+)_(?P<stamp>\d{8}(?:T\d{6}Z)?)$")
_PREFIXES = ("RRULE", "EXRULE", "EXDATE", "RDATE")


class RecurrenceError(ValueError):
    """The recurrence lines cannot be understood."""


def build_rules(lines: list[str], start: date | datetime, tz: ZoneInfo) -> rruleset:
    """The occurrence set of a master event starting at ``start`` (aware datetime or date)."""
    if not isinstance(lines, list) or not lines:
        raise RecurrenceError("recurrence must be a non-empty list")
    all_day = not isinstance(start, datetime)
    dtstart = datetime.combine(start, time()) if all_day else start
    prepared: list[str] = []
    for line in lines:
        if not isinstance(line, str) or not line.upper().startswith(_PREFIXES):
            raise RecurrenceError(f"bad recurrence line {line!r}")
        prepared.append(line if all_day else _localise(line, tz))
    try:
        rules = rrulestr("\n".join(prepared), dtstart=dtstart, forceset=True, unfold=True)
    except (ValueError, TypeError) as error:
        raise RecurrenceError(str(error)) from error
    assert isinstance(rules, rruleset)
    return rules


def _localise(line: str, tz: ZoneInfo) -> str:
    """Give floating EXDATE/RDATE values the event's zone and floating UNTIL values UTC."""
    head, _, values = line.partition(":")
    upper = head.upper()
    if upper.startswith(("EXDATE", "RDATE")):
        floating = "TZID=" not in upper and not values.upper().endswith("Z")
        date_only = "VALUE=DATE" in upper.replace("VALUE=DATE-TIME", "")
        if floating and not date_only:
            return f"{head};TZID={tz.key}:{values}"
        return line
    if upper.startswith(("RRULE", "EXRULE")):
        return _UNTIL.sub(lambda m: "UNTIL=" + _until_utc(m.group(1), tz), line)
    return line


def _until_utc(value: str, tz: ZoneInfo) -> str:
    if value.upper().endswith("Z"):
        return value
    if "T" in value.upper():
        local = datetime.strptime(value.upper(), "%Y%m%dT%H%M%S").replace(tzinfo=tz)
    else:
        local = datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59, tzinfo=tz)
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def occurrences(
    rules: rruleset, *, all_day: bool, after: datetime | None, before: datetime | None, limit: int
) -> Iterator[date | datetime]:
    """Occurrence starts (dates for all-day series) with start >= after and < before."""
    iterator = rules.xafter(_comparable(after, all_day), inc=True) if after else iter(rules)
    for count, occurrence in enumerate(iterator, start=1):
        if before is not None and occurrence >= _comparable(before, all_day):
            return
        yield occurrence.date() if all_day else occurrence
        if count >= limit:
            return


def _comparable(moment: datetime | None, all_day: bool) -> datetime:
    assert moment is not None
    return moment.replace(tzinfo=None) if all_day else moment


def is_infinite(rules: rruleset) -> bool:
    """Does any RRULE of the set go on forever (no COUNT, no UNTIL)?"""
    return any(
        getattr(rule, "_count", None) is None and getattr(rule, "_until", None) is None
        for rule in getattr(rules, "_rrule", [])
    )


def contains(rules: rruleset, original: date | datetime) -> bool:
    all_day = not isinstance(original, datetime)
    probe = datetime.combine(original, time()) if all_day else original
    assert isinstance(probe, datetime)
    found = rules.after(probe - timedelta(seconds=1))
    if found is None:
        return False
    if all_day:
        return bool(found.date() == original)
    return bool(found == probe)


def instance_suffix(original: date | datetime) -> str:
    """Google's instance id suffix: YYYYMMDD for all-day, UTC YYYYMMDDTHHMMSSZ otherwise."""
    if isinstance(original, datetime):
        return original.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return original.strftime("%Y%m%d")


def split_instance_id(event_id: str) -> tuple[str, date | datetime] | None:
    """(master id, original start) for an instance id, or None if it is not one."""
    match = _SUFFIX.match(event_id)
    if not match:
        return None
    stamp = match.group("stamp")
    try:
        if "T" in stamp:
            moment = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            return match.group("base"), moment
        return match.group("base"), datetime.strptime(stamp, "%Y%m%d").date()
    except ValueError:
        return None
