"""The executor's studio side: Google changes written into the studio, linked, or put aside.

A pull that the studio refuses puts its event aside (quarantine) and the run goes on; an
appointment made from a Google event is linked at once, and when the studio shows some fields
differently they are written back to Google (see ``PullSteps._after_pull``).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from studiosync.errors import ErrorCode, ProviderError, StudioSyncError, SyncError
from studiosync.providers.base import RemoteEvent
from studiosync.sync import mapping as m
from studiosync.sync.actions import Pull, PullCreate, PullDelete, PullUpdate, Push, PushUpdate
from studiosync.sync.plan import Rules
from studiosync.sync.ports import StudioCalendar, SyncStateStore
from studiosync.sync.quarantine import entry_for, when_in_words
from studiosync.sync.records import EventContent, ItemName, MappingEntry, StudioAppointment
from studiosync.sync.result import Change, Level, RunResult

UNSURE_VERSION = -1
"""A link's studio version when the studio is ahead of what it agreed on with Google."""


@dataclass
class Leftovers:
    """Items given up on for this run; the next run looks at them again."""

    appointments: set[int] = field(default_factory=set)
    events: set[str] = field(default_factory=set)


@dataclass
class Job:
    action: Push
    attempts: int = 0
    last_error: ProviderError | None = None


def _pulled_name(action: Pull) -> ItemName:
    if isinstance(action, PullDelete):
        return ItemName.of_span(action.appointment.title, action.appointment.span)
    return ItemName.of_event(action.event)


class PullSteps:
    """The executor's pulls and links (mixed into ``Executor``, whose state they share)."""

    rules: Rules
    events: Mapping[str, RemoteEvent]
    held: set[str]
    user_id: int
    studio: StudioCalendar
    state: SyncStateStore
    result: RunResult
    leftovers: Leftovers
    _queue: deque[Job]
    _imported: set[int]

    def _pull(self, action: Pull) -> None:
        """Write a Google change into the studio; a refusal is logged and the run goes on."""
        counts = self.result.counts
        try:
            if isinstance(action, PullCreate):
                created = self._import(action)
                self._imported.add(created.id)
                self._after_pull(created, action.event, action.content)
                counts.pulled_new += 1
                self._changed(Change.BROUGHT_NEW, created, action.event.id)
            elif isinstance(action, PullUpdate):
                old = action.appointment
                updated = self.studio.update(self.user_id, old.id, old.version, action.draft)
                if updated is None:  # edited in the studio meanwhile: decide again next run
                    self.leftovers.events.add(action.event.id)
                    return
                self._after_pull(updated, action.event, action.content, old.updated_at)
                counts.pulled_updated += 1
                self._changed(Change.BROUGHT_CHANGED, updated, action.event.id)
            else:
                old = action.appointment
                if not self.studio.delete(self.user_id, old.id, old.version):
                    self.leftovers.events.add(action.event_id)
                    return
                self.state.remove_mapping(self.user_id, old.id)
                self._went_through(action.event_id)
                counts.pulled_deleted += 1
                self._changed(Change.BROUGHT_DELETED, old, action.event_id)
        except StudioSyncError as error:
            event_id = action.event_id if isinstance(action, PullDelete) else action.event.id
            reason = str(error.params.get("reason") or error.code.value)
            title, when = self._put_aside(event_id, ErrorCode.SYNC_EVENT_QUARANTINED, reason)
            self.result.add(
                Level.WARNING,
                ErrorCode.SYNC_EVENT_QUARANTINED,
                event_id=event_id,
                about=_pulled_name(action),
                reason=reason,
                title=title,
                when=when,
            )

    # -- quarantine ---------------------------------------------------------------------------

    def _put_aside(self, event_id: str, code: ErrorCode, reason: str) -> tuple[str, str]:
        """Quarantine an event the studio cannot take; the title and time that name it."""
        event = self.events.get(event_id)
        if event is None:
            return event_id, "time unknown"
        entry = entry_for(event, code, reason)
        self.state.quarantine(self.user_id, entry)
        self.held.add(event_id)
        return entry.title, when_in_words(event)

    def _went_through(self, event_id: str) -> None:
        if event_id in self.held:
            self.held.discard(event_id)
            self.state.release(self.user_id, [event_id])

    def _import(self, action: PullCreate) -> StudioAppointment:
        """The appointment for a Google event: made now, or by a run that stopped before linking.

        The studio answers with the appointment it already made under the import key, if any.
        That one is ours to link only while no other event is linked to it; one linked
        elsewhere was made by an earlier import of this event (the event came back after that
        appointment got an event of its own), so the key is tried with a counter. Each earlier
        import holds its own appointment, so the tries end; a studio that answers the same
        appointment twice is refused.
        """
        event_id = action.event.id
        seen: set[int] = set()
        for key in m.import_keys(action.import_key):
            made = self.studio.create(self.user_id, action.draft, key)
            link = self.state.mappings_by_appointment(self.user_id, [made.id]).get(made.id)
            if link is None or link.event_id == event_id:
                return made
            if made.id in seen:
                break
            seen.add(made.id)
        raise SyncError(ErrorCode.SYNC_STUDIO_REFUSED, item=f"event {event_id}", reason=key)

    def _after_pull(
        self,
        appointment: StudioAppointment,
        event: RemoteEvent,
        content: EventContent,
        edited_at: dt.datetime | None = None,
    ) -> None:
        """Link the pair; when the studio shows some fields differently, write them back.

        Until that write is confirmed the link says both agreed on what Google shows, with the
        studio ahead (``UNSURE_VERSION``): a run that finds the write undone or lost sends the
        studio's fields again, and a Google edit meanwhile is judged field by field. The fields
        written back are the studio's own edits, made when the studio last changed before the
        pull (``edited_at``): a Google edit meanwhile that is decided again in this run is
        compared with that time ("newest" wins), not with the pull's own write to the studio.
        """
        self._went_through(event.id)
        ours = m.project(appointment, self.rules.template)
        if ours.same_as(content):
            entry = MappingEntry.agreed(
                appointment.id,
                event.id,
                event.etag,
                appointment.version,
                content,
                appointment.origin,
            )
            self.state.put_mapping(self.user_id, entry)
            return
        entry = MappingEntry.agreed(
            appointment.id, event.id, event.etag, UNSURE_VERSION, content, appointment.origin
        )
        self.state.put_mapping(self.user_id, entry)
        if edited_at is not None:
            appointment = replace(appointment, updated_at=edited_at)
        self._queue.append(Job(PushUpdate(appointment, event.id, event.etag, ours)))

    def _changed(self, change: Change, appointment: StudioAppointment, event_id: str) -> None:
        about = ItemName.of_span(appointment.title, appointment.span)
        self.result.changed(change, about, appointment_id=appointment.id, event_id=event_id)
