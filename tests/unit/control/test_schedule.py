"""Schedules: what is accepted, what is refused and why, the words, and the next run times."""

from __future__ import annotations

import datetime as dt

import pytest

from studiosync.clock import FakeClock
from studiosync.control.jobs import next_run
from studiosync.control.schedule import jitter_limit, parse_schedule
from studiosync.errors import ErrorCode, InputError

UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "normal", "words"),
    [
        ("every 15 minutes", "every 15 minutes", "Every 15 minutes"),
        ("Every  15 Minutes", "every 15 minutes", "Every 15 minutes"),
        ("15m", "every 15 minutes", "Every 15 minutes"),
        ("every minute", "every minute", "Every minute"),
        ("every 2 hours", "every 2 hours", "Every 2 hours"),
        ("1h", "every hour", "Every hour"),
        ("*/10 * * * *", "*/10 * * * *", "Every 10 minutes"),
        ("0 9 * * 1-5", "0 9 * * 1-5", "At 09:00, Monday through Friday"),
        ("@hourly", "0 * * * *", "Every hour"),
        ("0 0 29 2 *", "0 0 29 2 *", "At 00:00, on day 29 of the month, only in February"),
    ],
)
def test_accepted_schedules_and_their_words(text: str, normal: str, words: str) -> None:
    schedule = parse_schedule(text)
    assert schedule.text == normal
    assert schedule.describe() == words
    assert parse_schedule(schedule.text) == schedule  # what is stored reads back the same


def test_cron_words_name_the_studio_time_zone() -> None:
    words = parse_schedule("*/5 7-20 * * mon-fri").describe("Europe/Paris")
    assert words == (
        "Every 5 minutes, between 07:00 and 20:59, Monday through Friday (Europe/Paris time)"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("every 30 seconds", ErrorCode.CONTROL_SCHEDULE_TOO_OFTEN),
        ("every 0 minutes", ErrorCode.CONTROL_SCHEDULE_TOO_OFTEN),
        ("* * * * * *", ErrorCode.CONTROL_SCHEDULE_TOO_OFTEN),
        ("0 0 30 2 *", ErrorCode.CONTROL_SCHEDULE_NEVER_FIRES),
        ("0 12 31 4 *", ErrorCode.CONTROL_SCHEDULE_NEVER_FIRES),
        ("61 * * * *", ErrorCode.CONTROL_SCHEDULE_INVALID),
        ("0 0 * * 8", ErrorCode.CONTROL_SCHEDULE_INVALID),
        ("sometimes", ErrorCode.CONTROL_SCHEDULE_INVALID),
        ("@reboot", ErrorCode.CONTROL_SCHEDULE_INVALID),
        ("every 8 days", ErrorCode.CONTROL_SCHEDULE_INVALID),
        ("every 20000 minutes", ErrorCode.CONTROL_SCHEDULE_INVALID),
        ("0 */5 * * * 0", ErrorCode.CONTROL_SCHEDULE_INVALID),
        ("  ", ErrorCode.FIELD_REQUIRED),
    ],
)
def test_refused_schedules_say_why(text: str, code: ErrorCode) -> None:
    with pytest.raises(InputError) as refused:
        parse_schedule(text)
    assert refused.value.code is code
    assert refused.value.params["field"] == "schedule"
    if code is ErrorCode.CONTROL_SCHEDULE_INVALID:
        assert refused.value.params["reason"]


def test_interval_runs_follow_the_last_run() -> None:
    clock = FakeClock(dt.datetime(2026, 3, 1, 10, 7, 30, tzinfo=UTC))
    schedule = parse_schedule("every 15 minutes")
    assert schedule.next_after(clock.now()) == dt.datetime(2026, 3, 1, 10, 22, 30, tzinfo=UTC)
    clock.advance(minutes=15)
    assert schedule.next_after(clock.now()) == dt.datetime(2026, 3, 1, 10, 37, 30, tzinfo=UTC)


def test_cron_runs_are_read_in_the_studio_time_zone_across_a_clock_change() -> None:
    schedule = parse_schedule("30 8 * * *")
    # London changes to summer time on 29 March 2026: 08:30 local is 08:30 UTC, then 07:30 UTC
    before = schedule.next_after(dt.datetime(2026, 3, 28, 9, 0, tzinfo=UTC), "Europe/London")
    after = schedule.next_after(before, "Europe/London")
    assert before == dt.datetime(2026, 3, 29, 7, 30, tzinfo=UTC)
    assert after == dt.datetime(2026, 3, 30, 7, 30, tzinfo=UTC)
    assert schedule.next_after(
        dt.datetime(2026, 3, 27, 9, 0, tzinfo=UTC), "Europe/London"
    ) == dt.datetime(2026, 3, 28, 8, 30, tzinfo=UTC)


def test_a_weekday_schedule_skips_the_weekend() -> None:
    friday_evening = dt.datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
    following = parse_schedule("0 9 * * 1-5").next_after(friday_evening)
    assert following == dt.datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday


def test_jitter_moves_a_run_later_by_at_most_a_tenth_of_the_gap_and_a_minute() -> None:
    moment = dt.datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    five = parse_schedule("every 5 minutes")
    hourly = parse_schedule("@hourly")
    assert jitter_limit(five, moment) == dt.timedelta(seconds=30)
    assert jitter_limit(hourly, moment) == dt.timedelta(seconds=60)
    asked: list[float] = []

    def most(limit: float) -> float:
        asked.append(limit)
        return limit

    assert next_run(hourly, moment, "UTC", most) == dt.datetime(2026, 1, 1, 1, 1, tzinfo=UTC)
    assert next_run(five, moment, "UTC", lambda limit: 0.0) == moment + dt.timedelta(minutes=5)
    assert asked == [60.0]


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_schedule("every minute").next_after(dt.datetime(2026, 1, 1))
