"""A user's run in words: the one-line summary of a round and items named by title and time."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from studiosync.sync.result import Change, ItemName
from studiosync.wording.times import day_stamp, stamp

TITLE_SHOWN = 80
NO_TITLE = "(no title)"
ACTIVE_COUNTS = (
    "pushed_new",
    "pushed_updated",
    "pushed_deleted",
    "pulled_new",
    "pulled_updated",
    "pulled_deleted",
    "skipped",
    "skipped_tentative",
    "conflicts",
    "contacts_new",
    "contacts_updated",
)
CHANGE_WORDS = {
    Change.SENT_NEW: "New in {service}",
    Change.SENT_CHANGED: "Changed in {service}",
    Change.SENT_DELETED: "Removed from {service}",
    Change.BROUGHT_NEW: "New in the studio, from {service}",
    Change.BROUGHT_CHANGED: "Changed in the studio, from {service}",
    Change.BROUGHT_DELETED: "Removed from the studio, deleted in {service}",
}
"""Each kind of change; ``{service}`` is the user's calendar service (Google, iCloud...)."""
DEFAULT_SERVICE = "Google"


def service_in(params: Mapping[str, Any]) -> str:
    """The calendar service a stored run names (runs stored before it was kept were Google's)."""
    service = params.get("service")
    return service if isinstance(service, str) and service else DEFAULT_SERVICE


def _plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _number(counts: Mapping[str, Any], key: str) -> int:
    value = counts.get(key, 0)
    return value if isinstance(value, int) else 0


def is_active(counts: Mapping[str, Any]) -> bool:
    """Whether a run sent, brought back or skipped anything."""
    return any(_number(counts, key) for key in ACTIVE_COUNTS)


def round_sentence(
    counts: Mapping[str, Any], *, problems: int = 0, service: str = DEFAULT_SERVICE
) -> str:
    """What one user's run did, in a sentence: 'Sent 3 new and 1 changed appointment to Google;
    brought back 2 changes from Google; skipped 1 event — see below.' or 'Nothing changed.'"""
    said: list[str] = []
    new, changed = _number(counts, "pushed_new"), _number(counts, "pushed_updated")
    if new or changed:
        kinds = [f"{n} {word}" for n, word in ((new, "new"), (changed, "changed")) if n]
        last = changed or new
        said.append(
            f"sent {_listed(kinds)} {'appointment' if last == 1 else 'appointments'} to {service}"
        )
    if gone := _number(counts, "pushed_deleted"):
        said.append(f"removed {_plural(gone, 'appointment')} from {service}")
    brought = [
        _plural(_number(counts, key), noun)
        for key, noun in (
            ("pulled_new", "new appointment"),
            ("pulled_updated", "change"),
            ("pulled_deleted", "deletion"),
        )
        if _number(counts, key)
    ]
    if brought:
        said.append(f"brought back {_listed(brought)} from {service}")
    contacts = [
        f"{_number(counts, key)} {word}"
        for key, word in (("contacts_new", "new"), ("contacts_updated", "updated"))
        if _number(counts, key)
    ]
    if contacts:
        last = _number(counts, "contacts_updated") or _number(counts, "contacts_new")
        said.append(f"brought in {_listed(contacts)} {'contact' if last == 1 else 'contacts'}")
    if skipped := _number(counts, "skipped"):
        said.append(f"skipped {_plural(skipped, 'event')} — see below")
    if conflicts := _number(counts, "conflicts"):
        said.append(f"kept {_plural(conflicts, 'losing change')} in the conflict log — see below")
    if problems:
        said.append(f"{_plural(problems, 'problem')} — see below")
    if not said:
        return "Nothing changed."
    sentence = "; ".join(said)
    return sentence[0].upper() + sentence[1:] + ("" if sentence.endswith("below") else ".")


def printable(text: str) -> str:
    """Text from Google made safe to show: control characters as spaces, runs of space as one."""
    cleaned = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(cleaned.split())


def title_words(title: str) -> str:
    shown = printable(title)
    if not shown:
        return NO_TITLE
    if len(shown) > TITLE_SHOWN:
        shown = shown[: TITLE_SHOWN - 1].rstrip() + "…"
    return f"“{shown}”"


def when_words(start: dt.datetime | dt.date | None, zone: ZoneInfo) -> str:
    """'Thu 3 Dec 2026 at 14:00' in the studio's time zone; all-day items by their date."""
    if isinstance(start, dt.datetime):
        return stamp(start, zone if start.tzinfo else None)  # naive: already the studio's clock
    if isinstance(start, dt.date):
        return f"{day_stamp(start)}, all day"
    return ""


def item_words(about: ItemName, zone: ZoneInfo) -> str:
    """An item as people recognise it: '“Rivera family session”, Thu 3 Dec 2026 at 14:00'."""
    when = when_words(about.start, zone)
    return f"{title_words(about.title)}, {when}" if when else title_words(about.title)


def stored(about: ItemName) -> dict[str, str]:
    """An item's name as log-line params (kept as text in the database)."""
    start = about.start
    return {
        "item_title": about.title,
        "item_start": start.isoformat() if start is not None else "",
    }


def from_params(params: Mapping[str, Any]) -> ItemName | None:
    """The item name a log line's params hold, if any (see ``stored``)."""
    title = params.get("item_title")
    if not isinstance(title, str):
        return None
    return ItemName(title, parse_start(params.get("item_start")))


def parse_start(text: object) -> dt.datetime | dt.date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        if len(text) == len("2026-12-03"):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class NamedChange:
    """One item a run changed, as an email or page lists it."""

    change: str
    words: str


def changes_in_words(
    items: list[Any], zone: ZoneInfo, service: str = DEFAULT_SERVICE
) -> list[NamedChange]:
    """The items stored with a run's summary line, worded (unknown entries are left out)."""
    named: list[NamedChange] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        try:
            change = Change(str(item.get("change")))
        except ValueError:
            continue
        about = from_params(item)
        words = item_words(about, zone) if about else "an appointment no longer in the studio"
        named.append(NamedChange(CHANGE_WORDS[change].format(service=service), words))
    return named
