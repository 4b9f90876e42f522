"""What narrows an events listing (time window, text, properties) and how it is paged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from starlette.requests import Request

from studiosync.sandbox.context import query_bool
from studiosync.sandbox.errors import api_error, bad_request
from studiosync.sandbox.event_views import View, overlaps
from studiosync.sandbox.events_model import properties_match, text_matches
from studiosync.sandbox.models import Calendar

Keyed = Iterator[tuple[tuple[Any, ...], View]]


def parse_moment(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError as error:
        raise api_error(400, "badRequest", "Bad Request") from error
    if moment.tzinfo is None:
        raise api_error(400, "badRequest", "Bad Request")
    return moment


class Filters:
    """The narrowing parameters of a full listing."""

    def __init__(self, request: Request) -> None:
        params = request.query_params
        self.time_min = parse_moment(request, "timeMin")
        self.time_max = parse_moment(request, "timeMax")
        if self.time_min and self.time_max and self.time_max <= self.time_min:
            raise api_error(
                400,
                "timeRangeEmpty",
                "The specified time range is empty.",
                domain="calendar",
                location="timeMax",
            )
        self.updated_min = parse_moment(request, "updatedMin")
        self.ical_uid = params.get("iCalUID")
        self.query = params.get("q")
        self.private = _pairs(params.getlist("privateExtendedProperty"), "privateExtendedProperty")
        self.shared = _pairs(params.getlist("sharedExtendedProperty"), "sharedExtendedProperty")
        self.show_deleted = query_bool(request, "showDeleted") or self.updated_min is not None
        self.single = query_bool(request, "singleEvents")

    def accepts(self, calendar: Calendar, view: View, *, check_time: bool = True) -> bool:
        body = view.body
        if view.cancelled:
            return self._cancelled_shown(calendar, body) and self._updated_ok(body)
        if self.ical_uid and body.get("iCalUID") != self.ical_uid:
            return False
        if self.query and not text_matches(body, self.query):
            return False
        if self.private and not properties_match(body, "private", self.private):
            return False
        if self.shared and not properties_match(body, "shared", self.shared):
            return False
        if not self._updated_ok(body):
            return False
        return not check_time or overlaps(calendar, view, self.time_min, self.time_max)

    def _cancelled_shown(self, calendar: Calendar, body: dict[str, Any]) -> bool:
        """Google's rule: with neither showDeleted nor singleEvents, cancelled instances of a
        live series still come back; with both, deleted series themselves do not."""
        if self.show_deleted:
            return not (self.single and body.get("recurrence"))
        if self.single or not body.get("recurringEventId"):
            return False
        master = calendar.events.get(str(body["recurringEventId"]))
        return master is not None and not master.cancelled

    def _updated_ok(self, body: dict[str, Any]) -> bool:

        if self.updated_min is None:
            return True
        return datetime.fromisoformat(body["updated"]) >= self.updated_min


def _pairs(values: list[str], name: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        key, sep, wanted = value.partition("=")
        if not sep or not key:
            raise bad_request(f"Invalid value for {name}.", location=name)
        pairs.append((key, wanted))
    return pairs


def paginate(
    items: Keyed, after: tuple[Any, ...] | None, limit: int
) -> tuple[list[View], tuple[Any, ...] | None, bool]:
    """Up to ``limit`` items with keys past ``after``; the last key; whether more remain."""
    page: list[View] = []
    last = after
    for key, view in items:
        if after is not None and key <= after:
            continue
        if len(page) >= limit:
            return page, last, True
        page.append(view)
        last = key
    return page, last, False
