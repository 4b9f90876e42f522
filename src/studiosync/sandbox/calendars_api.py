"""calendarList list/get and calendars insert/get/update/patch/delete."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from studiosync.sandbox.accounts import AccountSpecError, add_calendar, valid_time_zone
from studiosync.sandbox.context import Sandbox, read_json
from studiosync.sandbox.errors import api_error, bad_request, json_response, not_found, required
from studiosync.sandbox.models import Calendar, Membership
from studiosync.sandbox.scopes import CALENDAR_LIST_READ, CALENDARS_READ, CALENDARS_WRITE

CONFERENCE = {"allowedConferenceSolutionTypes": ["hangoutsMeet"]}


def list_entry(calendar: Calendar, membership: Membership) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": "calendar#calendarListEntry",
        "etag": calendar.etag,
        "id": calendar.id,
        "summary": calendar.summary,
        "timeZone": calendar.time_zone,
        "colorId": membership.color_id,
        "backgroundColor": "#9fc6e7",
        "foregroundColor": "#000000",
        "selected": True,
        "accessRole": membership.access_role,
        "defaultReminders": [],
        "conferenceProperties": CONFERENCE,
    }
    if calendar.description:
        entry["description"] = calendar.description
    if membership.primary:
        entry["primary"] = True
    return entry


def calendar_resource(calendar: Calendar) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "kind": "calendar#calendar",
        "etag": calendar.etag,
        "id": calendar.id,
        "summary": calendar.summary,
        "timeZone": calendar.time_zone,
        "conferenceProperties": CONFERENCE,
    }
    if calendar.description:
        resource["description"] = calendar.description
    return resource


class CalendarsApi:
    """The CalendarList and Calendars collections."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def get_entry(self, request: Request) -> Response:
        caller = self.sandbox.authenticate(
            request.headers, CALENDAR_LIST_READ, "calendar.calendarList.get"
        )
        calendar, membership = self.sandbox.calendar_for(caller, request.path_params["calendarId"])
        return json_response(list_entry(calendar, membership))

    async def get_calendar(self, request: Request) -> Response:
        caller = self.sandbox.authenticate(
            request.headers, CALENDARS_READ, "calendar.calendars.get"
        )
        calendar, _ = self.sandbox.calendar_for(caller, request.path_params["calendarId"])
        return json_response(calendar_resource(calendar))

    async def insert_calendar(self, request: Request) -> Response:
        caller = self.sandbox.authenticate(
            request.headers, CALENDARS_WRITE, "calendar.calendars.insert"
        )
        raw = await read_json(request)
        if not isinstance(raw, dict) or not str(raw.get("summary") or "").strip():
            raise required("Missing title.", location="summary")
        time_zone = raw.get("timeZone")
        if time_zone is not None and not valid_time_zone(str(time_zone)):
            raise bad_request("Invalid time zone.", location="timeZone")
        try:
            calendar = add_calendar(
                self.sandbox.store,
                caller.email,
                {
                    "summary": raw["summary"],
                    "timeZone": time_zone,
                    "description": raw.get("description"),
                    "accessRole": "owner",
                },
            )
        except AccountSpecError as error:
            raise bad_request(str(error)) from error
        return json_response(calendar_resource(calendar))

    async def change_calendar(self, request: Request) -> Response:
        method = "patch" if request.method == "PATCH" else "update"
        caller = self.sandbox.authenticate(
            request.headers, CALENDARS_WRITE, f"calendar.calendars.{method}"
        )
        calendar, membership = self.sandbox.calendar_for(
            caller, request.path_params["calendarId"], write=True
        )
        if membership.access_role != "owner":
            raise api_error(403, "forbidden", "Forbidden")
        raw = await read_json(request)
        if not isinstance(raw, dict):
            raise api_error(400, "parseError", "Parse Error")
        if method == "update" and not str(raw.get("summary") or "").strip():
            raise required("Missing title.", location="summary")
        if raw.get("timeZone") is not None:
            if not valid_time_zone(str(raw["timeZone"])):
                raise bad_request("Invalid time zone.", location="timeZone")
            calendar.time_zone = str(raw["timeZone"])
        if raw.get("summary"):
            calendar.summary = str(raw["summary"])
        if "description" in raw or method == "update":
            calendar.description = raw.get("description")
        store = self.sandbox.store
        calendar.etag = store.new_etag(store.next_rev())
        for event in calendar.events.values():
            event.rendered.clear()
        store.put_calendar(calendar)
        return json_response(calendar_resource(calendar))

    async def delete_calendar(self, request: Request) -> Response:
        caller = self.sandbox.authenticate(
            request.headers, CALENDARS_WRITE, "calendar.calendars.delete"
        )
        real_id = request.path_params["calendarId"]
        real_id = caller.email if real_id == "primary" else real_id
        calendar, membership = self.sandbox.calendar_for(caller, real_id, write=True)
        if membership.primary or calendar.id == caller.email:
            raise api_error(400, "cannotDeletePrimaryCalendar", "Cannot delete primary calendar.")
        if membership.access_role != "owner":
            raise api_error(403, "forbidden", "Forbidden")
        if calendar.id not in self.sandbox.store.calendars:
            raise not_found()
        self.sandbox.store.drop_calendar(calendar.id)
        self.sandbox.channels.drop_calendar(calendar.id)
        return Response(status_code=204)
