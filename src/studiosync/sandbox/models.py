"""The records the sandbox keeps: accounts, calendars, events, contacts, OAuth grants and tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

ACCESS_ROLES = ("freeBusyReader", "reader", "writer", "owner")
WRITE_ROLES = frozenset({"writer", "owner"})


@dataclass
class Account:
    """A Google account: email, password hash and the switches tests flip on it."""

    email: str
    password_hash: str = field(repr=False)
    display_name: str
    subject: str
    time_zone: str = "UTC"
    daily_limit_exceeded: bool = False


@dataclass
class StoredEvent:
    """One event (or recurring-event exception) as stored; ``body`` is Google's JSON minus ids."""

    id: str
    calendar_id: str
    body: dict[str, Any]
    rev: int
    etag: str
    rendered: dict[str, orjson.Fragment] = field(default_factory=dict, repr=False, compare=False)

    @property
    def cancelled(self) -> bool:
        return self.body.get("status") == "cancelled"

    @property
    def recurring_event_id(self) -> str | None:
        value = self.body.get("recurringEventId")
        return str(value) if value else None

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "calendar_id": self.calendar_id,
            "body": self.body,
            "rev": self.rev,
            "etag": self.etag,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> StoredEvent:
        return cls(data["id"], data["calendar_id"], data["body"], data["rev"], data["etag"])


@dataclass
class Calendar:
    """A calendar and its events; ``changes`` is its append-only (revision, event id) log."""

    id: str
    summary: str
    time_zone: str
    owner: str | None
    etag: str
    description: str | None = None
    events: dict[str, StoredEvent] = field(default_factory=dict, repr=False)
    sorted_ids: list[str] = field(default_factory=list, repr=False)
    changes: list[tuple[int, str]] = field(default_factory=list, repr=False)

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "summary": self.summary,
            "time_zone": self.time_zone,
            "owner": self.owner,
            "etag": self.etag,
            "description": self.description,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Calendar:
        return cls(
            data["id"],
            data["summary"],
            data["time_zone"],
            data["owner"],
            data["etag"],
            data.get("description"),
        )


@dataclass
class Membership:
    """An entry of one account's calendar list: which calendar, with what access role."""

    email: str
    calendar_id: str
    access_role: str
    primary: bool = False
    color_id: str = "14"

    @property
    def key(self) -> str:
        return f"{self.email}|{self.calendar_id}"

    def record(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "calendar_id": self.calendar_id,
            "access_role": self.access_role,
            "primary": self.primary,
            "color_id": self.color_id,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Membership:
        return cls(
            data["email"],
            data["calendar_id"],
            data["access_role"],
            data["primary"],
            data.get("color_id", "14"),
        )


@dataclass
class Person:
    """A contact of one account: its People fields, version and deletion mark."""

    resource_name: str
    owner: str
    fields: dict[str, list[dict[str, Any]]]
    rev: int
    etag: str
    source_id: str
    update_time: str
    deleted: bool = False

    @property
    def key(self) -> str:
        return f"{self.owner}|{self.resource_name}"

    def record(self) -> dict[str, Any]:
        return {
            "resource_name": self.resource_name,
            "owner": self.owner,
            "fields": self.fields,
            "rev": self.rev,
            "etag": self.etag,
            "source_id": self.source_id,
            "update_time": self.update_time,
            "deleted": self.deleted,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Person:
        return cls(**data)


@dataclass
class Grant:
    """What one account allowed one OAuth client; holds the (hashed) refresh token if any."""

    id: str
    email: str
    client_id: str
    scopes: list[str]
    created: float
    refresh_hash: str | None = field(default=None, repr=False)
    revoked: bool = False

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "client_id": self.client_id,
            "scopes": self.scopes,
            "created": self.created,
            "refresh_hash": self.refresh_hash,
            "revoked": self.revoked,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Grant:
        return cls(**data)


@dataclass
class AccessToken:
    """An issued access token, known by its hash only."""

    hash: str = field(repr=False)
    grant_id: str
    email: str
    client_id: str
    scopes: frozenset[str]
    expires_at: float

    def record(self) -> dict[str, Any]:
        return {
            "hash": self.hash,
            "grant_id": self.grant_id,
            "email": self.email,
            "client_id": self.client_id,
            "scopes": sorted(self.scopes),
            "expires_at": self.expires_at,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> AccessToken:
        return cls(
            data["hash"],
            data["grant_id"],
            data["email"],
            data["client_id"],
            frozenset(data["scopes"]),
            data["expires_at"],
        )
