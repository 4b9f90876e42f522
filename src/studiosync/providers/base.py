"""The one provider protocol the sync engine sees, with the plain records it exchanges.

A provider is a calendar + contacts service with Google's semantics (Calendar v3, People v1):

* ``changes`` lists the calendar's events **as single instances** (Google's
  ``singleEvents=true``): a recurring series arrives as one event per occurrence, each with
  ``recurring_event_id`` and ``original_start``; an edited occurrence is just that instance with
  new content, a cancelled one is a ``cancelled`` stub. The engine therefore maps one instance to
  one appointment and never has to expand recurrence rules itself. Without a token the listing is
  full (live events only); with one it is incremental and deleted events may come back as
  ``cancelled`` stubs carrying only an id. Paging is followed inside; the answer holds the token
  for next time. An unknown or expired token raises ``SyncTokenExpiredError``.
* ``apply`` sends a batch (at most ``MAX_BATCH`` calls) of inserts with a chosen id, updates with
  ``If-Match`` and deletes, and answers one ``Outcome`` per operation, in order: ``Applied`` or the
  ``ProviderError`` that operation met (409 duplicate, 412 etag mismatch, 404/410 gone, 403/429
  rate limit...). Only a failure of the whole batch (connection dropped, quota) is raised.
  Deleting an event that is already gone answers the gone error (``RemoteNotFoundError``),
  which the engine treats as done. An update is a patch of the fields in ``EventBody``: the
  private properties it names are set, others on the event are kept (Google's patch merges
  maps), and so are the fields the body does not hold (attendees...).
* ``get_event`` reads one event; a deleted event is answered with status ``cancelled``.
* ``contacts`` is People ``connections.list`` with a sync token; an expired token raises
  ``SyncTokenExpiredError`` (People says 400 FAILED_PRECONDITION; the provider maps it). A
  contacts token dies 7 days after the full listing it descends from, however often it is used.

Every error is a ``studiosync.errors.ProviderError`` subclass carrying an ``ErrorCode``.
``tests/contract`` holds every provider to these words (``studiosync.testing.contract``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable

from studiosync.errors import ProviderError

MAX_BATCH = 1000
"""Google accepts at most this many calls in one batch request."""


class EventStatus(StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


class ResponseStatus(StrEnum):
    NEEDS_ACTION = "needsAction"
    DECLINED = "declined"
    TENTATIVE = "tentative"
    ACCEPTED = "accepted"


@dataclass(frozen=True)
class CalendarInfo:
    """One entry of the account's calendar list."""

    id: str
    summary: str
    access_role: str
    primary: bool
    time_zone: str

    @property
    def writable(self) -> bool:
        return self.access_role in ("owner", "writer")


@dataclass(frozen=True)
class EventTime:
    """A start or end: a timezone-aware instant for timed events, or a date for all-day ones."""

    date_time: dt.datetime | None = None
    date: dt.date | None = None

    def __post_init__(self) -> None:
        if (self.date_time is None) == (self.date is None):
            raise ValueError("an EventTime holds exactly one of date_time and date")
        if self.date_time is not None and self.date_time.utcoffset() is None:
            raise ValueError("naive datetimes are refused; give a timezone-aware datetime")


@dataclass(frozen=True)
class Attendee:
    email: str
    response_status: str = ResponseStatus.NEEDS_ACTION
    is_self: bool = False


@dataclass(frozen=True)
class EventBody:
    """What the engine writes into an event (an all-day end date is exclusive)."""

    summary: str
    description: str
    location: str
    start: EventTime
    end: EventTime
    time_zone: str
    status: str = EventStatus.CONFIRMED
    private: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RemoteEvent:
    """One event (or one instance of a series) as the provider reports it.

    A cancelled stub may carry only ``id`` and ``status``. ``time_zone`` is the event's zone,
    or the calendar's when the event names none (an all-day event never does). ``unreadable``
    names the field the provider could not read (the engine then skips the event and says so);
    everything else is as sent.
    ``recurrence`` holds the repeat rules of a series' master event (instances have none).
    """

    id: str
    status: str = EventStatus.CONFIRMED
    etag: str | None = None
    summary: str = ""
    description: str = ""
    location: str = ""
    start: EventTime | None = None
    end: EventTime | None = None
    time_zone: str | None = None
    updated: dt.datetime | None = None
    event_type: str = "default"
    private: Mapping[str, str] = field(default_factory=dict)
    attendees: tuple[Attendee, ...] = ()
    recurring_event_id: str | None = None
    original_start: EventTime | None = None
    unreadable: str | None = None
    recurrence: tuple[str, ...] = ()

    @property
    def cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED


@dataclass(frozen=True)
class EventChanges:
    """The events changed since a token (or all live events), and the token for next time."""

    events: Sequence[RemoteEvent]
    next_sync_token: str


@dataclass(frozen=True)
class InsertEvent:
    """Create an event with a client-chosen id (409 duplicate when the id is taken)."""

    event_id: str
    body: EventBody


@dataclass(frozen=True)
class UpdateEvent:
    """Rewrite an event's body fields; with ``if_match`` a moved-on etag answers 412."""

    event_id: str
    body: EventBody
    if_match: str | None


@dataclass(frozen=True)
class DeleteEvent:
    """Delete an event (or cancel one instance of a series)."""

    event_id: str
    if_match: str | None = None


Operation = InsertEvent | UpdateEvent | DeleteEvent


@dataclass(frozen=True)
class Applied:
    """An operation that succeeded: the event as now stored (``None`` after a delete)."""

    event: RemoteEvent | None


Outcome = Applied | ProviderError


@dataclass(frozen=True)
class RemoteContact:
    """One People connection; ``deleted`` ones carry only the resource name."""

    resource_name: str
    etag: str | None = None
    display_name: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    deleted: bool = False


@dataclass(frozen=True)
class ContactChanges:
    contacts: Sequence[RemoteContact]
    next_sync_token: str


class Provider(Protocol):
    """One linked account: its calendars, one calendar's events, and its contacts."""

    def list_calendars(self) -> list[CalendarInfo]:
        """The account's calendar list."""
        ...

    def changes(self, calendar_id: str, sync_token: str | None) -> EventChanges:
        """Events changed since ``sync_token`` (all live events when ``None``), as instances."""
        ...

    def get_event(self, calendar_id: str, event_id: str) -> RemoteEvent:
        """One event by id; raises ``RemoteNotFoundError`` when there is none."""
        ...

    def apply(self, calendar_id: str, operations: Sequence[Operation]) -> list[Outcome]:
        """Run up to ``MAX_BATCH`` operations as one batch; one outcome per operation."""
        ...

    def contacts(self, sync_token: str | None) -> ContactChanges:
        """Contacts changed since ``sync_token`` (all of them when ``None``)."""
        ...


@runtime_checkable
class OneResourceSeries(Protocol):
    """A provider whose series is one resource (CalDAV): a deleted series is listed as one
    cancelled stub with the series id, standing for every occurrence of it."""

    series_is_one_resource: bool

    def occurrence_prefix(self, series_id: str) -> str:
        """What every occurrence id of the series begins with."""
        ...


@runtime_checkable
class OwnRate(Protocol):
    """A provider whose service sets the pace, not Google's per-user quota (a CalDAV server
    has none): the engine paces its requests by this rate instead."""

    requests_per_minute: int


@dataclass(frozen=True)
class WatchRequest:
    """A push channel to open: our id for it, where to post, its secret, how long it lives."""

    channel_id: str
    address: str
    token: str
    ttl_seconds: int


@dataclass(frozen=True)
class WatchAnswer:
    """The opened channel: the service's id of what it watches, and when it ends."""

    resource_id: str
    expires_at: dt.datetime | None


class Watchable(Protocol):
    """An account whose service can post "something changed" to an address (push channels)."""

    def watch(self, calendar_id: str, request: WatchRequest) -> WatchAnswer:
        """Open a channel on the calendar's events."""
        ...

    def stop_channel(self, channel_id: str, resource_id: str) -> None:
        """Stop a channel; one the service no longer knows counts as stopped."""
        ...
