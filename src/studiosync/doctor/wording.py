"""Fills a catalogue entry's slots with the error's data, worded for a person."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from studiosync.wording.clean import clean_name
from studiosync.wording.conflicts import UNKNOWN_REASON, reason_words, side_words
from studiosync.wording.network import network_words
from studiosync.wording.times import parse_moment, plural, when

# What a slot says when the error did not carry it: words, never a "{slot}".
FALLBACK: dict[str, str] = {
    "user": "this user",
    "other": "another user",
    "count": "some",
    "event": "(an event without a title)",
    "appointment": "(an appointment without a title)",
    "item": "an item",
    "calendar": "the chosen calendar",
    "reason": "no reason was given",
    "until": "in a few hours",
    "last_seen": "some time ago",
    "google_email": "this Google account",
    "value": "empty",
    "title": "(no title)",
    "fields": "some of its details",
    "users": "none",
    "when": "time not known",
    "conflict_reason": UNKNOWN_REASON,
    "winner_side": "winning",
}
REASONS = ("reason", "error", "last_seen_reason")
EVENT_KINDS = {  # Google's eventType values (and a declined invitation) in words
    "outOfOffice": "an out-of-office entry",
    "focusTime": "a focus-time block",
    "workingLocation": "a working-location entry",
    "birthday": "a birthday",
    "fromGmail": "an entry made from a Gmail message",
    "declined": "an invitation that was declined",
}
ROLES = {
    "owner": "this account owns it",
    "writer": "this account may edit it",
    "reader": "this account may only read it",
    "freeBusyReader": "this account may only see when it is busy",
}


@dataclass(frozen=True)
class Context:
    """What turns raw data into words: the studio's time zone, now, and users' logins."""

    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    logins: Mapping[int, str] = field(default_factory=dict)


def word_value(key: str, value: Any, context: Context) -> str:
    """One slot's value in words: a moment as "today at 14:50", a user by login, text cleaned."""
    if isinstance(value, dt.datetime):
        return when(value, context.zone, context.now)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and key in ("user", "other"):
        return context.logins.get(value, FALLBACK[key])
    if isinstance(value, list | tuple):
        return ", ".join(word_value(key, item, context) for item in value) or "none"
    if key in REASONS and isinstance(value, str):  # before cleaning cuts a long text short
        return clean_name(network_words(value))
    text = clean_name(value)
    if key == "access_role":
        return ROLES.get(text, ROLES["reader"])
    if key == "event_type":
        return EVENT_KINDS.get(text, "an entry of a kind the studio does not copy")
    moment = parse_moment(text)
    if moment is not None:
        return when(moment, context.zone, context.now)
    if key in REASONS:
        return network_words(text)
    if text == "" and key in FALLBACK:
        return FALLBACK[key]
    return text


class _Slots(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return FALLBACK.get(key, "(not known)")


def derived(params: Mapping[str, Any]) -> dict[str, Any]:
    """Slots made from others: an event or appointment by its title when that is all there is."""
    extra: dict[str, Any] = {}
    count = params.get("count")
    if isinstance(count, int):
        extra["appointments"] = plural(count, "appointment")
        extra["events"] = plural(count, "event")
    if "winner" in params:  # a conflict: its reason code and winning side in words
        extra["conflict_reason"] = reason_words(params.get("reason"))
        extra["winner_side"] = side_words(params["winner"])
    for slot in ("event", "appointment"):
        if slot not in params:
            for name in ("title", "summary", f"{slot}_title"):
                if params.get(name):
                    extra[slot] = params[name]
                    break
    return extra


def fill(template: str, params: Mapping[str, Any], context: Context) -> str:
    """``template`` with each ``{slot}`` filled in words (a missing one by a plain fallback)."""
    words = _Slots(
        {
            key: word_value(key, value, context)
            for key, value in {**params, **derived(params)}.items()
        }
    )
    try:
        return string.Formatter().vformat(template, (), words)
    except (ValueError, IndexError, KeyError, AttributeError):
        return template
