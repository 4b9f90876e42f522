"""Events get/insert/update/patch/delete/import: etags, client ids, exceptions, tombstones."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from studiosync.sandbox.accounts import random_id
from studiosync.sandbox.auth import Caller
from studiosync.sandbox.context import (
    Sandbox,
    base_url,
    if_match_fails,
    precondition_failed,
    read_json,
)
from studiosync.sandbox.errors import api_error, json_response, not_found, required
from studiosync.sandbox.event_views import View, find_instance
from studiosync.sandbox.events_model import (
    check_event_id,
    merge_patch,
    normalise_event,
    render,
)
from studiosync.sandbox.models import Calendar, StoredEvent
from studiosync.sandbox.scopes import EVENTS_READ, EVENTS_WRITE


def duplicate() -> Exception:
    return api_error(409, "duplicate", "The requested identifier already exists.")


def deleted() -> Exception:
    return api_error(410, "deleted", "Resource has been deleted")


class EventsApi:
    """Single-event endpoints of the Events collection."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def _open(self, request: Request, method: str, *, write: bool) -> tuple[Caller, Calendar]:
        caller = self.sandbox.authenticate(
            request.headers, EVENTS_WRITE if write else EVENTS_READ, f"calendar.events.{method}"
        )
        calendar, _ = self.sandbox.calendar_for(
            caller, request.path_params["calendarId"], write=write
        )
        return caller, calendar

    @staticmethod
    def _find(calendar: Calendar, event_id: str) -> View:
        stored = calendar.events.get(event_id)
        if stored is not None:
            return View(stored.id, stored.body, stored.etag, stored)
        instance = find_instance(calendar, event_id)
        if instance is None:
            raise not_found()
        return instance

    def _answer(self, stored: StoredEvent, viewer: str, calendar: Calendar) -> Response:
        return json_response(render(stored, stored.body, stored.id, stored.etag, viewer, calendar))

    async def get(self, request: Request) -> Response:
        caller, calendar = self._open(request, "get", write=False)
        view = self._find(calendar, request.path_params["eventId"])
        if request.headers.get("if-none-match") == view.etag:
            return Response(status_code=304, headers={"ETag": view.etag})
        return json_response(
            render(view.stored, view.body, view.id, view.etag, caller.email, calendar)
        )

    async def insert(self, request: Request) -> Response:
        caller, calendar = self._open(request, "insert", write=True)
        raw = await read_json(request)
        if not isinstance(raw, dict):
            raise api_error(400, "parseError", "Parse Error")
        event_id = raw.get("id")
        if event_id is not None:
            event_id = str(event_id)
            check_event_id(event_id)
            if event_id in calendar.events:
                raise duplicate()
        else:
            event_id = random_id()
        if raw.get("iCalUID") and self._by_ical_uid(calendar, str(raw["iCalUID"])) is not None:
            raise duplicate()
        stored = self._store(calendar, caller, event_id, raw, request, None, None)
        return self._answer(stored, caller.email, calendar)

    async def import_(self, request: Request) -> Response:
        caller, calendar = self._open(request, "import", write=True)
        raw = await read_json(request)
        if not isinstance(raw, dict):
            raise api_error(400, "parseError", "Parse Error")
        if not raw.get("iCalUID"):
            raise required("Missing iCalUID.", location="iCalUID")
        existing = self._by_ical_uid(calendar, str(raw["iCalUID"]))
        if existing is not None:
            stored = self._store(calendar, caller, existing.id, raw, request, existing.body, None)
            return self._answer(stored, caller.email, calendar)
        event_id = str(raw.get("id") or random_id())
        check_event_id(event_id)
        if event_id in calendar.events:
            raise duplicate()
        stored = self._store(calendar, caller, event_id, raw, request, None, None)
        return self._answer(stored, caller.email, calendar)

    async def update(self, request: Request) -> Response:
        return await self._modify(request, "update", patch=False)

    async def patch(self, request: Request) -> Response:
        return await self._modify(request, "patch", patch=True)

    async def _modify(self, request: Request, method: str, *, patch: bool) -> Response:
        caller, calendar = self._open(request, method, write=True)
        view = self._find(calendar, request.path_params["eventId"])
        if if_match_fails(request, view.etag):
            raise precondition_failed()
        raw = await read_json(request)
        if not isinstance(raw, dict):
            raise api_error(400, "parseError", "Parse Error")
        if patch:
            raw = merge_patch(view.body, raw)
        exception_of = view.body if view.body.get("recurringEventId") else None
        stored = self._store(calendar, caller, view.id, raw, request, view.body, exception_of)
        return self._answer(stored, caller.email, calendar)

    async def delete(self, request: Request) -> Response:
        _, calendar = self._open(request, "delete", write=True)
        view = self._find(calendar, request.path_params["eventId"])
        if view.cancelled:
            raise deleted()
        if if_match_fails(request, view.etag):
            raise precondition_failed()
        self._cancel(calendar, view.id, view.body)
        if view.stored is not None and view.body.get("recurrence"):
            for event in list(calendar.events.values()):
                if event.recurring_event_id == view.id and not event.cancelled:
                    self._cancel(calendar, event.id, event.body)
        return Response(status_code=204)

    def _cancel(self, calendar: Calendar, event_id: str, body: dict[str, Any]) -> None:
        store = self.sandbox.store
        store.put_event(
            calendar, event_id, {**body, "status": "cancelled", "updated": store.timestamp()}
        )

    def _store(
        self,
        calendar: Calendar,
        caller: Caller,
        event_id: str,
        raw: dict[str, Any],
        request: Request,
        previous: dict[str, Any] | None,
        exception_of: dict[str, Any] | None,
    ) -> StoredEvent:
        store = self.sandbox.store
        body = normalise_event(
            raw,
            calendar=calendar,
            actor=caller.email,
            event_id=event_id,
            now=store.timestamp(),
            base_url=base_url(request),
            previous=previous,
            exception_of=exception_of,
        )
        return store.put_event(calendar, event_id, body)

    @staticmethod
    def _by_ical_uid(calendar: Calendar, uid: str) -> StoredEvent | None:
        for event in calendar.events.values():
            if event.body.get("iCalUID") == uid and not event.recurring_event_id:
                return event
        return None
