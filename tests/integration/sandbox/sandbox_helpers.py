"""Constants and small helpers the sandbox conformance tests share."""

from __future__ import annotations

from typing import Any

import httpx

AUTH = "https://www.googleapis.com/auth/"
CALENDAR = AUTH + "calendar"
CALENDAR_READONLY = AUTH + "calendar.readonly"
CALENDAR_EVENTS = AUTH + "calendar.events"
CONTACTS = AUTH + "contacts"
CONTACTS_READONLY = AUTH + "contacts.readonly"
ANN = "ann@example.com"
BOB = "bob@example.com"


def timed(day: int, hour: int, minutes: int = 60, zone: str = "Z") -> dict[str, Any]:
    """Start and end of a timed event on 2030-05-{day} at {hour}:00."""
    end_hour, end_minute = hour + minutes // 60, minutes % 60
    return {
        "start": {"dateTime": f"2030-05-{day:02d}T{hour:02d}:00:00{zone}"},
        "end": {"dateTime": f"2030-05-{day:02d}T{end_hour:02d}:{end_minute:02d}:00{zone}"},
    }


def error_of(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body
