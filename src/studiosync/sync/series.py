"""Repeating Google events: which of a series' occurrences become appointments.

Google hands the engine a series as single occurrences. New ones are taken only within a window
(from the Populate date, when one is set, up to ``ahead`` from now) and at most ``cap`` of a
series at a time, the earliest first. A series cut short is named once in the run log (its title
and repeat rule) and kept aside under its series id with the start of the last occurrence taken,
so later single edits beyond it are left out too; it is looked at anew when its rule changes.
Occurrences already linked to appointments are never left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from studiosync.errors import ErrorCode
from studiosync.providers.base import RemoteEvent
from studiosync.sync.quarantine import QuarantineEntry, title_of

FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class SeriesLimits:
    """How much of a repeating Google event the studio takes (see the module docstring)."""

    ahead: dt.timedelta = dt.timedelta(days=365)
    cap: int = 500


@dataclass(frozen=True)
class CutShort:
    """A series with more occurrences in the window than the cap: the first ``cap`` were kept."""

    series_id: str
    title: str
    last_kept: str
    left_out: int


def start_of(event: RemoteEvent) -> dt.datetime | None:
    """When an occurrence starts, as a UTC instant (all-day ones at midnight UTC)."""
    start = event.start
    if start is None:
        return None
    if start.date_time is not None:
        return start.date_time.astimezone(dt.UTC)
    if start.date is not None:
        return dt.datetime.combine(start.date, dt.time(), tzinfo=dt.UTC)
    return None


def _cutoff(entry: QuarantineEntry | None) -> dt.datetime | None:
    if entry is None or entry.code is not ErrorCode.SYNC_SERIES_CAPPED or not entry.starts:
        return None
    try:
        return dt.datetime.fromisoformat(entry.starts)
    except ValueError:
        return None


def limit_series(
    events: Iterable[RemoteEvent],
    *,
    linked: Collection[str],
    ours: Callable[[RemoteEvent], bool],
    now: dt.datetime,
    since: dt.date | None,
    limits: SeriesLimits,
    cut_before: Mapping[str, QuarantineEntry],
) -> tuple[list[RemoteEvent], list[CutShort], set[str]]:
    """The events to plan with, the series cut short now, and the series no longer cut short.

    ``linked`` are event ids with appointments, ``ours`` tells events the studio made,
    ``cut_before`` holds the entries of series cut short by earlier runs (by series id).
    """
    low = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC) if since else None
    high = now + limits.ahead
    kept: list[RemoteEvent] = []
    series: dict[str, list[RemoteEvent]] = defaultdict(list)
    taken: dict[str, int] = defaultdict(int)
    for event in events:
        key = event.recurring_event_id
        if key is None or event.cancelled or event.id in linked or ours(event):
            kept.append(event)
            taken[key or ""] += int(key is not None and event.id in linked)
            continue
        start = start_of(event)
        if start is None or (low is not None and start < low) or start >= high:
            continue
        series[key].append(event)
    cut: list[CutShort] = []
    whole: set[str] = set()
    for key, items in series.items():
        items.sort(key=lambda item: (start_of(item) or FAR_FUTURE, item.id))
        room = max(0, limits.cap - taken[key])
        earlier = _cutoff(cut_before.get(key))
        if len(items) <= room:
            if earlier is not None and len(items) > 1:
                whole.add(key)  # the whole series came again and now fits
            elif earlier is not None:
                items = [i for i in items if (start_of(i) or FAR_FUTURE) <= earlier]
            kept.extend(items)
            continue
        chosen = items[:room]
        kept.extend(chosen)
        last = start_of(chosen[-1]) if chosen else start_of(items[0])
        stamp = (last or now).isoformat()
        cut.append(CutShort(key, title_of(items[0]), stamp, len(items) - len(chosen)))
    return kept, cut, whole
