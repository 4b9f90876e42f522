"""events.list and events.instances: full and incremental listings, pages and sync tokens."""

from __future__ import annotations

import bisect
import random
from datetime import datetime, timedelta
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from studiosync.sandbox import cursors
from studiosync.sandbox.clock import rfc3339
from studiosync.sandbox.context import Sandbox, query_bool, query_int
from studiosync.sandbox.errors import GoogleError, api_error, bad_request, json_response
from studiosync.sandbox.event_filters import Filters, Keyed, paginate, parse_moment
from studiosync.sandbox.event_views import Horizon, Series, View, expand, series_of, start_key
from studiosync.sandbox.events_model import render, render_stub
from studiosync.sandbox.models import Calendar, StoredEvent
from studiosync.sandbox.scopes import EVENTS_READ

REFUSED_WITH_SYNC = (
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
)


PAGING_PARAMETERS = ("pageToken", "maxResults")


def gone() -> GoogleError:
    return api_error(
        410,
        "fullSyncRequired",
        "Sync token is no longer valid, a full sync is required.",
        domain="calendar",
        location="syncToken",
    )


class EventListing:
    """The two listing endpoints of the Events collection."""

    EXPANSIONS_KEPT = 64

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._random = random.Random()
        self._expansions: dict[tuple[Any, ...], list[View]] = {}
        self._listings: dict[tuple[Any, ...], list[tuple[tuple[Any, ...], View]]] = {}

    def _expand(
        self,
        calendar: Calendar,
        series: Series,
        snapshot: int,
        *,
        after: datetime | None,
        before: datetime | None,
        limit: int,
    ) -> list[View]:
        """A series' instances, worked out once per snapshot: every page of a listing asks."""
        key = (calendar.id, series.master.id, snapshot, after, before, limit)
        found = self._expansions.get(key)
        if found is None:
            if len(self._expansions) >= self.EXPANSIONS_KEPT:
                self._expansions.clear()
            found = expand(
                calendar, series, after=after, before=before, limit=limit, horizon=self._horizon()
            )
            self._expansions[key] = found
        return found

    async def list_events(self, request: Request) -> Response:
        sandbox = self.sandbox
        caller = sandbox.authenticate(request.headers, EVENTS_READ, "calendar.events.list")
        calendar, membership = sandbox.calendar_for(caller, request.path_params["calendarId"])
        params = request.query_params
        limit = query_int(request, "maxResults", 250, high=2500, clamp=True)
        single = query_bool(request, "singleEvents")
        order_by = params.get("orderBy")
        if order_by not in (None, "startTime", "updated"):
            raise bad_request(f"Invalid value for orderBy: {order_by}", location="orderBy")
        if order_by == "startTime" and not single:
            raise api_error(
                400,
                "badRequest",
                "The requested ordering is not available for the particular query.",
            )
        sync = params.get("syncToken")
        if sync is not None:
            for name in REFUSED_WITH_SYNC:
                if name in params:
                    raise bad_request(
                        f"The parameter {name} cannot be used together with syncToken.",
                        location=name,
                    )
            base = self._sync_base(calendar, sync)
        page = self._page(calendar, params.get("pageToken"), "i" if sync else "f")
        snapshot = int(page["r"]) if page else sandbox.store.rev
        after = tuple(page["k"]) if page else None
        if sync is not None:
            items = self._changes(calendar, int(base["r"]), snapshot, after, single)
        elif single:
            items = self._single_listing(request, calendar, snapshot)
        else:
            items = self._full(calendar, Filters(request), snapshot, after, single, order_by)
        views, last, more = paginate(items, after, self._page_size(limit))
        answer: dict[str, Any] = {
            "kind": "calendar#events",
            "etag": f'"{snapshot}"',
            "summary": calendar.summary,
            "updated": rfc3339(sandbox.clock.now()),
            "timeZone": calendar.time_zone,
            "accessRole": membership.access_role,
            "defaultReminders": [],
        }
        if calendar.description:
            answer["description"] = calendar.description
        if more:
            answer["nextPageToken"] = cursors.encode(
                "cp",
                {"k": list(last or ()), "r": snapshot, "c": calendar.id, "m": "i" if sync else "f"},
            )
        else:
            answer["nextSyncToken"] = cursors.encode(
                "cs",
                {
                    "c": calendar.id,
                    "r": snapshot,
                    "e": sandbox.store.sync_epoch,
                    "t": sandbox.clock.time(),
                },
            )
        answer["items"] = [self._item(view, caller.email, calendar) for view in views]
        return Response(orjson.dumps(answer), media_type="application/json; charset=UTF-8")

    def _single_listing(self, request: Request, calendar: Calendar, snapshot: int) -> Keyed:
        """A full listing of single instances, worked out once for all its pages."""
        params = request.query_params.multi_items()
        wanted = tuple(sorted((k, v) for k, v in params if k not in PAGING_PARAMETERS))
        key = (calendar.id, snapshot, wanted)
        listed = self._listings.get(key)
        if listed is None:
            listed = self._single(calendar, Filters(request), snapshot)
            self._listings.clear()  # only the listing being paged through is kept
            self._listings[key] = listed
        return iter(listed)

    def _page_size(self, limit: int) -> int:
        if not self.sandbox.config.ragged_pages:
            return limit
        return self._random.choice([0, 1, max(1, limit // 2), limit])

    def _sync_base(self, calendar: Calendar, raw: str) -> dict[str, Any]:
        try:
            data = cursors.decode("cs", raw)
        except cursors.CursorError as error:
            raise gone() from error
        store, ttl = self.sandbox.store, self.sandbox.config.calendar_sync_token_ttl
        if data.get("c") != calendar.id or data.get("e") != store.sync_epoch:
            raise gone()
        if ttl is not None and self.sandbox.clock.time() - float(data["t"]) > ttl:
            raise gone()
        return data

    def _page(self, calendar: Calendar, raw: str | None, mode: str) -> dict[str, Any] | None:
        if raw is None:
            return None
        try:
            data = cursors.decode("cp", raw)
        except cursors.CursorError as error:
            raise bad_request("Invalid page token.", location="pageToken") from error
        if data.get("c") != calendar.id or data.get("m") != mode:
            raise bad_request("Invalid page token.", location="pageToken")
        return data

    def _full(
        self,
        calendar: Calendar,
        filters: Filters,
        snapshot: int,
        after: tuple[Any, ...] | None,
        single: bool,
        order_by: str | None,
    ) -> Keyed:
        if single:
            return iter(self._single(calendar, filters, snapshot))
        if order_by == "updated":
            views = [
                View(e.id, e.body, e.etag, e) for e in calendar.events.values() if e.rev <= snapshot
            ]
            keyed = sorted(
                ((v.body["updated"], v.id), v) for v in views if filters.accepts(calendar, v)
            )
            return iter(keyed)
        return self._by_id(calendar, filters, snapshot, after)

    def _by_id(
        self, calendar: Calendar, filters: Filters, snapshot: int, after: tuple[Any, ...] | None
    ) -> Keyed:
        ids = calendar.sorted_ids
        position = bisect.bisect_right(ids, after[0]) if after else 0
        events = calendar.events
        for index in range(position, len(ids)):
            event = events[ids[index]]
            if event.rev > snapshot:
                continue
            view = View(event.id, event.body, event.etag, event)
            if filters.accepts(calendar, view):
                yield (event.id,), view

    def _single(
        self, calendar: Calendar, filters: Filters, snapshot: int
    ) -> list[tuple[tuple[Any, ...], View]]:
        keyed: list[tuple[tuple[Any, ...], View]] = []
        for event in calendar.events.values():
            if event.rev > snapshot:
                continue
            master_id = event.recurring_event_id
            if master_id:
                master = calendar.events.get(master_id)
                if master is not None and not master.cancelled and series_of(calendar, master):
                    continue
            series = series_of(calendar, event)
            if series is not None and not event.cancelled:
                for view in self._expand(
                    calendar,
                    series,
                    snapshot,
                    after=filters.time_min,
                    before=filters.time_max,
                    limit=2500 * 4,
                ):
                    if filters.accepts(calendar, view, check_time=False):
                        keyed.append(((self._start(calendar, view), view.id), view))
                continue
            view = View(event.id, event.body, event.etag, event)
            if filters.accepts(calendar, view):
                keyed.append(((self._start(calendar, view), view.id), view))
        keyed.sort(key=lambda pair: pair[0])
        return keyed

    @staticmethod
    def _start(calendar: Calendar, view: View) -> str:
        return start_key(calendar, view.body) if "start" in view.body else ""

    def _horizon(self) -> Horizon:
        days = self.sandbox.config.expansion_horizon_days
        return Horizon(self.sandbox.clock.now(), timedelta(days=days))

    def _changes(
        self,
        calendar: Calendar,
        base: int,
        snapshot: int,
        after: tuple[Any, ...] | None,
        single: bool,
    ) -> Keyed:
        changes = calendar.changes
        if after:
            position = bisect.bisect_left(changes, (int(after[0]), ""))
        else:
            position = bisect.bisect_right(changes, (base, "\uffff"))
        for rev, event_id in changes[position:]:
            if rev > snapshot:
                return
            event = calendar.events.get(event_id)
            if event is None or event.rev != rev:
                continue
            series = series_of(calendar, event) if single else None
            if series is None:
                if not (single and self._listed_by_master(calendar, event, base, snapshot)):
                    yield (rev, 0), View(event.id, event.body, event.etag, event)
                continue
            expanded = self._expand(calendar, series, snapshot, after=None, before=None, limit=2500)
            for index, view in enumerate(expanded):
                if event.cancelled:
                    view = View(view.id, {**view.body, "status": "cancelled"}, event.etag, None)
                yield (rev, index), view

    @staticmethod
    def _listed_by_master(calendar: Calendar, event: StoredEvent, base: int, snapshot: int) -> bool:
        """Whether an exception comes with its series' expansion in this sync (once, as Google)."""
        master = calendar.events.get(event.recurring_event_id or "")
        return (
            master is not None
            and base < master.rev <= snapshot
            and series_of(calendar, master) is not None
        )

    def _item(self, view: View, viewer: str, calendar: Calendar) -> Any:
        if view.cancelled:
            return render_stub(view.id, view.etag, view.body)
        stored = view.stored
        if stored is None:
            return render(None, view.body, view.id, view.etag, viewer, calendar)
        fragment = stored.rendered.get(viewer)
        if fragment is None:
            data = render(stored, stored.body, stored.id, stored.etag, viewer, calendar)
            fragment = orjson.Fragment(orjson.dumps(data))
            stored.rendered[viewer] = fragment
        return fragment

    async def instances(self, request: Request) -> Response:
        sandbox = self.sandbox
        caller = sandbox.authenticate(request.headers, EVENTS_READ, "calendar.events.instances")
        calendar, membership = sandbox.calendar_for(caller, request.path_params["calendarId"])
        master = calendar.events.get(request.path_params["eventId"])
        if master is None:
            raise api_error(404, "notFound", "Not Found")
        if master.cancelled:
            raise api_error(410, "deleted", "Resource has been deleted")
        limit = query_int(request, "maxResults", 250, high=2500, clamp=True)
        show_deleted = query_bool(request, "showDeleted")
        time_min, time_max = parse_moment(request, "timeMin"), parse_moment(request, "timeMax")
        original = request.query_params.get("originalStart")
        page = self._page(calendar, request.query_params.get("pageToken"), "n")
        after = tuple(page["k"]) if page else None
        series = series_of(calendar, master)
        if series is None:
            views = [View(master.id, master.body, master.etag, master)]
        else:
            views = expand(
                calendar,
                series,
                after=time_min,
                before=time_max,
                limit=100000,
                horizon=self._horizon(),
            )
        keyed = (
            ((view.id.rsplit("_", 1)[-1],), view)
            for view in views
            if (show_deleted or not view.cancelled)
            and (original is None or _same_original(view, original))
        )
        page_views, last, more = paginate(keyed, after, limit)
        answer: dict[str, Any] = {
            "kind": "calendar#events",
            "etag": f'"{master.rev}"',
            "summary": calendar.summary,
            "updated": rfc3339(sandbox.clock.now()),
            "timeZone": calendar.time_zone,
            "accessRole": membership.access_role,
            "defaultReminders": [],
            "items": [self._item(view, caller.email, calendar) for view in page_views],
        }
        if more:
            answer["nextPageToken"] = cursors.encode(
                "cp", {"k": list(last or ()), "r": sandbox.store.rev, "c": calendar.id, "m": "n"}
            )
        return json_response(answer)


def _same_original(view: View, wanted: str) -> bool:
    original = view.body.get("originalStartTime", {})
    value = original.get("dateTime") or original.get("date")
    if value is None:
        return False
    try:
        return bool(datetime.fromisoformat(value) == datetime.fromisoformat(wanted))
    except ValueError:
        return bool(value == wanted)
