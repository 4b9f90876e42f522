"""Creating accounts and calendars, and checking passwords, for the consent page and admin API."""

from __future__ import annotations

import secrets
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from studiosync.sandbox.models import ACCESS_ROLES, Account, Calendar, Membership
from studiosync.sandbox.store import Store

_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
BASE32HEX = "0123456789abcdefghijklmnopqrstuv"


class AccountSpecError(ValueError):
    """An admin request that cannot make an account or calendar; the message says why."""


def random_id(length: int = 26) -> str:
    """A Google-style id in base32hex (the alphabet Calendar event ids allow)."""
    return "".join(secrets.choice(BASE32HEX) for _ in range(length))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(account: Account, password: str) -> bool:
    try:
        return _hasher.verify(account.password_hash, password)
    except VerificationError:
        return False


def valid_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def create_account(
    store: Store, spec: dict[str, Any], *, password_hash: str | None = None
) -> Account:
    """An account with its primary calendar (id = email) and any extra calendars asked for.

    ``password_hash`` (the hash of the spec's password, made once) spares hashing it again when
    many accounts share one password.
    """
    email = str(spec.get("email") or "").strip().lower()
    password = spec.get("password")
    if "@" not in email or email.startswith("@"):
        raise AccountSpecError("email must be an email address")
    if not isinstance(password, str) or not password:
        raise AccountSpecError("password is required")
    if email in store.accounts:
        raise AccountSpecError(f"account {email} already exists")
    time_zone = str(spec.get("timeZone") or "UTC")
    if not valid_time_zone(time_zone):
        raise AccountSpecError(f"unknown time zone {time_zone}")
    account = Account(
        email=email,
        password_hash=password_hash or hash_password(password),
        display_name=str(spec.get("name") or email.split("@")[0].title()),
        subject=str(100000000000000000000 + secrets.randbelow(10**20)),
        time_zone=time_zone,
    )
    store.put_account(account)
    primary = Calendar(email, email, time_zone, email, store.new_etag(store.next_rev()))
    store.put_calendar(primary)
    store.put_membership(Membership(email, email, "owner", primary=True))
    for extra in spec.get("calendars") or []:
        add_calendar(store, email, extra)
    return account


def add_calendar(store: Store, email: str, spec: dict[str, Any]) -> Calendar:
    """A secondary calendar in ``email``'s list; owned by them unless accessRole says otherwise."""
    if email not in store.accounts:
        raise AccountSpecError(f"no account {email}")
    role = str(spec.get("accessRole") or "owner")
    if role not in ACCESS_ROLES:
        raise AccountSpecError(f"accessRole must be one of {', '.join(ACCESS_ROLES)}")
    summary = str(spec.get("summary") or "").strip()
    if not summary:
        raise AccountSpecError("summary is required")
    time_zone = str(spec.get("timeZone") or store.accounts[email].time_zone)
    if not valid_time_zone(time_zone):
        raise AccountSpecError(f"unknown time zone {time_zone}")
    calendar_id = str(spec.get("id") or f"{random_id()}@group.calendar.google.com")
    if calendar_id in store.calendars:
        raise AccountSpecError(f"calendar {calendar_id} already exists")
    owner = email if role == "owner" else None
    calendar = Calendar(
        calendar_id,
        summary,
        time_zone,
        owner,
        store.new_etag(store.next_rev()),
        spec.get("description"),
    )
    store.put_calendar(calendar)
    store.put_membership(Membership(email, calendar_id, role))
    return calendar


def share_calendar(store: Store, calendar_id: str, email: str, role: str) -> Membership:
    """Put an existing calendar in another account's list with the given access role."""
    if calendar_id not in store.calendars:
        raise AccountSpecError(f"no calendar {calendar_id}")
    if email not in store.accounts:
        raise AccountSpecError(f"no account {email}")
    if role not in ACCESS_ROLES:
        raise AccountSpecError(f"accessRole must be one of {', '.join(ACCESS_ROLES)}")
    membership = Membership(email, calendar_id, role)
    store.put_membership(membership)
    return membership
