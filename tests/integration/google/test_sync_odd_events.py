"""Every odd event Google can hold gives a correct appointment or one named quarantine entry.

All of them sit in one calendar next to an ordinary event, as they would on a real phone, and
one run takes them: each case says what it must give, and the ordinary event still syncs.
Entries that are not appointments (out of office, focus time, working location, birthdays)
are left out by rule and said so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from google_world import START, Desk, Linked, logged

from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.context import Studio
from studiosync.errors import ErrorCode
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio.models import Appointment
from studiosync.sync.quarantine import QuarantineEntry
from studiosync.sync.series import SeriesLimits
from studiosync.syncstate.quarantine import quarantine_of

LIMITS = SeriesLimits(ahead=dt.timedelta(days=15), cap=20)
DAY = START + dt.timedelta(days=1)
# The series window is counted from today, so a long series starts tomorrow, whatever the date.
TOMORROW = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
Check = Callable[[list[Appointment]], None]


def _at(moment: dt.datetime, hours: float = 1) -> dict[str, Any]:
    return {
        "start": {"dateTime": moment.isoformat(), "timeZone": "UTC"},
        "end": {"dateTime": (moment + dt.timedelta(hours=hours)).isoformat(), "timeZone": "UTC"},
    }


def _year(year: int) -> dict[str, Any]:
    return {
        "start": {"dateTime": f"{year:04d}-06-01T09:00:00Z"},
        "end": {"dateTime": f"{year:04d}-06-01T10:00:00Z"},
    }


@dataclass(frozen=True)
class Case:
    """One odd event: how the phone makes it and what the studio must make of it."""

    name: str
    summary: str | None
    body: dict[str, Any] = field(default_factory=dict)
    gives: tuple[str, ...] = ("appointment",)
    title: str = ""
    check: Check | None = None


def _one(check: Callable[[Appointment], bool]) -> Check:
    def checked(made: list[Appointment]) -> None:
        assert len(made) == 1 and check(made[0]), made

    return checked


def _between(low: int, high: int) -> Check:
    def checked(made: list[Appointment]) -> None:
        assert low <= len(made) <= high, len(made)

    return checked


CASES = (
    Case("no summary", None, title="(no title)", check=_one(lambda a: a.start_at == DAY)),
    Case("10,000-character summary", "x" * 10_000, gives=("appointment", "quarantine")),
    Case(
        "all day over weeks",
        "Summer school",
        {"start": {"date": "2026-12-07"}, "end": {"date": "2027-01-11"}},
        check=_one(lambda a: a.all_day and (a.end_date - a.start_date).days == 35),
    ),
    *(
        Case(kind, f"A {kind} entry", {"eventType": kind}, gives=("left out",))
        for kind in ("outOfOffice", "focusTime", "workingLocation", "birthday")
    ),
    Case("from Gmail", "Flight to Lisbon", {"eventType": "fromGmail"}),
    Case(
        "500 attendees",
        "Town fair",
        {"attendees": [{"email": f"guest{n}@example.com"} for n in range(500)]},
    ),
    Case(
        "every second",
        "Ticker",
        {**_at(DAY, 0.001), "recurrence": ["RRULE:FREQ=SECONDLY;COUNT=100000"]},
        gives=("series",),
        check=_between(LIMITS.cap, LIMITS.cap),
    ),
    Case(
        "100,000 days",
        "Stand-up",
        {**_at(TOMORROW, 0.25), "recurrence": ["RRULE:FREQ=DAILY;COUNT=100000"]},
        check=_between(13, 16),
    ),
    Case(
        "control characters",
        "Tab\there\x00 and\x1f bell\x07",
        {"description": "a\x00b", "location": "Room\x0b 1"},
        title="Tab\there and bell",
        check=_one(lambda a: a.notes == "ab" and a.location == "Room 1"),
    ),
    Case("year 0001", "Year one", _year(1), gives=("quarantine",)),
    Case("year 9999", "Year 9999", _year(9999), gives=("quarantine",)),
)


def _held(desk: Desk, user: Linked) -> dict[str, QuarantineEntry]:
    with desk.studio.transaction() as session:
        return {entry.event_id: entry for entry, _ in quarantine_of(session, user.user_id)}


def test_every_odd_event_gives_an_appointment_or_one_named_quarantine_entry(
    studio: Studio, google: SandboxHandle, endpoints: GoogleEndpoints
) -> None:
    desk = Desk(studio, google, endpoints)
    maya = desk.link("maya", two_way=True)
    desk.sync(maya, series=LIMITS)
    made_ids: dict[str, str] = {}
    for case in CASES:
        body = {**_at(DAY), **case.body}
        made = (
            desk.phone(maya)
            .insert(
                calendarId=maya.email,
                body=body | ({"summary": case.summary} if case.summary is not None else {}),
            )
            .execute()
        )
        made_ids[case.name] = made["id"]
    desk.add_event(maya, "Dentist", **_at(DAY + dt.timedelta(hours=3)))

    result = desk.sync(maya, series=LIMITS)
    assert result.stopped is None and result.errors == [], result.errors
    held = _held(desk, maya)
    by_title: dict[str, list[Appointment]] = {}
    for appointment in desk.appointments_of(maya):
        by_title.setdefault(appointment.title, []).append(appointment)
    assert len(by_title.pop("Dentist")) == 1  # the rest of the run still syncs
    left_out = {line["event_id"] for line in logged(result, ErrorCode.SYNC_NOT_AN_APPOINTMENT)}
    named = {
        line["event_id"]: line["title"]
        for code in (ErrorCode.SYNC_EVENT_QUARANTINED, ErrorCode.SYNC_BAD_EVENT_SKIPPED)
        for line in logged(result, code)
    }

    for case in CASES:
        event_id = made_ids[case.name]
        title = case.title or (case.summary or "")
        appointments = by_title.pop(title, [])
        outcome = (
            "series"
            if event_id in held and held[event_id].code is ErrorCode.SYNC_SERIES_CAPPED
            else "quarantine"
            if event_id in held
            else "left out"
            if event_id in left_out
            else "appointment"
            if appointments
            else "nothing"
        )
        assert outcome in case.gives, f"{case.name}: {outcome}"
        if outcome == "quarantine":
            assert not appointments, case.name
            entry = held[event_id]
            assert entry.title and entry.reason, case.name
            assert named[event_id] == entry.title, case.name  # the log names it by title
        elif outcome == "left out":
            assert not appointments, case.name
        elif case.check is not None:
            case.check(appointments)
    assert by_title == {}  # nothing else was made
    assert desk.sync(maya, series=LIMITS).errors == []
