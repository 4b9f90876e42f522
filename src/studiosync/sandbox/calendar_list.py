"""calendarList.list: paging, minAccessRole, showDeleted and sync tokens with deleted entries."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from studiosync.sandbox import cursors
from studiosync.sandbox.auth import Caller
from studiosync.sandbox.calendars_api import list_entry
from studiosync.sandbox.context import Sandbox, query_bool, query_int
from studiosync.sandbox.errors import bad_request, json_response
from studiosync.sandbox.events_listing import gone
from studiosync.sandbox.models import ACCESS_ROLES
from studiosync.sandbox.scopes import CALENDAR_LIST_READ

Row = tuple[list[Any], dict[str, Any]]


class CalendarListing:
    """One account's calendar list, whole or as the changes since a sync token."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def list_entries(self, request: Request) -> Response:
        sandbox = self.sandbox
        caller = sandbox.authenticate(
            request.headers, CALENDAR_LIST_READ, "calendar.calendarList.list"
        )
        limit = query_int(request, "maxResults", 100, high=250, clamp=True)
        min_role = request.query_params.get("minAccessRole")
        if min_role is not None and min_role not in ACCESS_ROLES:
            raise bad_request(
                f"Invalid value for minAccessRole: {min_role}", location="minAccessRole"
            )
        show_deleted = query_bool(request, "showDeleted")
        sync = request.query_params.get("syncToken")
        if sync and min_role is not None:
            raise bad_request(
                "The parameter minAccessRole cannot be used together with syncToken.",
                location="minAccessRole",
            )
        page = self._page(request.query_params.get("pageToken"))
        since = self._since(sync, caller.email) if sync else None
        snapshot = int(page["n"]) if page else sandbox.store.rev
        floor = ACCESS_ROLES.index(min_role) if min_role else 0
        rows = self._rows(caller, floor, since, show_deleted or since is not None)
        rows.sort(key=lambda row: row[0])
        if page:
            rows = [row for row in rows if row[0] > page["k"]]
        answer: dict[str, Any] = {
            "kind": "calendar#calendarList",
            "etag": f'"{sandbox.store.rev}"',
            "items": [entry for _, entry in rows[:limit]],
        }
        if len(rows) > limit:
            answer["nextPageToken"] = cursors.encode("lp", {"k": rows[limit - 1][0], "n": snapshot})
        else:
            store = sandbox.store
            answer["nextSyncToken"] = cursors.encode(
                "ls",
                {
                    "r": snapshot,
                    "e": store.sync_epoch,
                    "b": store.boot,
                    "u": caller.email,
                    "t": sandbox.clock.time(),
                },
            )
        return json_response(answer)

    def _rows(self, caller: Caller, floor: int, since: int | None, deleted: bool) -> list[Row]:
        store = self.sandbox.store
        rows: list[Row] = []
        for membership in store.memberships.get(caller.email, {}).values():
            calendar = store.calendars.get(membership.calendar_id)
            if calendar is None or ACCESS_ROLES.index(membership.access_role) < floor:
                continue
            if since is not None and store.entry_rev(membership) <= since:
                continue
            key = [not membership.primary, calendar.summary, calendar.id]
            rows.append((key, list_entry(calendar, membership)))
        if deleted:
            for calendar_id, rev in store.list_removed.get(caller.email, {}).items():
                if since is None or rev > since:
                    stub = {
                        "kind": "calendar#calendarListEntry",
                        "etag": f'"{rev}"',
                        "id": calendar_id,
                        "deleted": True,
                    }
                    rows.append(([True, "", calendar_id], stub))
        return rows

    @staticmethod
    def _page(raw: str | None) -> dict[str, Any] | None:
        if not raw:
            return None
        try:
            data = cursors.decode("lp", raw)
            data["k"], data.setdefault("n", 0)
        except (cursors.CursorError, KeyError) as error:
            raise bad_request("Invalid page token.", location="pageToken") from error
        return data

    def _since(self, raw: str, email: str) -> int:
        try:
            data = cursors.decode("ls", raw)
        except cursors.CursorError as error:
            raise gone() from error
        store, ttl = self.sandbox.store, self.sandbox.config.calendar_sync_token_ttl
        if data.get("e") != store.sync_epoch or (data.get("b"), data.get("u")) != (
            store.boot,
            email,
        ):
            raise gone()
        if ttl is not None and self.sandbox.clock.time() - float(data["t"]) > ttl:
            raise gone()
        return int(data["r"])
