"""What the provider contract suite needs from each provider under test, and the memory one.

The suite (``tests/contract/``) runs the same tests against every provider through a
``ProviderHarness``: a fresh provider on one calendar, plus the means to act as a person would
on the remote side (outside the provider), to expire sync tokens, to move the service's clock,
to lose the answers of a batch (a crash) and to make listings come in small pages. A new
provider joins the suite with one harness and one entry in the suite's ``HARNESSES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from studiosync.clock import FakeClock
from studiosync.errors import ErrorCode, ProviderError, TransientError
from studiosync.providers.base import (
    Attendee,
    CalendarInfo,
    EventStatus,
    EventTime,
    Operation,
    Provider,
)
from studiosync.providers.memory import Call, MemoryProvider
from studiosync.providers.memory_store import Semantics

CALDAV_HARNESSES = ("caldav-radicale", "caldav-xandikos", "memory-caldav")
"""The harnesses with CalDAV's semantics: a test's CalDAV gap is marked on all of them."""
CALENDAR_ZONE = "Europe/London"
"""Every harness's calendar lives in this zone, so zone fallbacks can be told apart."""


class SeriesShape(StrEnum):
    """How a provider lists a recurring series."""

    INSTANCES = "instances"
    """One event per occurrence, each naming its series and original start (Google, memory)."""
    ONE_RESOURCE = "one_resource"
    """The series is one item: rules, exceptions and cancelled dates inside it (CalDAV)."""


@dataclass(frozen=True)
class RemoteSeries:
    """A daily series made on the remote side: its id and its occurrences' ids and starts."""

    id: str
    occurrence_ids: tuple[str, ...]
    starts: tuple[dt.datetime, ...]
    duration: dt.timedelta


class ProviderHarness(Protocol):
    """One provider under test, on a fresh calendar, with the remote side at hand."""

    name: str
    provider: Provider
    calendar_id: str
    series_shape: SeriesShape

    # -- the remote side: what a person does in the calendar app, outside the provider --------

    def remote_create(
        self,
        summary: str,
        start: EventTime,
        end: EventTime,
        time_zone: str,
        *,
        status: str = EventStatus.CONFIRMED,
    ) -> str:
        """Make an event; answers its id."""
        ...

    def remote_edit(self, event_id: str, *, summary: str) -> None:
        """Retitle an event (or one occurrence)."""
        ...

    def remote_delete(self, event_id: str) -> None:
        """Delete an event (or cancel one occurrence)."""
        ...

    def remote_invite(self, event_id: str, email: str) -> None:
        """Add a guest to an event."""
        ...

    def remote_series(
        self, summary: str, first: dt.datetime, duration: dt.timedelta, count: int, time_zone: str
    ) -> RemoteSeries:
        """Make a series repeating daily ``count`` times."""
        ...

    def remote_move(self, series: RemoteSeries, index: int, start: dt.datetime) -> None:
        """Move one occurrence of a series to ``start`` (same length)."""
        ...

    def remote_cancel(self, series: RemoteSeries, index: int) -> None:
        """Cancel one occurrence of a series."""
        ...

    def remote_add_contact(self, name: str, email: str) -> str:
        """Add a contact; answers its resource name."""
        ...

    def remote_rename_contact(self, resource_name: str, name: str) -> None:
        """Change a contact's name."""
        ...

    def remote_delete_contact(self, resource_name: str) -> None:
        """Delete a contact."""
        ...

    # -- the service itself ------------------------------------------------------------------

    def expire_sync_tokens(self) -> None:
        """Make the service forget every calendar and contacts sync token it handed out."""
        ...

    def advance_clock(self, seconds: float) -> None:
        """Move the service's clock on."""
        ...

    def apply_and_crash(self, operations: Sequence[Operation]) -> None:
        """Send a batch as a process that dies before it reads the answers: the work is done."""
        ...

    def use_page_size(self, size: int) -> bool:
        """Make listings come in pages of ``size``; False when the service has no pages."""
        ...

    def listing_pages(self) -> int:
        """How many event listing pages the service has answered so far."""
        ...

    def close(self) -> None:
        """Let go of whatever the harness holds."""
        ...


class MemoryHarness:
    """The memory provider: it is its own remote side (its ``google_*`` hooks).

    With ``Semantics.CALDAV`` it is named "memory-caldav" and must pass and fail what a real
    CalDAV server does: the engine's model tests lean on that.
    """

    series_shape = SeriesShape.INSTANCES
    calendar_id = "studio@contract.example"

    def __init__(self, semantics: Semantics = Semantics.GOOGLE) -> None:
        self.name = "memory" if semantics is Semantics.GOOGLE else f"memory-{semantics}"
        self.clock = FakeClock(dt.datetime.now(dt.UTC).replace(microsecond=0))
        calendar = CalendarInfo(self.calendar_id, "Studio", "owner", True, CALENDAR_ZONE)
        self.memory = MemoryProvider(
            self.clock, calendars=[calendar], fault=self._fault, semantics=semantics
        )
        self.provider: Provider = self.memory
        self._crashing = False
        self._lists = 0

    def _fault(self, call: Call) -> ProviderError | None:
        if call.method == "list" and call.phase == "before":
            self._lists += 1
        if self._crashing and call.phase == "after":
            return TransientError(ErrorCode.PROVIDER_UNAVAILABLE, reason="answer lost")
        return None

    def remote_create(
        self,
        summary: str,
        start: EventTime,
        end: EventTime,
        time_zone: str,
        *,
        status: str = EventStatus.CONFIRMED,
    ) -> str:
        made = self.memory.google_create(
            self.calendar_id,
            summary=summary,
            start=start,
            end=end,
            time_zone=time_zone,
            status=status,
        )
        return made.id

    def remote_edit(self, event_id: str, *, summary: str) -> None:
        self.memory.google_edit(self.calendar_id, event_id, summary=summary)

    def remote_delete(self, event_id: str) -> None:
        self.memory.google_delete(self.calendar_id, event_id)

    def remote_invite(self, event_id: str, email: str) -> None:
        guests = self.memory.get_event(self.calendar_id, event_id).attendees
        self.memory.google_edit(self.calendar_id, event_id, attendees=(*guests, Attendee(email)))

    def remote_series(
        self, summary: str, first: dt.datetime, duration: dt.timedelta, count: int, time_zone: str
    ) -> RemoteSeries:
        master = self.memory.google_create(
            self.calendar_id,
            every=dt.timedelta(days=1),
            count=count,
            summary=summary,
            start=EventTime(date_time=first),
            end=EventTime(date_time=first + duration),
            time_zone=time_zone,
        )
        instances = [
            event
            for event in self.memory.events(self.calendar_id)
            if event.recurring_event_id == master.id
        ]
        starts = [first + dt.timedelta(days=day) for day in range(count)]
        return RemoteSeries(
            master.id, tuple(event.id for event in instances), tuple(starts), duration
        )

    def remote_move(self, series: RemoteSeries, index: int, start: dt.datetime) -> None:
        self.memory.google_edit(
            self.calendar_id,
            series.occurrence_ids[index],
            start=EventTime(date_time=start),
            end=EventTime(date_time=start + series.duration),
        )

    def remote_cancel(self, series: RemoteSeries, index: int) -> None:
        self.memory.google_delete(self.calendar_id, series.occurrence_ids[index])

    def remote_add_contact(self, name: str, email: str) -> str:
        return self.memory.google_put_contact(display_name=name, emails=(email,)).resource_name

    def remote_rename_contact(self, resource_name: str, name: str) -> None:
        self.memory.google_put_contact(resource_name, display_name=name)

    def remote_delete_contact(self, resource_name: str) -> None:
        self.memory.google_delete_contact(resource_name)

    def expire_sync_tokens(self) -> None:
        self.memory.expire_sync_tokens()
        self.memory.expire_contact_tokens()

    def advance_clock(self, seconds: float) -> None:
        self.clock.tick(seconds)

    def apply_and_crash(self, operations: Sequence[Operation]) -> None:
        self._crashing = True
        try:
            self.memory.apply(self.calendar_id, operations)
        except TransientError:
            pass  # the batch's own answer is lost too
        finally:
            self._crashing = False

    def use_page_size(self, size: int) -> bool:
        del size
        return False

    def listing_pages(self) -> int:
        return self._lists

    def close(self) -> None:
        return None
