"""Google's instance ids name their series; other ids (the studio's own, single events) do not."""

from __future__ import annotations

import pytest

from studiosync.syncstate.series_marks import SeriesMark, series_of


@pytest.mark.parametrize(
    ("event_id", "series"),
    [
        ("abc123_20260504T070000Z", "abc123"),
        ("abc123_20260504", "abc123"),
        ("ss5a17g1h2", None),
        ("abc123", None),
        ("abc123_2026", None),
        ("abc123_20260504T0700Z", None),
    ],
)
def test_the_series_of_an_event_id(event_id: str, series: str | None) -> None:
    assert series_of(event_id) == series


@pytest.mark.parametrize(
    ("event_id", "series"),
    [
        ("weekly-class@20260907T070000Z", "weekly-class"),
        ("a@b@20260907", "a@b"),
        ("weekly_20260907T070000Z", None),
        ("weekly-class", None),
    ],
)
def test_the_series_of_a_caldav_occurrence_id(event_id: str, series: str | None) -> None:
    assert series_of(event_id, "@") == series


def test_a_mark_in_words() -> None:
    mark = SeriesMark(2, 5)
    assert mark.words == "Repeats in Google · 2 of 5"
    assert "One of 5 appointments" in mark.detail
