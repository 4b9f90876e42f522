"""The week view's arithmetic: which appointments fall on which day, in the studio's time zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from studiosync.studio.models import Appointment

DAYS_IN_WEEK = 7


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Entry:
    """One appointment as shown on one day: its times that day, or 'all day'."""

    appointment: Appointment
    starts: str
    ends: str
    all_day: bool

    @property
    def sort_key(self) -> tuple[int, str, int]:
        return (0 if self.all_day else 1, self.starts, self.appointment.id)


@dataclass(frozen=True)
class Day:
    date: dt.date
    entries: tuple[Entry, ...]
    is_today: bool


@dataclass(frozen=True)
class Week:
    """Seven days from a Monday, each with its appointments in time order."""

    monday: dt.date
    days: tuple[Day, ...]
    zone: str

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=DAYS_IN_WEEK)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=DAYS_IN_WEEK)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=DAYS_IN_WEEK - 1)

    @property
    def count(self) -> int:
        return len({entry.appointment.id for day in self.days for entry in day.entries})


def bounds(monday: dt.date, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The week as an instant range [start, end) for the database, from local midnights."""
    tz = ZoneInfo(zone)
    start = dt.datetime.combine(monday, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(monday + dt.timedelta(days=DAYS_IN_WEEK), dt.time(), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _entry_on(appointment: Appointment, day: dt.date, tz: ZoneInfo) -> Entry | None:
    if appointment.all_day and appointment.start_date and appointment.end_date:
        if appointment.start_date <= day < appointment.end_date:
            return Entry(appointment, "", "", all_day=True)
        return None
    starts = appointment.start_at.astimezone(tz)
    ends = appointment.end_at.astimezone(tz)
    day_start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    if ends <= day_start or starts >= day_end:
        return None
    return Entry(
        appointment,
        starts=f"{starts:%H:%M}" if starts >= day_start else "…",
        ends=f"{ends:%H:%M}" if ends <= day_end else "…",
        all_day=False,
    )


def lay_out(
    appointments: Sequence[Appointment], monday: dt.date, zone: str, today: dt.date
) -> Week:
    """Place each appointment on every day of the week it touches."""
    tz = ZoneInfo(zone)
    days: list[Day] = []
    for offset in range(DAYS_IN_WEEK):
        date = monday + dt.timedelta(days=offset)
        entries = [
            entry
            for appointment in appointments
            if (entry := _entry_on(appointment, date, tz)) is not None
        ]
        entries.sort(key=lambda entry: entry.sort_key)
        days.append(Day(date=date, entries=tuple(entries), is_today=date == today))
    return Week(monday=monday, days=tuple(days), zone=zone)
