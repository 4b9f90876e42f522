"""Checks shared by every studio service: required text, emails, time zones, lookups."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.errors import ErrorCode, InputError, NotFoundError
from studiosync.studio.models import Base, Client, ClientGroup, Resource, User

FIRST_YEAR, LAST_YEAR = 1900, 2200
"""The one range of years an appointment may fall in: CLI, API, web pages and sync alike."""

LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
Model = TypeVar("Model", bound=Base)


def required_text(field: str, value: str | None, *, max_length: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise InputError(ErrorCode.FIELD_REQUIRED, field=field)
    if len(text) > max_length:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field=field,
            value=text[:40] + "…",
            reason=f"it is longer than {max_length} characters",
        )
    return text


def in_years(field: str, value: dt.date) -> None:
    """Refuse a date (or moment) outside the studio's range of years."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field=field,
            value=value.isoformat()[:10],
            reason=f"the year must be from {FIRST_YEAR} to {LAST_YEAR}",
        )


def optional_text(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def email_address(field: str, value: str) -> str:
    """A syntactically valid address, normalised (no network look-up here)."""
    # Imported here: email_validator costs ~50 ms, which every CLI command would otherwise pay.
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InputError(ErrorCode.INVALID_EMAIL, field=field, value=value) from exc


def optional_email(field: str, value: str | None) -> str | None:
    return email_address(field, value) if value and value.strip() else None


@cache
def _known_zones() -> frozenset[str]:
    """The zone names of the time zone database (reading it takes a while: once is enough)."""
    return frozenset(available_timezones())


def time_zone(field: str, value: str) -> str:
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(ErrorCode.INVALID_TIMEZONE, field=field, value=value) from exc
    if name not in _known_zones() and name != "UTC":
        raise InputError(ErrorCode.INVALID_TIMEZONE, field=field, value=value)
    return name


def login(value: str) -> str:
    text = value.strip()
    if not LOGIN_PATTERN.match(text):
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="login",
            value=value,
            reason="use 1–64 letters, digits, dots, dashes or underscores, starting with a letter "
            "or digit",
        )
    return text


def find_user(session: Session, key: str | int) -> User:
    """A user by login or id; a resource's name gives the clear 'resource, not a user' error."""
    user: User | None
    if isinstance(key, int) or str(key).isdigit():
        user = session.get(User, int(key))
    else:
        user = session.scalar(select(User).where(User.login == key))
    if user is not None:
        return user
    resource = session.scalar(select(Resource).where(Resource.name == str(key)))
    if resource is not None:
        raise InputError(
            ErrorCode.RESOURCE_NOT_USER, field="user", name=resource.name, kind=resource.kind.value
        )
    raise NotFoundError(entity="user", key=str(key), command="user")


def find_resource(session: Session, key: str | int) -> Resource:
    resource: Resource | None
    if isinstance(key, int) or str(key).isdigit():
        resource = session.get(Resource, int(key))
    else:
        resource = session.scalar(select(Resource).where(Resource.name == key))
    if resource is None:
        raise NotFoundError(entity="resource", key=str(key), command="resource")
    return resource


def find_client(session: Session, key: str | int) -> Client:
    """A client by id, or by exact name when exactly one client has it."""
    if isinstance(key, int) or str(key).isdigit():
        client = session.get(Client, int(key))
        if client is None:
            raise NotFoundError(entity="client", key=str(key), command="client")
        return client
    matches = list(session.scalars(select(Client).where(Client.name == key).limit(2)))
    if not matches:
        raise NotFoundError(entity="client", key=str(key), command="client")
    if len(matches) > 1:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="client",
            value=key,
            reason="several clients have that name; give the client's number instead",
        )
    return matches[0]


def find_group(session: Session, key: str | int) -> ClientGroup:
    group: ClientGroup | None
    if isinstance(key, int) or str(key).isdigit():
        group = session.get(ClientGroup, int(key))
    else:
        group = session.scalar(select(ClientGroup).where(ClientGroup.name == key))
    if group is None:
        raise NotFoundError(entity="client group", key=str(key), command="group")
    return group


class Unchanged:
    """The type of UNCHANGED: an optional field that is not being changed."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = Unchanged()
