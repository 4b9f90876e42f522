"""Reading what people type into forms: checkboxes, dates, times, numbers and record numbers."""

from __future__ import annotations

import datetime as dt

from studiosync.errors import ErrorCode, InputError, NotFoundError
from studiosync.studio.validation import FIRST_YEAR, LAST_YEAR

MAX_ID = 2**31 - 1


def checked(value: str | None) -> bool:
    """An HTML checkbox sends 'on' when ticked and nothing when not."""
    return (value or "").strip().lower() in {"on", "true", "1", "yes"}


def in_range(field: str, day: dt.date, text: str) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputError(ErrorCode.INVALID_DATE, field=field, value=text)
    return day


def optional_date(field: str, text: str | None) -> dt.date | None:
    value = (text or "").strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(ErrorCode.INVALID_DATE, field=field, value=value) from exc
    return in_range(field, day, value)


def required_date(field: str, text: str | None) -> dt.date:
    day = optional_date(field, text)
    if day is None:
        raise InputError(ErrorCode.FIELD_REQUIRED, field=field)
    return day


def required_time(field: str, text: str | None) -> dt.time:
    value = (text or "").strip()
    if not value:
        raise InputError(ErrorCode.FIELD_REQUIRED, field=field)
    try:
        moment = dt.time.fromisoformat(value)
    except ValueError as exc:
        raise InputError(ErrorCode.INVALID_TIME, field=field, value=value) from exc
    return moment.replace(tzinfo=None)


def optional_number(field: str, text: str | None, minimum: int, maximum: int) -> int | None:
    value = (text or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not minimum <= int(value) <= maximum:
        raise InputError(
            ErrorCode.INVALID_NUMBER, field=field, value=value, minimum=minimum, maximum=maximum
        )
    return int(value)


def record_id(entity: str, text: str | int, command: str) -> int:
    """A record number from a form or an address; anything else is 'not found'."""
    value = str(text).strip()
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_ID:
        raise NotFoundError(entity=entity, key=value[:40], command=command)
    return int(value)


def record_ids(entity: str, values: list[str], command: str) -> list[int]:
    return [record_id(entity, value, command) for value in values if value.strip()]


def lines(text: str | None) -> list[str]:
    """One entry per line (or comma) of a text area, blanks dropped."""
    parts = (text or "").replace(",", "\n").splitlines()
    return [part.strip() for part in parts if part.strip()]


def user_key(text: str) -> str | int:
    """A user's login, or a number; a number beyond any record can match nothing."""
    value = text.strip()
    if value.isdigit():
        return record_id("user", value, "user")
    return value
