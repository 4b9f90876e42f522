"""Repeating Google events: taken within a window, a capped number per series, cut short out loud.

Observation: a FREQ=MINUTELY event became 2,500 appointments and a DAILY;COUNT=100000 event was
cut at 2,500 without a word. Now a series gives its occurrences within a window ahead (a year by
default), at most a cap of them (500 by default; smaller here to keep the test quick); a longer
one is named once in the run log (title and rule), not every run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from google_world import Desk, logged

from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.context import Studio
from studiosync.doctor.catalogue import explain_code
from studiosync.errors import ErrorCode
from studiosync.sandbox.testing import SandboxHandle
from studiosync.sync.series import SeriesLimits

LIMITS = SeriesLimits(ahead=dt.timedelta(days=15), cap=20)


def _repeating(rule: str) -> dict[str, Any]:
    """A series from tomorrow on: the window ahead is counted from today, whatever the date."""
    day = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    return {
        "start": {"dateTime": day.replace(hour=9).isoformat(), "timeZone": "UTC"},
        "end": {"dateTime": day.replace(hour=9, minute=30).isoformat(), "timeZone": "UTC"},
        "recurrence": [f"RRULE:{rule}"],
    }


def test_a_series_is_taken_within_the_window_and_up_to_the_cap_with_one_warning(
    studio: Studio, google: SandboxHandle, endpoints: GoogleEndpoints
) -> None:
    desk = Desk(studio, google, endpoints)
    maya = desk.link("maya", two_way=True)
    desk.sync(maya, series=LIMITS)
    google.configure(expansion_horizon_days=2)  # an endless series: two days of minutes
    desk.add_event(maya, "Pulse check", **_repeating("FREQ=MINUTELY"))
    desk.add_event(maya, "Ticker", **_repeating("FREQ=SECONDLY;COUNT=100000"))
    desk.add_event(maya, "Stand-up", **_repeating("FREQ=DAILY;COUNT=400"))
    desk.add_event(maya, "Yoga", **_repeating("FREQ=WEEKLY;COUNT=2"))
    desk.add_event(maya, "Dentist")
    result = desk.sync(maya, series=LIMITS)
    assert result.ok, [entry for entry in result.log if entry.level.value == "error"]
    made = Counter(a.title for a in desk.appointments_of(maya))
    assert made["Pulse check"] == 20 and made["Ticker"] == 20
    assert 13 <= made["Stand-up"] <= 16  # the window ahead, not 400 days
    assert made["Yoga"] == 2 and made["Dentist"] == 1
    warnings = {line["title"]: line for line in logged(result, ErrorCode.SYNC_SERIES_CAPPED)}
    assert set(warnings) == {"Pulse check", "Ticker"}
    words = explain_code(ErrorCode.SYNC_SERIES_CAPPED, **warnings["Ticker"]).cause
    assert "\u201cTicker\u201d" in words and "FREQ=SECONDLY;COUNT=100000" in words
    assert "20" in words

    again = desk.sync(maya, series=LIMITS)  # once, not every round
    assert again.ok and (again.counts.pulled, again.counts.pushed) == (0, 0)
    assert logged(again, ErrorCode.SYNC_SERIES_CAPPED) == []
    google.expire_sync_tokens()
    full = desk.sync(maya, series=LIMITS)  # a full listing shows every occurrence again
    assert logged(full, ErrorCode.SYNC_SERIES_CAPPED) == []
    assert full.counts.pulled == 0
    assert len(desk.appointments_of(maya)) == sum(made.values())


def test_by_default_a_series_is_taken_a_year_ahead_and_500_at_most() -> None:
    assert SeriesLimits() == SeriesLimits(ahead=dt.timedelta(days=365), cap=500)
