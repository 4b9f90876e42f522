"""Events put aside: what the studio could not take from Google, kept by id until Google changes it.

An event is put aside with its title, start and the reason, under a *stamp* (its etag, or its
update time when Google gave no etag). While Google shows the same stamp the event is left alone
and not logged again; a new stamp means it changed, so it is tried again. An entry is dropped as
soon as the event goes through or is deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studiosync.errors import ErrorCode
from studiosync.providers.base import RemoteEvent

TITLE_LENGTH = 200
"""How much of a title is kept to name an event (a title can be very long)."""


@dataclass(frozen=True)
class QuarantineEntry:
    """One event put aside for one user."""

    event_id: str
    title: str
    starts: str | None
    code: ErrorCode
    reason: str
    stamp: str | None


def stamp(event: RemoteEvent) -> str | None:
    """What tells one version of an event from the next."""
    if event.etag:
        return event.etag
    return event.updated.isoformat() if event.updated else None


def starts(event: RemoteEvent) -> str | None:
    """The event's start as ISO text (a date for all-day events), ``None`` when it has none."""
    start = event.start
    if start is None:
        return None
    moment: dt.date | dt.datetime | None = start.date_time or start.date
    return moment.isoformat() if moment is not None else None


def when_in_words(event: RemoteEvent) -> str:
    """The event's start for a person: "Wednesday 2 December 2026, 09:00 (UTC)"."""
    start = event.start
    if start is None:
        return "no start time"
    if start.date is not None:
        return f"{start.date:%A} {start.date.day} {start.date:%B %Y}, all day"
    moment = start.date_time
    assert moment is not None
    zone = event.time_zone or "UTC"
    try:
        moment = moment.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError, OverflowError):
        zone = str(moment.tzname() or "UTC")
    return f"{moment:%A} {moment.day} {moment:%B %Y}, {moment:%H:%M} ({zone})"


def start_in_words(text: str | None) -> str:
    """A start kept as ISO text (see ``starts``), for a person."""
    if not text:
        return "no start time"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if "T" not in text:
        return f"{moment:%A} {moment.day} {moment:%B %Y}, all day"
    return f"{moment:%A} {moment.day} {moment:%B %Y}, {moment:%H:%M}"


def title_of(event: RemoteEvent) -> str:
    text = " ".join(event.summary.split())
    if len(text) > TITLE_LENGTH:
        return text[: TITLE_LENGTH - 1] + "…"
    return text or "(no title)"


def entry_for(event: RemoteEvent, code: ErrorCode, reason: str) -> QuarantineEntry:
    return QuarantineEntry(event.id, title_of(event), starts(event), code, reason, stamp(event))


def unchanged(event: RemoteEvent, entry: QuarantineEntry | None) -> bool:
    """Google still shows the version that was put aside."""
    if entry is None or event.cancelled:
        return False
    current = stamp(event)
    return current is not None and current == entry.stamp
