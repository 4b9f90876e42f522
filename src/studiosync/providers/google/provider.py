"""The Provider protocol over Google Calendar v3 and People v1, through google-api-python-client."""

from __future__ import annotations

import datetime as dt
import http.client
from collections.abc import Callable, Sequence
from typing import Any

import google.auth.exceptions
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError

from studiosync.errors import AuthError, ErrorCode, ProviderError, RemoteNotFoundError
from studiosync.providers.base import (
    MAX_BATCH,
    Applied,
    CalendarInfo,
    ContactChanges,
    EventChanges,
    InsertEvent,
    Operation,
    Outcome,
    RemoteContact,
    RemoteEvent,
    UpdateEvent,
    WatchAnswer,
    WatchRequest,
)
from studiosync.providers.google.convert import (
    body_to_json,
    calendar_from_json,
    contact_from_json,
    event_from_json,
)
from studiosync.providers.google.errors import error_from_response, error_from_transport
from studiosync.providers.google.services import build_calendar, build_people

PAGE_SIZE = 2500
CONTACT_PAGE_SIZE = 1000
PERSON_FIELDS = "names,emailAddresses,phoneNumbers,metadata"
NO_MAIL = "none"
"""Google's ``sendUpdates`` value that e-mails nobody: the studio never writes to guests."""
FAILURES = (OSError, httplib2.HttpLib2Error, http.client.HTTPException)


def _status(error: HttpError) -> int:
    return int(getattr(error.resp, "status", 0) or 0)


def _names_zone(raw: Any) -> bool:
    """Whether an event's JSON names its own zone (cancelled stubs need none)."""
    if not isinstance(raw, dict) or raw.get("status") == "cancelled":
        return True
    return bool((raw.get("start") or {}).get("timeZone"))


class GoogleProvider:
    """One linked Google account: calendar list, one calendar's events, contacts."""

    def __init__(
        self,
        calendar: Any,
        people: Any,
        *,
        account: str = "",
        user: str = "",
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._calendar = calendar
        self._page_size = page_size
        self._events: Any = None
        self._people = people
        self._zones: dict[str, str] = {}
        self._who = {"google_email": account or "this Google account", "user": user or "USER"}

    def _event_calls(self) -> Any:
        """The events resource, built once: googleapiclient builds its methods anew each time."""
        if self._events is None:
            self._events = self._calendar.events()
        return self._events

    def _run(self, request: Any, *, what: str, kind: str = "calendar") -> Any:
        try:
            return request.execute()
        except HttpError as error:
            raise error_from_response(_status(error), error.content, what=what, kind=kind) from None
        except google.auth.exceptions.RefreshError as error:
            reason = "invalid_grant" if "invalid_grant" in str(error) else type(error).__name__
            raise AuthError(ErrorCode.GOOGLE_REAUTH_NEEDED, reason=reason, **self._who) from None
        except FAILURES as failure:
            raise error_from_transport(failure, what=what) from None

    def list_calendars(self) -> list[CalendarInfo]:
        calendars: list[CalendarInfo] = []
        page: str | None = None
        while True:
            answer = self._run(
                self._calendar.calendarList().list(pageToken=page, maxResults=250),
                what="the calendar list",
            )
            calendars.extend(calendar_from_json(item) for item in answer.get("items", ()))
            page = answer.get("nextPageToken")
            if not page:
                return calendars

    def changes(self, calendar_id: str, sync_token: str | None) -> EventChanges:
        events: list[RemoteEvent] = []
        page: str | None = None
        while True:
            query: dict[str, Any] = {
                "calendarId": calendar_id,
                "maxResults": self._page_size,
                "singleEvents": True,
                "pageToken": page,
            }
            if sync_token:
                query.update(syncToken=sync_token, showDeleted=True)
            answer = self._run(self._event_calls().list(**query), what=f"calendar {calendar_id}")
            zone = answer.get("timeZone") or self._zones.get(calendar_id)
            if zone:
                self._zones[calendar_id] = zone
            events.extend(event_from_json(item, zone) for item in answer.get("items", ()))
            page = answer.get("nextPageToken")
            if not page:
                return EventChanges(events, str(answer.get("nextSyncToken", "")))

    def _zone_for(self, calendar_id: str, raw_events: Sequence[Any]) -> str | None:
        """The calendar's zone, asked for once when an event names none and no listing has.

        An all-day event (and one made with bare offsets) names no zone: it is the calendar's.
        If Google will not say (a narrower scope, a failure), the event's zone stays unknown.
        """
        zone = self._zones.get(calendar_id)
        if zone is not None or all(_names_zone(raw) for raw in raw_events):
            return zone
        try:
            answer = self._run(
                self._calendar.calendars().get(calendarId=calendar_id),
                what=f"calendar {calendar_id}",
            )
        except ProviderError:
            return None
        zone = answer.get("timeZone") or None
        if zone:
            self._zones[calendar_id] = zone
        return zone

    def get_event(self, calendar_id: str, event_id: str) -> RemoteEvent:
        raw = self._run(
            self._event_calls().get(calendarId=calendar_id, eventId=event_id),
            what=f"event {event_id}",
        )
        return event_from_json(raw, self._zone_for(calendar_id, [raw]))

    def _request(self, calendar_id: str, operation: Operation) -> Any:
        """One write; none of them may e-mail anyone, and an update keeps the guests Google has.

        Every write says ``sendUpdates=none``. An update is a patch of the fields the studio
        writes, so attendees (and anything else the phone added) stay as they are.
        """
        events = self._event_calls()
        if isinstance(operation, InsertEvent):
            return events.insert(
                calendarId=calendar_id,
                body=body_to_json(operation.body, operation.event_id),
                sendUpdates=NO_MAIL,
            )
        if isinstance(operation, UpdateEvent):
            request = events.patch(
                calendarId=calendar_id,
                eventId=operation.event_id,
                body=body_to_json(operation.body),
                sendUpdates=NO_MAIL,
            )
        else:
            request = events.delete(
                calendarId=calendar_id, eventId=operation.event_id, sendUpdates=NO_MAIL
            )
        if operation.if_match:
            request.headers["If-Match"] = operation.if_match
        return request

    def apply(self, calendar_id: str, operations: Sequence[Operation]) -> list[Outcome]:
        if not operations:
            return []
        if len(operations) > MAX_BATCH:
            raise ValueError(f"a batch holds at most {MAX_BATCH} operations")
        answers: dict[int, Any] = {}

        def answered(index: int) -> Callable[[str, Any, HttpError | None], None]:
            operation = operations[index]

            def record(_request_id: str, response: Any, error: HttpError | None) -> None:
                if error is None:
                    answers[index] = response or None
                else:
                    answers[index] = error_from_response(
                        _status(error), error.content, what=operation.event_id
                    )

            return record

        batch = self._calendar.new_batch_http_request()
        for index, operation in enumerate(operations):
            batch.add(self._request(calendar_id, operation), callback=answered(index))
        self._run(batch, what=f"a batch of {len(operations)} changes")
        written = [raw for raw in answers.values() if isinstance(raw, dict)]
        zone = self._zone_for(calendar_id, written)
        outcomes: list[Outcome] = []
        for index, operation in enumerate(operations):
            if index not in answers:
                outcomes.append(error_from_transport(ConnectionError(), what=operation.event_id))
                continue
            raw = answers[index]
            if isinstance(raw, ProviderError):
                outcomes.append(raw)
            else:
                outcomes.append(Applied(event_from_json(raw, zone) if raw else None))
        return outcomes

    def contacts(self, sync_token: str | None) -> ContactChanges:
        contacts: list[RemoteContact] = []
        page: str | None = None
        while True:
            query: dict[str, Any] = {
                "resourceName": "people/me",
                "personFields": PERSON_FIELDS,
                "pageSize": CONTACT_PAGE_SIZE,
                "requestSyncToken": True,
                "pageToken": page,
            }
            if sync_token:
                query["syncToken"] = sync_token
            answer = self._run(
                self._people.people().connections().list(**query),
                what="contacts",
                kind="contacts",
            )
            contacts.extend(contact_from_json(item) for item in answer.get("connections", ()))
            page = answer.get("nextPageToken")
            if not page:
                return ContactChanges(contacts, str(answer.get("nextSyncToken", "")))

    def watch(self, calendar_id: str, request: WatchRequest) -> WatchAnswer:
        """Open a push channel on the calendar's events (Google's events.watch)."""
        body = {
            "id": request.channel_id,
            "type": "web_hook",
            "address": request.address,
            "token": request.token,
            "params": {"ttl": str(request.ttl_seconds)},
        }
        answer = self._run(
            self._event_calls().watch(calendarId=calendar_id, body=body),
            what=f"notifications for calendar {calendar_id}",
        )
        expiration = int(answer.get("expiration") or 0) / 1000
        return WatchAnswer(
            resource_id=str(answer["resourceId"]),
            expires_at=dt.datetime.fromtimestamp(expiration, dt.UTC) if expiration else None,
        )

    def stop_channel(self, channel_id: str, resource_id: str) -> None:
        """Stop a push channel (Google's channels.stop); one Google no longer knows is gone."""
        try:
            self._run(
                self._calendar.channels().stop(body={"id": channel_id, "resourceId": resource_id}),
                what=f"notification channel {channel_id}",
            )
        except RemoteNotFoundError:
            return


def connect(
    credentials: Credentials, base_url: str | None = None, *, account: str = "", user: str = ""
) -> GoogleProvider:
    """A provider for one account's credentials; real Google unless ``base_url`` is given.

    ``account`` and ``user`` only label errors (whose sign-in Google refused).
    """
    return GoogleProvider(
        build_calendar(credentials, base_url),
        build_people(credentials, base_url),
        account=account,
        user=user,
    )
