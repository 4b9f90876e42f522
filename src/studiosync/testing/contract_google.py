"""The provider contract harness for the Google provider, over real HTTP to the sandbox.

The remote side is a second API client signed in as the same account (a phone, say): it writes
through Calendar v3 and People v1 as any app would, never through the provider under test.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

from studiosync.providers.base import EventStatus, EventTime, Operation, Provider
from studiosync.providers.google.provider import GoogleProvider
from studiosync.providers.google.services import build_calendar, build_people
from studiosync.sandbox.testing import CALENDAR_SCOPE, CONTACTS_SCOPE, SandboxHandle
from studiosync.testing.contract import CALENDAR_ZONE, RemoteSeries, SeriesShape

SCOPES = (CALENDAR_SCOPE, CONTACTS_SCOPE)
LISTING = "/calendar/v3/calendars/{calendarId}/events"
PERSON_FIELDS = "names,emailAddresses,metadata"
_accounts = itertools.count(1)


def _when(moment: EventTime, zone: str) -> dict[str, str]:
    if moment.date is not None:
        return {"date": moment.date.isoformat()}
    assert moment.date_time is not None
    return {"dateTime": moment.date_time.isoformat(), "timeZone": zone}


class GoogleSandboxHarness:
    """A fresh sandbox account per test; its primary calendar is the calendar under test."""

    name = "google-sandbox"
    series_shape = SeriesShape.INSTANCES

    def __init__(self, google: SandboxHandle) -> None:
        self.google = google
        google.reset()
        self.calendar_id = f"studio{next(_accounts)}@contract.example"
        google.create_account(self.calendar_id, timeZone=CALENDAR_ZONE)
        self._credentials = google.credentials(self.calendar_id, SCOPES)
        self.provider: Provider = self._connect()
        phone = google.credentials(self.calendar_id, SCOPES)
        self.phone = build_calendar(phone, google.base_url)
        self.phone_people = build_people(phone, google.base_url)

    def _connect(self, **options: Any) -> GoogleProvider:
        base = self.google.base_url
        return GoogleProvider(
            build_calendar(self._credentials, base),
            build_people(self._credentials, base),
            account=self.calendar_id,
            **options,
        )

    # -- the remote side ---------------------------------------------------------------------

    def _events(self) -> Any:
        return self.phone.events()

    def remote_create(
        self,
        summary: str,
        start: EventTime,
        end: EventTime,
        time_zone: str,
        *,
        status: str = EventStatus.CONFIRMED,
    ) -> str:
        body = {
            "summary": summary,
            "start": _when(start, time_zone),
            "end": _when(end, time_zone),
            "status": status,
        }
        made = self._events().insert(calendarId=self.calendar_id, body=body).execute()
        return str(made["id"])

    def remote_edit(self, event_id: str, *, summary: str) -> None:
        self._events().patch(
            calendarId=self.calendar_id, eventId=event_id, body={"summary": summary}
        ).execute()

    def remote_delete(self, event_id: str) -> None:
        self._events().delete(calendarId=self.calendar_id, eventId=event_id).execute()

    def remote_invite(self, event_id: str, email: str) -> None:
        event = self._events().get(calendarId=self.calendar_id, eventId=event_id).execute()
        guests = [*event.get("attendees", []), {"email": email}]
        self._events().patch(
            calendarId=self.calendar_id, eventId=event_id, body={"attendees": guests}
        ).execute()

    def remote_series(
        self, summary: str, first: dt.datetime, duration: dt.timedelta, count: int, time_zone: str
    ) -> RemoteSeries:
        body = {
            "summary": summary,
            "start": _when(EventTime(date_time=first), time_zone),
            "end": _when(EventTime(date_time=first + duration), time_zone),
            "recurrence": [f"RRULE:FREQ=DAILY;COUNT={count}"],
        }
        master = self._events().insert(calendarId=self.calendar_id, body=body).execute()
        instances = (
            self._events().instances(calendarId=self.calendar_id, eventId=master["id"]).execute()
        )
        ids = tuple(str(item["id"]) for item in instances["items"])
        starts = tuple(first + dt.timedelta(days=day) for day in range(count))
        return RemoteSeries(str(master["id"]), ids, starts, duration)

    def remote_move(self, series: RemoteSeries, index: int, start: dt.datetime) -> None:
        zone = str(start.tzinfo)
        body = {
            "start": _when(EventTime(date_time=start), zone),
            "end": _when(EventTime(date_time=start + series.duration), zone),
        }
        self._events().patch(
            calendarId=self.calendar_id, eventId=series.occurrence_ids[index], body=body
        ).execute()

    def remote_cancel(self, series: RemoteSeries, index: int) -> None:
        self.remote_delete(series.occurrence_ids[index])

    def _people(self) -> Any:
        return self.phone_people.people()

    def remote_add_contact(self, name: str, email: str) -> str:
        body = {"names": [{"givenName": name}], "emailAddresses": [{"value": email}]}
        made = self._people().createContact(body=body).execute()
        return str(made["resourceName"])

    def remote_rename_contact(self, resource_name: str, name: str) -> None:
        person = self._people().get(resourceName=resource_name, personFields=PERSON_FIELDS)
        current = person.execute()
        body = {"etag": current["etag"], "names": [{"givenName": name}]}
        self._people().updateContact(
            resourceName=resource_name, updatePersonFields="names", body=body
        ).execute()

    def remote_delete_contact(self, resource_name: str) -> None:
        self._people().deleteContact(resourceName=resource_name).execute()

    # -- the service -------------------------------------------------------------------------

    def expire_sync_tokens(self) -> None:
        self.google.expire_sync_tokens()

    def advance_clock(self, seconds: float) -> None:
        self.google.advance_clock(seconds)

    def apply_and_crash(self, operations: Sequence[Operation]) -> None:
        """The batch goes out from a provider of its own, whose answers nobody reads."""
        self._connect().apply(self.calendar_id, operations)

    def use_page_size(self, size: int) -> bool:
        """Pages of at most ``size``, some of them shorter or empty (Google's may be)."""
        self.google.configure(ragged_pages=True)
        self.provider = self._connect(page_size=size)
        return True

    def listing_pages(self) -> int:
        return self.google.count("GET", LISTING, 200)

    def close(self) -> None:
        self.google.real_clock()
