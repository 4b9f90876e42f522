"""Populate, one page (or chunk) at a time from a checkpoint: older appointments to Google,
older Google events to the studio.

Populate Google also rewrites the linked events of appointments not over yet that no longer
show what the studio would write (the user's privacy choice changed); past ones stay as they
were. Populate studio takes the events no link or claim already accounts for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from studiosync.clock import Clock
from studiosync.errors import ErrorCode, ProviderError
from studiosync.providers.base import EventChanges, RemoteEvent
from studiosync.sync import mapping as m
from studiosync.sync import privacy
from studiosync.sync.actions import Action, PushUpdate
from studiosync.sync.execute import STOPPING, Executor, StoppedError
from studiosync.sync.held_back import HeldBack
from studiosync.sync.options import SyncOptions
from studiosync.sync.plan import Pair, Rules, decide
from studiosync.sync.ports import StudioCalendar, SyncStateStore
from studiosync.sync.pulls import Leftovers
from studiosync.sync.records import SyncCursors
from studiosync.sync.result import Level, RunResult


@dataclass(frozen=True)
class GoogleView:
    """What a run read of the calendar: events, the next sync token, whether all of it."""

    events: list[RemoteEvent]
    next_token: str
    full: bool
    started_at: dt.datetime


def starts_on_or_after(event: RemoteEvent, since: dt.date | None) -> bool:
    if since is None or event.start is None:
        return True
    start = event.start.date or (event.start.date_time.date() if event.start.date_time else None)
    return start is None or start >= since


class PopulateSteps:
    """A user's run's Populate steps (mixed into the run, whose state and helpers they use)."""

    options: SyncOptions
    user_id: int
    studio: StudioCalendar
    state: SyncStateStore
    result: RunResult
    clock: Clock
    aside: HeldBack

    def _rules(self, view: GoogleView | None, cursors: SyncCursors) -> Rules:
        raise NotImplementedError

    def _executor(self, rules: Rules) -> Executor:
        raise NotImplementedError

    def _save(self, cursors: SyncCursors) -> None:
        raise NotImplementedError

    def _list(self, token: str | None) -> EventChanges:
        raise NotImplementedError

    def _claim(self, event: RemoteEvent) -> int | None:
        raise NotImplementedError

    # -- populate ----------------------------------------------------------------------------

    def _with_leftovers(self, cursors: SyncCursors, leftovers: Leftovers) -> SyncCursors:
        return replace(
            cursors,
            pending_appointments=cursors.pending_appointments | leftovers.appointments,
            pending_events=cursors.pending_events | leftovers.events,
        )

    def _populate_google(self, cursors: SyncCursors) -> SyncCursors:
        """Push the user's older appointments, one page at a time from the checkpoint."""
        options, user = self.options, self.user_id
        rules = self._rules(None, cursors)
        size = max(1, options.populate_page_size)
        while True:
            after = cursors.populate_google_after
            page = self.studio.appointments_from(user, options.populate_since, after, size)
            if page:
                links = self.state.mappings_by_appointment(user, [item.id for item in page])
                pairs = [Pair(item.id, item, links.get(item.id)) for item in page]
                leftovers = self._executor(rules).run(self._rewrite_or_decide(pairs, rules))
                cursors = self._with_leftovers(cursors, leftovers)
                cursors = replace(cursors, populate_google_after=page[-1].id)
                self._save(cursors)
            if len(page) < size:
                break
        cursors = replace(cursors, populate_google_after=None)
        self._save(cursors)
        self.result.clear_populate_google = True
        return cursors

    def _rewrite_or_decide(self, pairs: Iterable[Pair], rules: Rules) -> list[Action]:
        """Populate's steps: a linked event of an appointment not over yet that no longer shows
        what the studio would write (the user's privacy choice changed) is rewritten; every
        other pair, past ones included, is decided as usual.
        """
        now = self.clock.now()
        steps: list[Action] = []
        for pair in pairs:
            link, appointment = pair.mapping, pair.appointment
            if (
                link is not None
                and appointment is not None
                and appointment.live
                and privacy.ends_after(appointment.span, now)
            ):
                content = m.project(appointment, rules.template)
                if content.fingerprint() != link.content_hash:
                    steps.append(PushUpdate(appointment, link.event_id, link.etag, content))
                    continue
            steps.extend(decide(pair, rules))
        return steps

    def _populate_studio(self, cursors: SyncCursors, view: GoogleView | None) -> SyncCursors:
        """Bring older Google events into the studio, chunk by chunk from the checkpoint."""
        options = self.options
        if not options.two_way:
            self.result.add(Level.WARNING, ErrorCode.SYNC_POPULATE_NEEDS_TWO_WAY)
            return cursors
        if view is not None and view.full:
            listing: Sequence[RemoteEvent] = view.events
        else:
            try:
                listing = self._list(None).events
            except STOPPING as error:
                raise StoppedError(error) from error
            except ProviderError as error:
                self.result.add(
                    Level.WARNING,
                    ErrorCode.SYNC_RETRY_LATER,
                    item="the Google calendar listing",
                    reason=error.code.value,
                )
                return cursors
        after = cursors.populate_studio_after
        listing = self.aside.set_aside(list(listing))
        recurring = [event.id for event in listing if event.recurring_event_id]
        linked = set(self.state.mappings_by_event(self.user_id, recurring))
        listing = self.aside.limit_series(listing, linked)
        wanted = sorted(
            (
                event
                for event in listing
                if not event.cancelled
                and starts_on_or_after(event, options.populate_since)
                and (after is None or event.id > after)
                and self._claim(event) is None
            ),
            key=lambda event: event.id,
        )
        rules = replace(self._rules(None, cursors), import_unlinked=lambda _e: True)
        size = max(1, options.populate_page_size)
        for first in range(0, len(wanted), size):
            chunk = wanted[first : first + size]
            links = self.state.mappings_by_event(self.user_id, [event.id for event in chunk])
            pairs = [
                Pair(None, None, None, event, True) for event in chunk if event.id not in links
            ]
            leftovers = self._executor(rules).run(self._decide_all(pairs, rules))
            cursors = self._with_leftovers(cursors, leftovers)
            cursors = replace(cursors, populate_studio_after=chunk[-1].id)
            self._save(cursors)
        cursors = replace(cursors, populate_studio_after=None)
        self._save(cursors)
        self.result.clear_populate_studio = True
        return cursors

    @staticmethod
    def _decide_all(pairs: Iterable[Pair], rules: Rules) -> list[Action]:
        return [action for pair in pairs for action in decide(pair, rules)]
