"""One user's sync run: read both change feeds, plan, execute, then move the cursors.

Order of a run: (1) the change sync — the studio feed since the cursor and, with two-way sync,
Google's changes since the sync token (a full listing the first time or after a 410) are paired,
planned and executed; (2) Populate Google, page by page from a checkpoint; (3) Populate studio,
chunk by chunk from a checkpoint (both in ``populate``); (4) the contacts import. Cursors and
checkpoints are saved only after the step they belong to is done, so a run that stops anywhere
is simply run again.

Work is proportional to the changes: only the appointments in the feed (plus items left over by
the previous run) and the events Google reports are looked at. Full listings happen on the first
pull, after Google forgets our token (then events unknown to us count as new only when changed
since our last pull), and for Populate studio.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import replace

from studiosync.clock import Clock, SystemClock
from studiosync.errors import (
    ErrorCode,
    ProviderError,
    QuotaExceededError,
    RemoteNotFoundError,
    SyncTokenExpiredError,
)
from studiosync.providers.base import (
    EventChanges,
    EventStatus,
    OneResourceSeries,
    Provider,
    RemoteEvent,
)
from studiosync.sync import mapping as m
from studiosync.sync.contacts import sync_contacts
from studiosync.sync.execute import STOPPING, Executor, StoppedError
from studiosync.sync.held_back import HeldBack
from studiosync.sync.options import SyncOptions
from studiosync.sync.pacing import Pacer
from studiosync.sync.pairing import gather_pairs
from studiosync.sync.plan import Rules, plan_sync
from studiosync.sync.populate import GoogleView, PopulateSteps
from studiosync.sync.ports import StudioCalendar, StudioClients, SyncStateStore
from studiosync.sync.records import MappingEntry, SyncCursors
from studiosync.sync.result import Level, RunResult

PULL_MARGIN = dt.timedelta(minutes=5)
"""Clock skew allowed between us and Google when judging "changed since our last pull"."""


class _HaltError(Exception):
    """The run stopped on purpose; the reason is already in the result."""


def _latest_per_id(events: Iterable[RemoteEvent]) -> list[RemoteEvent]:
    latest: dict[str, RemoteEvent] = {}
    for event in events:
        latest[event.id] = event
    return list(latest.values())


def sync_user(
    options: SyncOptions,
    *,
    provider: Provider,
    studio: StudioCalendar,
    state: SyncStateStore,
    clients: StudioClients | None = None,
    clock: Clock | None = None,
    rng: random.Random | None = None,
) -> RunResult:
    """Sync one user's appointments (and contacts) with their chosen calendar."""
    return _UserRun(options, provider, studio, state, clients, clock or SystemClock(), rng).go()


class _UserRun(PopulateSteps):
    def __init__(
        self,
        options: SyncOptions,
        provider: Provider,
        studio: StudioCalendar,
        state: SyncStateStore,
        clients: StudioClients | None,
        clock: Clock,
        rng: random.Random | None,
    ) -> None:
        self.options = options
        self.user_id = options.user_id
        self.provider = provider
        self.studio = studio
        self.state = state
        self.clients = clients
        self.clock = clock
        self.pacer = Pacer(options.pacing, clock, rng or random.Random())
        self.result = RunResult(options.user_id, dry_run=options.dry_run)
        self.aside = HeldBack(options, state, self.result, clock, self._get)

    def go(self) -> RunResult:
        options, result = self.options, self.result
        cursors = self.state.cursors(self.user_id)
        now = self.clock.now()
        if cursors.blocked_until is not None and now < cursors.blocked_until:
            result.blocked_until = cursors.blocked_until
            result.stop(
                ErrorCode.SYNC_PAUSED_FOR_QUOTA,
                level=Level.WARNING,
                until=cursors.blocked_until.isoformat(),
            )
            return result
        try:
            cursors, view = self._change_sync(cursors)
            if options.dry_run:
                return result
            if options.populate_google:
                cursors = self._populate_google(cursors)
            if options.populate_studio:
                cursors = self._populate_studio(cursors, view)
            if options.import_contacts and self.clients is not None and self._contacts_due(cursors):
                cursors = sync_contacts(
                    user_id=self.user_id,
                    group_id=options.contacts_group_id,
                    provider=self.provider,
                    clients=self.clients,
                    state=self.state,
                    pacer=self.pacer,
                    result=result,
                    cursors=cursors,
                )
                self._save(replace(cursors, contacts_read_at=self.clock.now()))
        except StoppedError as stop:
            self._stopped(stop.error)
        except _HaltError:
            pass
        return result

    # -- helpers -----------------------------------------------------------------------------

    def _contacts_due(self, cursors: SyncCursors) -> bool:
        last, every = cursors.contacts_read_at, self.options.pacing.contacts_every
        return last is None or self.clock.now() - last >= every

    def _save(self, cursors: SyncCursors) -> None:
        if not self.options.dry_run:
            self.state.save_cursors(self.user_id, cursors)

    def _stopped(self, error: ProviderError) -> None:
        if isinstance(error, QuotaExceededError):
            until = self.clock.now() + self.options.pacing.quota_pause
            self.result.blocked_until = until
            self.result.stop(
                ErrorCode.SYNC_PAUSED_FOR_QUOTA, level=Level.WARNING, until=until.isoformat()
            )
            self._save(replace(self.state.cursors(self.user_id), blocked_until=until))
        else:
            self.result.stop(error.code, **error.params)

    def _rules(self, view: GoogleView | None, cursors: SyncCursors) -> Rules:
        options = self.options

        def changed_since_last_pull(event: RemoteEvent) -> bool:
            if cursors.last_pull_at is None or event.updated is None:
                return False
            return event.updated > cursors.last_pull_at - PULL_MARGIN

        return Rules(
            user_id=self.user_id,
            studio_tag=options.studio_tag,
            two_way=options.two_way,
            download_tentative=options.download_tentative,
            fields=options.effective_fields,
            template=options.summary_template,
            import_unlinked=changed_since_last_pull if view and view.full else lambda _e: True,
        )

    def _executor(self, rules: Rules) -> Executor:
        return Executor(
            rules=rules,
            calendar_id=self.options.calendar_id,
            provider=self.provider,
            studio=self.studio,
            state=self.state,
            pacer=self.pacer,
            result=self.result,
            events=self.aside.events,
            held=self.aside.held,
        )

    def _claim(self, event: RemoteEvent) -> int | None:
        return m.claimed_appointment(event, self.options.studio_tag, self.user_id)

    # -- reading Google ----------------------------------------------------------------------

    def _list(self, token: str | None) -> EventChanges:
        calendar = self.options.calendar_id
        return self.pacer.call(lambda: self.provider.changes(calendar, token))

    def _read_google(self, cursors: SyncCursors) -> GoogleView | None:
        """Google's changes since the token (or a full listing); ``None`` when not pulling."""
        if not self.options.two_way:
            return None
        started = self.clock.now()
        token = cursors.sync_token
        try:
            try:
                changes = self._list(token)
            except SyncTokenExpiredError:
                self.result.full_resync = True
                self.result.add(Level.WARNING, ErrorCode.SYNC_FULL_RESYNC, kind="calendar")
                token = None
                changes = self._list(None)
        except STOPPING as error:
            raise StoppedError(error) from error
        except ProviderError as error:
            self.result.add(
                Level.WARNING,
                ErrorCode.SYNC_RETRY_LATER,
                item="the Google changes",
                reason=error.code.value,
            )
            return None
        events = _latest_per_id(changes.events)
        return GoogleView(events, changes.next_sync_token, token is None, started)

    def _occurrences_of_deleted_series(self, remote: list[RemoteEvent]) -> list[RemoteEvent]:
        """A stub for each linked occurrence of a series deleted as one resource (CalDAV):
        the series' own stub stands for all of them."""
        provider = self.provider
        if not isinstance(provider, OneResourceSeries) or not provider.series_is_one_resource:
            return []
        stubs = [e.id for e in remote if e.cancelled and e.recurring_event_id is None]
        if not stubs:
            return []
        prefixes = {provider.occurrence_prefix(series_id): series_id for series_id in stubs}
        listed = {event.id for event in remote}
        return [
            RemoteEvent(
                id=link.event_id,
                status=EventStatus.CANCELLED,
                recurring_event_id=next(
                    series for key, series in prefixes.items() if link.event_id.startswith(key)
                ),
            )
            for link in self.state.mappings_by_event_prefix(self.user_id, list(prefixes))
            if link.event_id not in listed
        ]

    def _get(self, calendar: str, event_id: str) -> RemoteEvent:
        return self.pacer.call(lambda: self.provider.get_event(calendar, event_id))

    def _reread_pending(self, event_ids: Iterable[str]) -> tuple[list[RemoteEvent], set[str]]:
        """Events a previous run gave up on, read again; and those still unreadable now."""
        found: list[RemoteEvent] = []
        failed: set[str] = set()
        calendar = self.options.calendar_id
        for event_id in sorted(event_ids):
            try:
                found.append(self._get(calendar, event_id))
            except RemoteNotFoundError:
                found.append(RemoteEvent(id=event_id, status=EventStatus.CANCELLED))
            except STOPPING as error:
                raise StoppedError(error) from error
            except ProviderError:
                failed.add(event_id)
        return found, failed

    # -- the change sync ---------------------------------------------------------------------

    def _change_sync(self, cursors: SyncCursors) -> tuple[SyncCursors, GoogleView | None]:
        user, state = self.user_id, self.state
        if cursors.feed_cursor is None:  # first run: older appointments are for Populate
            cursors = replace(cursors, feed_cursor=self.studio.feed_head())
            self._save(cursors)
        start = cursors.feed_cursor or 0
        feed = self.studio.changes_since(user, start)
        feed_cursor = max((change.seq for change in feed), default=start)
        studio_ids = {change.appointment_id for change in feed} | set(cursors.pending_appointments)

        view = self._read_google(cursors)
        remote = list(view.events) if view else []
        listed = {event.id for event in remote}
        again, still_pending = self._reread_pending(set(cursors.pending_events) - listed)
        remote.extend(again)
        remote.extend(self._occurrences_of_deleted_series(remote))
        remote = self.aside.set_aside(remote)

        by_event = state.mappings_by_event(user, [event.id for event in remote])
        gone: set[str] = set()
        if view is not None and view.full:
            every_link = state.all_mappings(user)
            gone = {link.event_id for link in every_link if link.event_id not in listed}
            by_event.update({link.event_id: link for link in every_link if link.event_id in gone})
        remote = self.aside.limit_series(remote, set(by_event))
        remote = [event for event in remote if not self._unchanged(event, by_event)]
        claimed = {self._claim(event) for event in remote if event.id not in by_event}
        claimed_ids = {key for key in claimed if key is not None}
        by_appointment = state.mappings_by_appointment(user, studio_ids | claimed_ids)
        involved = studio_ids | claimed_ids
        involved |= {by_event[event.id].appointment_id for event in remote if event.id in by_event}
        involved |= {by_event[event_id].appointment_id for event_id in gone}
        appointments = self.studio.load(user, involved)

        rules = self._rules(view, cursors)
        pairs = list(
            gather_pairs(
                studio_ids=studio_ids,
                appointments=appointments,
                remote=remote,
                gone_event_ids=gone,
                by_appointment=by_appointment,
                by_event=by_event,
                claim=self._claim,
            )
        )
        plan = plan_sync(
            pairs,
            rules,
            mapped=lambda: state.mapping_count(user),  # asked only when the guard may trip
            guard=self.options.bulk_delete,
            deletes_confirmed=self.options.confirm_bulk_delete,
        )
        self.result.plan = plan
        if plan.stop is not None:
            self.result.needs_bulk_delete_confirmation = True
            self.result.stop(
                ErrorCode.SYNC_BULK_DELETE_GUARD,
                side=plan.stop.side.value,
                deletes=plan.stop.deletes,
                mapped=plan.stop.mapped,
                user=user,
            )
            raise _HaltError
        if self.options.dry_run:
            return cursors, view
        leftovers = self._executor(rules).run(plan.actions)
        cursors = replace(
            cursors,
            feed_cursor=feed_cursor,
            sync_token=view.next_token if view else cursors.sync_token,
            last_pull_at=view.started_at if view else cursors.last_pull_at,
            pending_appointments=frozenset(leftovers.appointments),
            pending_events=frozenset(leftovers.events | still_pending),
        )
        self._save(cursors)
        return cursors, view

    @staticmethod
    def _unchanged(event: RemoteEvent, by_event: dict[str, MappingEntry]) -> bool:
        """Google reports it, but with the etag we already know: nothing new."""
        link = by_event.get(event.id)
        return link is not None and event.etag is not None and event.etag == link.etag
