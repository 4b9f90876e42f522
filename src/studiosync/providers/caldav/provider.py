"""The Provider protocol over a CalDAV calendar and a CardDAV address book of one account.

Ids: a calendar's id is its URL. An event's id is its resource's name without ``.ics``; the
resources studiosync writes are named ``<uid>.ics`` with the chosen id as UID, so there the id
is the UID. An occurrence of a series is ``<series id>@<recurrence id>`` (see ``series``).
A series is one resource (``series_is_one_resource``): a deleted series arrives in an
incremental listing as one cancelled stub with the series id, which stands for all its
instances (``<series id>@...``).

Writes are one HTTP request each (CalDAV has no batch): an insert is a PUT with
``If-None-Match: *`` (412: the resource exists, answered as Google's 409 duplicate so the engine
adopts it); an update or an instance's cancellation reads the resource, checks ``If-Match``
against its etag and PUTs it back with ``If-Match`` (412: etag mismatch); a delete is a DELETE
with ``If-Match``, and deleting what is gone counts as done (as Google's 410 ``deleted``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import quote

from studiosync.clock import Clock, SystemClock
from studiosync.errors import (
    ErrorCode,
    PreconditionFailedError,
    ProviderError,
    RemoteNotFoundError,
    SyncTokenExpiredError,
    TransientError,
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
)
from studiosync.providers.caldav import series
from studiosync.providers.caldav.collections import Collection, list_collections
from studiosync.providers.caldav.discovery import Account, discover
from studiosync.providers.caldav.errors import calendar_gone
from studiosync.providers.caldav.http import DAV, DavHttp, server_of
from studiosync.providers.caldav.ical import apply_body, new_calendar, parse, serialize
from studiosync.providers.caldav.sync import (
    ADDRESSBOOK,
    CALENDAR,
    ETAGS,
    SYNC,
    SYNC_CTAG,
    Delta,
    Kind,
    NoSyncCollectionError,
    by_etags,
    multiget,
    name_of,
    sync_collection,
)
from studiosync.providers.caldav.vcard import contact_from_vcard, deleted_contact

SUFFIX = ".ics"
WINDOW_PAST = dt.timedelta(days=365)
WINDOW_FUTURE = dt.timedelta(days=730)
ICS = {"Content-Type": "text/calendar; charset=utf-8"}


def id_of(name: str) -> str:
    return name.removesuffix(SUFFIX)


def same_etag(one: str | None, other: str | None) -> bool:
    """Etags compared as If-Match does (a weak ``W/`` prefix does not matter here)."""
    return (one or "").removeprefix("W/") == (other or "").removeprefix("W/")


class CalDavProvider:
    """One CalDAV/CardDAV account: calendars, one calendar's events, the address book."""

    series_is_one_resource = True
    requests_per_minute = 60_000
    """A CalDAV server has no request quota: as fast as it answers (``OwnRate``)."""

    def __init__(
        self,
        http: DavHttp,
        account: Account,
        *,
        sync_collection: bool = True,
        clock: Clock | None = None,
        window_past: dt.timedelta = WINDOW_PAST,
        window_future: dt.timedelta = WINDOW_FUTURE,
        addressbook: str | None = None,
    ) -> None:
        self.http = http
        self.account = account
        self.sync_collection = sync_collection
        self.clock = clock or SystemClock()
        self.window_past, self.window_future = window_past, window_future
        self.addressbook = addressbook
        self.fallback: set[str] = set()
        self._fetched: dict[str, tuple[str, str, str]] = {}
        self._written: dict[str, tuple[str, str, frozenset[str]]] = {}
        """Per series: the etag before our writes began, the etag after the last one, and the
        occurrences written."""
        """Collections listed by ctag + etags because the server lacks sync-collection."""
        self._collections: dict[str, Collection] = {}

    # -- calendars ---------------------------------------------------------------------------

    def list_calendars(self) -> list[CalendarInfo]:
        """The account's calendars that hold events (VTODO-only ones are not offered)."""
        found = list_collections(self.http, self.account.calendar_home, "calendar")
        self._collections.update({item.url: item for item in found})
        return [item.info() for item in found if "VEVENT" in item.components]

    def _calendar(self, calendar_id: str, *, fresh: bool = False) -> Collection:
        """The calendar's properties, as read before (or now, with its ctag, when ``fresh``)."""
        known = self._collections.get(calendar_id)
        if known is not None and not fresh:
            return known
        if not calendar_id.startswith(("http://", "https://")):  # a CalDAV calendar is a URL
            raise calendar_gone(calendar_id, server_of(self.account.principal))
        try:
            found = list_collections(
                self.http, calendar_id, "calendar", itself=True, with_ctag=fresh
            )
        except RemoteNotFoundError:
            found = []
        if not found:
            raise calendar_gone(calendar_id, server_of(calendar_id))
        self._collections[calendar_id] = found[0]
        return found[0]

    def answers_changes(self, calendar_id: str) -> bool:
        """Whether the calendar's server offers sync-collection (else runs use the fallback)."""
        said = self._calendar(calendar_id).sync_collection
        return said is not False and not self.uses_fallback(calendar_id)

    def uses_fallback(self, calendar_id: str) -> bool:
        """Whether the calendar's changes are found by ctag + etags (``DAV_NO_SYNC_COLLECTION``)."""
        return calendar_id in self.fallback or not self.sync_collection

    def _window(self) -> series.Window:
        now = self.clock.now()
        return series.Window(now - self.window_past, now + self.window_future)

    def _delta(self, url: str, token: str | None, kind: Kind, ctag: str | None = None) -> Delta:
        if token is not None and not token.startswith((SYNC, SYNC_CTAG, ETAGS)):
            raise SyncTokenExpiredError(
                ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED, kind=kind.token_kind, reason="unknown"
            )
        wants_sync = self.sync_collection and url not in self.fallback
        if token is not None and token.startswith(ETAGS):
            return by_etags(self.http, url, token, kind, ctag)
        if token is not None and not wants_sync:
            raise SyncTokenExpiredError(
                ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED, kind=kind.token_kind, reason="fallback"
            )
        if wants_sync:
            try:
                return sync_collection(self.http, url, token, kind, ctag)
            except NoSyncCollectionError:
                self.fallback.add(url)
                if token is not None:
                    raise SyncTokenExpiredError(
                        ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED,
                        kind=kind.token_kind,
                        reason="no sync-collection",
                    ) from None
        return by_etags(self.http, url, None, kind, ctag)

    def _events(
        self, name: str, etag: str | None, text: str, zone: str, *, incremental: bool
    ) -> list[RemoteEvent]:
        try:
            return series.events_of(
                text,
                series_id=id_of(name),
                etag=etag,
                calendar_zone=zone,
                window=self._window(),
                with_cancelled=incremental,
            )
        except (ValueError, KeyError, TypeError):
            return [RemoteEvent(id=id_of(name), etag=etag, unreadable="calendar-data")]

    def changes(self, calendar_id: str, sync_token: str | None) -> EventChanges:
        fresh = self._calendar(calendar_id, fresh=True)
        delta = self._delta(calendar_id, sync_token, CALENDAR, fresh.ctag)
        zone = fresh.time_zone
        incremental = sync_token is not None
        events: list[RemoteEvent] = []
        for name, (etag, text) in sorted(delta.changed.items()):
            events.extend(self._events(name, etag, text, zone, incremental=incremental))
        if incremental:
            events.extend(
                RemoteEvent(id=id_of(name), status=EventStatus.CANCELLED) for name in delta.deleted
            )
        return EventChanges(events, delta.token)

    def occurrence_prefix(self, series_id: str) -> str:
        return f"{series_id}{series.SEPARATOR}"

    # -- one resource ------------------------------------------------------------------------

    def _href(self, calendar_id: str, series_id: str) -> str:
        return calendar_id.rstrip("/") + "/" + quote(series_id + SUFFIX, safe="@")

    def _read(self, calendar_id: str, series_id: str) -> tuple[str, str, str]:
        """``(href, etag, text)`` of a resource; ``RemoteNotFoundError`` when there is none."""
        for href in (
            self._href(calendar_id, series_id),
            calendar_id.rstrip("/") + "/" + quote(series_id),
        ):
            answer = self.http.send("GET", href)
            if answer.status in (404, 410):
                continue
            self.http.check(answer, href, ok=(200,))
            return href, answer.etag or "", answer.text
        raise RemoteNotFoundError(
            ErrorCode.PROVIDER_ITEM_NOT_FOUND, item=series_id, event_id=series_id
        )

    def get_event(self, calendar_id: str, event_id: str) -> RemoteEvent:
        zone = self._calendar(calendar_id).time_zone
        series_id, wanted = series.split_id(event_id)
        _href, etag, text = self._read(calendar_id, series_id)
        if wanted is None:
            master = series.master_event(text, series_id=series_id, etag=etag, calendar_zone=zone)
            if master is not None:
                return master
        else:
            moment = series.moment_of(wanted)
            window = series.Window(moment - dt.timedelta(days=2), moment + dt.timedelta(days=2))
            for event in series.events_of(
                text,
                series_id=series_id,
                etag=etag,
                calendar_zone=zone,
                window=window,
                with_cancelled=True,
            ):
                if event.id == event_id:
                    return event
        raise RemoteNotFoundError(
            ErrorCode.PROVIDER_ITEM_NOT_FOUND, item=event_id, event_id=event_id
        )

    # -- writing -----------------------------------------------------------------------------

    def apply(self, calendar_id: str, operations: Sequence[Operation]) -> list[Outcome]:
        """Each operation as its own request, in order; one outcome each."""
        outcomes: list[Outcome] = []
        down: TransientError | None = None
        self._fetched = self._prefetch(calendar_id, operations)
        for operation in operations:
            if down is not None:
                outcomes.append(down)
                continue
            try:
                outcomes.append(Applied(self._apply_one(calendar_id, operation)))
            except ProviderError as refused:
                refused.params.update(event_id=operation.event_id, item=operation.event_id)
                outcomes.append(refused)
                if (
                    isinstance(refused, TransientError)
                    and refused.code is ErrorCode.DAV_UNREACHABLE
                ):
                    down = refused
        return outcomes

    def _prefetch(
        self, calendar_id: str, operations: Sequence[Operation]
    ) -> dict[str, tuple[str, str, str]]:
        """The resources a batch will change, read in one multiget instead of a GET each."""
        wanted: dict[str, None] = {}
        for operation in operations:
            series_id, instance = series.split_id(operation.event_id)
            whole_delete = isinstance(operation, DeleteEvent) and instance is None
            if not isinstance(operation, InsertEvent) and not whole_delete:
                wanted[series_id] = None
        if len(wanted) < 2:
            return {}
        try:
            entries = multiget(self.http, calendar_id, CALENDAR, [w + SUFFIX for w in wanted])
        except ProviderError:
            return {}  # each is then read on its own, where its failure is its own outcome
        fetched: dict[str, tuple[str, str, str]] = {}
        for entry in entries:
            name, text = name_of(entry.href, calendar_id), entry.text(CALENDAR.data)
            etag = entry.text(f"{DAV}getetag")
            if name and name.endswith(SUFFIX) and text and etag:
                series_id = name.removesuffix(SUFFIX)
                if series_id in wanted:
                    fetched[series_id] = (self._href(calendar_id, series_id), etag, text)
        return fetched

    def _apply_one(self, calendar_id: str, operation: Operation) -> RemoteEvent | None:
        if isinstance(operation, InsertEvent):
            return self._insert(calendar_id, operation)
        series_id, wanted = series.split_id(operation.event_id)
        if isinstance(operation, DeleteEvent) and wanted is None:
            self._delete(calendar_id, operation)
            return None
        try:  # a resource is used once as fetched: a write changes it
            fetched = self._fetched.pop(series_id, None)
            href, etag, text = fetched or self._read(calendar_id, series_id)
        except RemoteNotFoundError:
            if isinstance(operation, DeleteEvent):
                return None
            raise
        if operation.if_match is not None and not self._ours_since(
            operation.event_id, operation.if_match, etag
        ):
            raise PreconditionFailedError(
                ErrorCode.PROVIDER_ETAG_MISMATCH, event_id=operation.event_id, etag=etag
            )
        zone = self._calendar(calendar_id).time_zone
        now = self.clock.now()
        if isinstance(operation, DeleteEvent):
            assert wanted is not None
            cancelled = series.cancel_instance(text, wanted, zone, now)
            self._wrote(operation.event_id, etag, self._put(href, cancelled, {"If-Match": etag}))
            return None
        if wanted is not None:
            changed = series.edit_instance(text, wanted, operation.body, zone, now)
        else:
            calendar = parse(text)
            master = series.master_of(calendar)
            if master is None:
                raise RemoteNotFoundError(ErrorCode.PROVIDER_ITEM_NOT_FOUND, item=series_id)
            apply_body(master, operation.body, now)
            changed = serialize(calendar)
        new_etag = self._put(href, changed, {"If-Match": etag})
        self._wrote(operation.event_id, etag, new_etag)
        return self._stored(calendar_id, operation.event_id, new_etag, changed)

    def _ours_since(self, event_id: str, listed: str, current: str) -> bool:
        """Whether the resource is as listed, or changed since only by our own writes to
        other occurrences of its series (a moment ago): then it is no one else's change."""
        if same_etag(listed, current):
            return True
        series_id, _ = series.split_id(event_id)
        before, after, written = self._written.get(series_id, ("", "", frozenset[str]()))
        return (
            bool(after)
            and event_id not in written
            and same_etag(listed, before)
            and same_etag(current, after)
        )

    def _wrote(self, event_id: str, before: str, after: str | None) -> None:
        """Remember our write: from the etag first listed to the one the server gave now."""
        series_id, _ = series.split_id(event_id)
        first, last, written = self._written.get(series_id, ("", "", frozenset[str]()))
        if not (last and same_etag(before, last)):
            first, written = before, frozenset()
        self._written[series_id] = (first, after or "", written | {event_id})

    def _stored(self, calendar_id: str, event_id: str, etag: str | None, text: str) -> RemoteEvent:
        """The event as now stored (read back when the server gave no etag)."""
        series_id, wanted = series.split_id(event_id)
        if not etag:
            return self.get_event(calendar_id, event_id)
        zone = self._calendar(calendar_id).time_zone
        if wanted is None:
            master = series.master_event(text, series_id=series_id, etag=etag, calendar_zone=zone)
            assert master is not None
            return master
        return self.get_event(calendar_id, event_id)

    def _put(self, href: str, text: str, conditions: dict[str, str], **how: bool) -> str | None:
        answer = self.http.send("PUT", href, text, {**ICS, **conditions})
        self.http.check(answer, href, ok=(200, 201, 204), writing=True, **how)
        return answer.etag

    def _insert(self, calendar_id: str, operation: InsertEvent) -> RemoteEvent:
        text = serialize(new_calendar(operation.event_id, operation.body, self.clock.now()))
        href = self._href(calendar_id, operation.event_id)
        etag = self._put(href, text, {"If-None-Match": "*"}, creating=True)
        return self._stored(calendar_id, operation.event_id, etag, text)

    def _delete(self, calendar_id: str, operation: DeleteEvent) -> None:
        href = self._href(calendar_id, operation.event_id)
        conditions = {"If-Match": operation.if_match} if operation.if_match else {}
        answer = self.http.send("DELETE", href, "", conditions)
        if answer.status in (404, 410):
            raise RemoteNotFoundError(
                ErrorCode.PROVIDER_ITEM_NOT_FOUND,
                item=operation.event_id,
                event_id=operation.event_id,
            )
        self.http.check(answer, href, ok=(200, 204), writing=True)
        return

    # -- contacts ----------------------------------------------------------------------------

    def _addressbook(self) -> str:
        if self.addressbook:
            return self.addressbook
        home = self.account.addressbook_home
        books = list_collections(self.http, home, "addressbook") if home else []
        if not books:
            raise ProviderError(
                ErrorCode.DAV_NO_ADDRESSBOOK, server=server_of(self.account.principal)
            )
        self.addressbook = books[0].url
        return self.addressbook

    def contacts(self, sync_token: str | None) -> ContactChanges:
        url = self._addressbook()
        delta = self._delta(url, sync_token, ADDRESSBOOK)
        found: list[RemoteContact] = []
        for name, (etag, text) in sorted(delta.changed.items()):
            try:
                found.append(contact_from_vcard(text, name=name, etag=etag))
            except ValueError:
                continue
        if sync_token is not None:
            found.extend(deleted_contact(name) for name in delta.deleted)
        return ContactChanges(found, delta.token)


def connect(
    url: str,
    username: str,
    password: str,
    *,
    verify: bool | str = True,
    sync_collection: bool = True,
    clock: Clock | None = None,
) -> CalDavProvider:
    """Discover the account at ``url`` and answer a provider for it (raises what went wrong)."""
    http = DavHttp(username, password, verify=verify)
    return CalDavProvider(http, discover(http, url), sync_collection=sync_collection, clock=clock)
