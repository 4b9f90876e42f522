"""An in-memory provider with Google's semantics (or CalDAV's): the test double behind the engine.

It keeps etags (412 on a stale ``If-Match``), refuses a taken id (409, also for deleted
events), answers deleted events as ``cancelled`` stubs in incremental listings, expands
recurring series into instances (``singleEvents=true``) whose single occurrences can be edited
or cancelled, and hands out sync tokens that can be made to expire (410; a contacts token also
dies 7 days after its full listing, as People's do). As through the Google provider, an update
is a patch (private properties merge) and an event that names no zone of its own (all-day ones
never do) reports its calendar's. The provider contract suite (``tests/contract``) holds it to
the same tests as the Google provider on the sandbox. The ``google_*``
methods play the user editing in Google Calendar. Faults come through one seam: ``fault`` is
called before and after every request (and each call inside a batch) and may return a
``ProviderError`` to answer instead — "after" means the work was done but the answer was lost.
An optional per-minute request limit answers rate-limit errors like Google does. With
``Semantics.CALDAV`` it plays a CalDAV calendar instead (see ``Semantics``), so the engine's
model tests run over one resource per series too.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from studiosync.clock import Clock
from studiosync.errors import (
    ErrorCode,
    PreconditionFailedError,
    ProviderError,
    RateLimitedError,
    RemoteDuplicateError,
    RemoteNotFoundError,
    SyncTokenExpiredError,
)
from studiosync.providers.base import (
    Applied,
    CalendarInfo,
    ContactChanges,
    DeleteEvent,
    EventChanges,
    EventStatus,
    InsertEvent,
    Operation,
    Outcome,
    RemoteContact,
    RemoteEvent,
    UpdateEvent,
)
from studiosync.providers.memory_contacts import ContactBook
from studiosync.providers.memory_store import OwnWrites, Semantics, Series, Stored, shift, stamp

EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")


@dataclass(frozen=True)
class Call:
    """One request as the fault seam sees it."""

    method: str
    phase: str
    calendar_id: str | None = None
    event_id: str | None = None


FaultHook = Callable[[Call], ProviderError | None]


class MemoryProvider:
    """One account with calendars and contacts, held in memory."""

    def __init__(
        self,
        clock: Clock,
        *,
        calendars: Sequence[CalendarInfo] = (),
        fault: FaultHook | None = None,
        requests_per_minute: int | None = None,
        semantics: Semantics = Semantics.GOOGLE,
    ) -> None:
        self.clock = clock
        self.semantics = semantics
        self.series_is_one_resource = semantics is Semantics.CALDAV
        self._own: dict[str, OwnWrites] = {}
        self.fault = fault
        self.requests_per_minute = requests_per_minute
        self.requests = 0
        self._recent: deque[float] = deque()
        self._calendars = {info.id: info for info in calendars} or {
            "primary": CalendarInfo("primary", "Primary", "owner", True, "UTC")
        }
        self._events: dict[str, dict[str, Stored]] = {key: {} for key in self._calendars}
        self._seq = itertools.count(1)
        self._last = 0
        self._generation = 0
        self._ids = itertools.count(1)
        self.book = ContactBook(clock, tokens_age=semantics is Semantics.GOOGLE)

    # -- the seam ----------------------------------------------------------------------------

    def _next_seq(self) -> int:
        self._last = next(self._seq)
        return self._last

    def _check(self, method: str, phase: str, calendar: str | None, event_id: str | None) -> None:
        error = self._fault(method, phase, calendar, event_id)
        if error is not None:
            raise error

    def _fault(
        self, method: str, phase: str, calendar: str | None, event_id: str | None
    ) -> ProviderError | None:
        if phase == "before" and method != "batch":
            self.requests += 1
            limited = self._rate_limited()
            if limited is not None:
                return limited
        if self.fault is None:
            return None
        return self.fault(Call(method, phase, calendar, event_id))

    def _rate_limited(self) -> ProviderError | None:
        if self.requests_per_minute is None:
            return None
        now = self.clock.monotonic()
        while self._recent and self._recent[0] <= now - 60.0:
            self._recent.popleft()
        if len(self._recent) >= self.requests_per_minute:
            wait = 60.0 - (now - self._recent[0])
            return RateLimitedError(ErrorCode.PROVIDER_RATE_LIMITED, retry_after=wait)
        self._recent.append(now)
        return None

    def occurrence_prefix(self, series_id: str) -> str:
        """Occurrence ids are ``<series id>_<start>`` (``OneResourceSeries`` with CalDAV's)."""
        return f"{series_id}_"

    def _calendar(self, calendar_id: str) -> dict[str, Stored]:
        if calendar_id not in self._events:
            raise RemoteNotFoundError(
                ErrorCode.PROVIDER_ITEM_NOT_FOUND, item=f"calendar {calendar_id}"
            )
        return self._events[calendar_id]

    # -- reading -----------------------------------------------------------------------------

    def _expand(self, stored: Stored) -> list[tuple[RemoteEvent, int]]:
        """The stored item as single events with the number of their last change."""
        if not self.series_is_one_resource:
            return self._expand_instances(stored)
        seq = stored.resource_seq  # CalDAV: every occurrence shows the resource's change
        if stored.deleted:
            return [(RemoteEvent(id=stored.event.id, status=EventStatus.CANCELLED), seq)]
        return [
            (replace(event, etag=f'"{seq}"'), seq) for event, _own in self._expand_instances(stored)
        ]

    def _expand_instances(self, stored: Stored) -> list[tuple[RemoteEvent, int]]:
        """Google: the stored item as single events, each with the number of its last change."""
        master = stored.event
        if stored.series is None:
            status = EventStatus.CANCELLED if stored.deleted else master.status
            return [(replace(master, status=status, etag=f'"{stored.seq}"'), stored.seq)]
        instances: list[tuple[RemoteEvent, int]] = []
        for index in range(stored.series.count):
            offset = stored.series.every * index
            start = shift(master.start, offset)
            assert start is not None
            instance_id = f"{master.id}_{stamp(start)}"
            seq = stored.seq
            instance = replace(
                master,
                id=instance_id,
                start=start,
                end=shift(master.end, offset),
                recurring_event_id=master.id,
                original_start=start,
                etag=f'"{stored.seq}"',
                recurrence=(),
            )
            if instance_id in stored.overrides:
                instance, own = stored.overrides[instance_id]
                seq = max(seq, own)
                instance = replace(instance, etag=f'"{seq}"')
            if stored.deleted:
                instance = replace(instance, status=EventStatus.CANCELLED)
            instances.append((instance, seq))
        return instances

    def _all(self, calendar_id: str) -> list[tuple[RemoteEvent, int]]:
        return [
            pair for stored in self._calendar(calendar_id).values() for pair in self._expand(stored)
        ]

    def list_calendars(self) -> list[CalendarInfo]:
        self._check("calendars", "before", None, None)
        return list(self._calendars.values())

    def changes(self, calendar_id: str, sync_token: str | None) -> EventChanges:
        self._check("list", "before", calendar_id, None)
        everything = self._all(calendar_id)
        if sync_token is None:
            events = [event for event, _seq in everything if not event.cancelled]
        else:
            since = self._token_seq(sync_token)
            events = [self._stub(event) for event, seq in everything if seq > since]
        answer = EventChanges(events, f"c{self._generation}:{self._last}")
        self._check("list", "after", calendar_id, None)
        return answer

    @staticmethod
    def _stub(event: RemoteEvent) -> RemoteEvent:
        if not event.cancelled:
            return event
        return RemoteEvent(
            id=event.id,
            status=EventStatus.CANCELLED,
            recurring_event_id=event.recurring_event_id,
            original_start=event.original_start,
        )

    def _token_seq(self, token: str) -> int:
        """The change number a calendar token was given at (410 for one forgotten)."""
        head, _, seq = token.partition(":")
        if head != f"c{self._generation}" or not seq.isdigit():
            raise SyncTokenExpiredError(ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED, kind="calendar")
        return int(seq)

    def _find(self, calendar_id: str, event_id: str) -> tuple[Stored, RemoteEvent]:
        events = self._calendar(calendar_id)
        master_id = event_id.split("_", 1)[0]
        stored = events.get(master_id)
        if stored is not None and not (self.series_is_one_resource and stored.deleted):
            for event, _seq in self._expand(stored):
                if event.id == event_id:
                    return stored, event
            if event_id == master_id and stored.series is not None:
                if self.series_is_one_resource:
                    return stored, replace(stored.event, etag=f'"{stored.resource_seq}"')
                return stored, stored.event
        raise RemoteNotFoundError(ErrorCode.PROVIDER_ITEM_NOT_FOUND, item=f"event {event_id}")

    def get_event(self, calendar_id: str, event_id: str) -> RemoteEvent:
        self._check("get", "before", calendar_id, event_id)
        _stored, event = self._find(calendar_id, event_id)
        self._check("get", "after", calendar_id, event_id)
        return event

    # -- writing -----------------------------------------------------------------------------

    def apply(self, calendar_id: str, operations: Sequence[Operation]) -> list[Outcome]:
        self._check("batch", "before", calendar_id, None)
        outcomes: list[Outcome] = []
        for operation in operations:
            method = type(operation).__name__.removesuffix("Event").lower()
            error = self._fault(method, "before", calendar_id, operation.event_id)
            if error is not None:
                outcomes.append(error)
                continue
            try:
                outcome: Outcome = Applied(self._apply_one(calendar_id, operation))
            except ProviderError as refused:
                outcome = refused
            outcomes.append(
                self._fault(method, "after", calendar_id, operation.event_id) or outcome
            )
        self._check("batch", "after", calendar_id, None)
        return outcomes

    def _apply_one(self, calendar_id: str, operation: Operation) -> RemoteEvent | None:
        if isinstance(operation, InsertEvent):
            return self._insert(calendar_id, operation)
        try:
            stored, current = self._find(calendar_id, operation.event_id)
        except RemoteNotFoundError:
            if self.series_is_one_resource and _cancels_an_occurrence(operation):
                return None  # CalDAV: cancelling an occurrence of a gone series is done
            raise
        if operation.if_match is not None and not self._matches(stored, operation, current):
            raise PreconditionFailedError(
                ErrorCode.PROVIDER_ETAG_MISMATCH, event_id=operation.event_id
            )
        changed: RemoteEvent | None = None
        if isinstance(operation, DeleteEvent):
            if current.cancelled:
                raise RemoteNotFoundError(
                    ErrorCode.PROVIDER_ITEM_NOT_FOUND, item=f"event {operation.event_id}"
                )
            self._delete(stored, operation.event_id)
        else:
            changed = self._update(calendar_id, stored, current, operation)
        if self.series_is_one_resource and not stored.deleted:
            self._note_own_write(stored, operation.event_id, current.etag or "")
        return changed

    def _matches(
        self, stored: Stored, operation: UpdateEvent | DeleteEvent, current: RemoteEvent
    ) -> bool:
        """Whether ``If-Match`` holds: the current etag, or (CalDAV) the one listed before our
        own writes to other occurrences of the series a moment ago."""
        if operation.if_match == current.etag:
            return True
        own = self._own.get(stored.event.id) if self.series_is_one_resource else None
        return own is not None and own.explain(
            operation.event_id, operation.if_match or "", current.etag or ""
        )

    def _note_own_write(self, stored: Stored, event_id: str, before: str) -> None:
        after = f'"{stored.resource_seq}"'
        own = self._own.get(stored.event.id)
        if own is None or own.after != before:
            own = OwnWrites(before, after, frozenset())
        self._own[stored.event.id] = OwnWrites(own.before, after, own.written | {event_id})

    def _zoned(self, calendar_id: str, event: RemoteEvent) -> RemoteEvent:
        """The event with Google's zone: the calendar's when it names none, as all-day ones."""
        if event.time_zone and (event.start is None or event.start.date is None):
            return event
        return replace(event, time_zone=self._calendars[calendar_id].time_zone)

    def _insert(self, calendar_id: str, operation: InsertEvent) -> RemoteEvent:
        events = self._calendar(calendar_id)
        if not EVENT_ID.match(operation.event_id):
            raise ProviderError(ErrorCode.PROVIDER_BAD_REQUEST, reason="invalid event id")
        taken = events.get(operation.event_id)
        if taken is not None and not (self.series_is_one_resource and taken.deleted):
            raise RemoteDuplicateError(ErrorCode.PROVIDER_DUPLICATE_ID, event_id=operation.event_id)
        self._own.pop(operation.event_id, None)
        body = operation.body
        event = RemoteEvent(
            id=operation.event_id,
            status=body.status,
            summary=body.summary,
            description=body.description,
            location=body.location,
            start=body.start,
            end=body.end,
            time_zone=body.time_zone,
            private=dict(body.private),
        )
        return self._store(events, self._zoned(calendar_id, event))

    def _update(
        self, calendar_id: str, stored: Stored, current: RemoteEvent, operation: UpdateEvent
    ) -> RemoteEvent:
        """A patch of the fields the studio writes: private properties merge, as Google's do."""
        body = operation.body
        changed = replace(
            current,
            status=body.status,
            summary=body.summary,
            description=body.description,
            location=body.location,
            start=body.start,
            end=body.end,
            time_zone=body.time_zone,
            private={**current.private, **body.private},
        )
        return self._put(stored, self._zoned(calendar_id, changed))

    def _store(
        self, events: dict[str, Stored], event: RemoteEvent, series: Series | None = None
    ) -> RemoteEvent:
        seq = self._next_seq()
        event = replace(event, etag=f'"{seq}"', updated=self.clock.now())
        events[event.id] = Stored(event, seq, series=series)
        return event

    def _put(self, stored: Stored, event: RemoteEvent) -> RemoteEvent:
        """Save a changed single event, series or instance (an instance becomes an exception)."""
        seq = self._next_seq()
        event = replace(event, etag=f'"{seq}"', updated=self.clock.now())
        if event.recurring_event_id is not None and stored.series is not None:
            stored.overrides[event.id] = (event, seq)
        else:
            stored.event, stored.seq, stored.deleted = event, seq, False
        return event

    def _delete(self, stored: Stored, event_id: str) -> None:
        if event_id == stored.event.id:
            stored.deleted, stored.seq = True, self._next_seq()
            return
        instance = next(event for event, _seq in self._expand(stored) if event.id == event_id)
        self._put(stored, replace(instance, status=EventStatus.CANCELLED))

    # -- playing the user in Google Calendar -------------------------------------------------

    def google_create(
        self,
        calendar_id: str = "primary",
        *,
        every: dt.timedelta | None = None,
        count: int = 1,
        **fields: Any,
    ) -> RemoteEvent:
        """Create an event (a series of ``count`` when ``every`` is given) as Google would."""
        events = self._calendar(calendar_id)
        series = Series(every, count) if every is not None else None
        if series is not None:
            fields.setdefault("recurrence", (series.rule(),))
        event = self._zoned(calendar_id, RemoteEvent(id=f"gc{next(self._ids):08x}", **fields))
        return self._store(events, event, series)

    def google_edit(self, calendar_id: str, event_id: str, **changes: Any) -> RemoteEvent:
        """Change fields of a live event, of a whole series, or of one instance."""
        stored, current = self._find(calendar_id, event_id)
        if current.cancelled:
            raise RemoteNotFoundError(ErrorCode.PROVIDER_ITEM_NOT_FOUND, item=f"event {event_id}")
        return self._put(stored, self._zoned(calendar_id, replace(current, **changes)))

    def google_delete(self, calendar_id: str, event_id: str) -> None:
        """Delete an event, a whole series, or one instance."""
        stored, _current = self._find(calendar_id, event_id)
        self._delete(stored, event_id)

    def google_restore(self, calendar_id: str, event_id: str) -> RemoteEvent:
        """Bring a deleted single event back from the trash, as it was, with a new etag."""
        stored, current = self._find(calendar_id, event_id)
        if not stored.deleted or stored.series is not None:
            raise RemoteNotFoundError(ErrorCode.PROVIDER_ITEM_NOT_FOUND, item=f"event {event_id}")
        return self._put(stored, replace(current, status=stored.event.status))

    def events(self, calendar_id: str = "primary") -> list[RemoteEvent]:
        """The live events (instances of series expanded), as a calendar view shows them."""
        return [event for event, _seq in self._all(calendar_id) if not event.cancelled]

    def expire_sync_tokens(self) -> None:
        """Forget every calendar sync token handed out so far (the next use answers 410)."""
        self._generation += 1

    # -- contacts ----------------------------------------------------------------------------

    def contacts(self, sync_token: str | None) -> ContactChanges:
        """People's listing (CardDAV's with ``Semantics.CALDAV``): see ``ContactBook``."""
        self._check("contacts", "before", None, None)
        answer = self.book.changes(sync_token)
        self._check("contacts", "after", None, None)
        return answer

    def google_put_contact(self, resource_name: str | None = None, **fields: Any) -> RemoteContact:
        """Create (no name given) or change a contact."""
        return self.book.put(resource_name, **fields)

    def google_delete_contact(self, resource_name: str) -> None:
        self.book.delete(resource_name)

    def expire_contact_tokens(self) -> None:
        self.book.forget_tokens()


def _cancels_an_occurrence(operation: Operation) -> bool:
    return isinstance(operation, DeleteEvent) and "_" in operation.event_id
