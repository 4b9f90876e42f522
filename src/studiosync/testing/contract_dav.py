"""The CalDAV provider in the contract suite: a fresh calendar on a real Radicale or Xandikos.

The remote side is written as another calendar app would: whole iCalendar resources put on the
server, a series as one resource with its overrides (RECURRENCE-ID) and cancelled dates
(EXDATE). Contacts go into an address book of the harness's own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import uuid
import zlib
from collections.abc import Sequence
from html import escape
from urllib.parse import urlsplit

import icalendar
import requests

from studiosync.clock import FakeClock
from studiosync.errors import ProviderError
from studiosync.providers.base import EventChanges, EventStatus, EventTime, Operation
from studiosync.providers.caldav.ical import stamp
from studiosync.providers.caldav.provider import CalDavProvider, connect
from studiosync.providers.caldav.series import SEPARATOR, split_id
from studiosync.testing.contract import CALENDAR_ZONE, RemoteSeries, SeriesShape
from studiosync.testing.dav_servers import DavServer

RENAME = (
    '<?xml version="1.0" encoding="utf-8"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>'
    "<D:displayname>{name}</D:displayname></D:prop></D:set></D:propertyupdate>"
)
SYNC_STATE_PROPFIND = (
    '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:">'
    "<D:prop><D:sync-token/></D:prop></D:propfind>"
)
PROPPATCH = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    "<D:set><D:prop><C:calendar-timezone>{zone}</C:calendar-timezone></D:prop></D:set>"
    "</D:propertyupdate>"
)


_HOUR = (
    EventTime(date_time=dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC)),
    EventTime(date_time=dt.datetime(2020, 1, 1, 10, tzinfo=dt.UTC)),
)


def _when(moment: EventTime) -> dt.datetime | dt.date:
    if moment.date_time is not None:
        return moment.date_time
    assert moment.date is not None
    return moment.date


class DavHarness:
    """The CalDAV provider on a calendar of its own (in ``CALENDAR_ZONE``) on a real server."""

    series_shape = SeriesShape.INSTANCES
    """Listed as its occurrences, as Google lists them; written and versioned as one resource."""

    def __init__(self, server: DavServer) -> None:
        self.server = server
        self.name = f"caldav-{server.kind}"
        self.clock = FakeClock(dt.datetime.now(dt.UTC).replace(microsecond=0))
        label = f"contract-{uuid.uuid4().hex[:10]}"
        self.calendar_id = server.make_calendar(label)
        zone = icalendar.Calendar()
        zone.add_component(icalendar.Timezone.from_tzid(CALENDAR_ZONE))
        self._send(
            "PROPPATCH", self.calendar_id, PROPPATCH.format(zone=escape(zone.to_ical().decode()))
        )
        self.dav: CalDavProvider = connect(
            server.url, server.username, server.password, verify=server.verify, clock=self.clock
        )
        self.dav.addressbook = server.make_addressbook(f"{label}-contacts")
        self.provider = self.dav
        self._lists = 0
        listing = self.dav.changes

        def counted(calendar_id: str, sync_token: str | None) -> EventChanges:
            self._lists += 1
            return listing(calendar_id, sync_token)

        self.dav.changes = counted  # type: ignore[method-assign]

    # -- plumbing ----------------------------------------------------------------------------

    def _send(self, method: str, url: str, body: str = "") -> requests.Response:
        answer = requests.request(
            method,
            url,
            data=body.encode(),
            headers={"Content-Type": "application/xml; charset=utf-8"},
            auth=self.server.auth,
            verify=self.server.verify,
            timeout=10,
        )
        if answer.status_code >= 300 and answer.status_code != 207:
            raise RuntimeError(f"{method} {url}: {answer.status_code} {answer.text[:200]}")
        return answer

    def _url(self, series_id: str) -> str:
        return f"{self.calendar_id}{series_id}.ics"

    def _load(self, series_id: str) -> icalendar.Calendar:
        answer = requests.get(
            self._url(series_id), auth=self.server.auth, verify=self.server.verify, timeout=10
        )
        answer.raise_for_status()
        return icalendar.Calendar.from_ical(answer.text)

    def _save(self, series_id: str, calendar: icalendar.Calendar) -> None:
        self.server.put(self._url(series_id), calendar.to_ical().decode())

    @staticmethod
    def _master(calendar: icalendar.Calendar) -> icalendar.Component:
        return next(c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" not in c)

    def _vevent(
        self, uid: str, summary: str, start: EventTime, end: EventTime, time_zone: str
    ) -> icalendar.Event:
        event = icalendar.Event()
        event.add("UID", uid)
        event.add("DTSTAMP", self.clock.now())
        event.add("SUMMARY", summary)
        for key, moment in (("DTSTART", start), ("DTEND", end)):
            value = _when(moment)
            if isinstance(value, dt.datetime):
                value = value.astimezone(icalendar.Timezone.from_tzid(time_zone).to_tz())
            event.add(key, value)
        return event

    @staticmethod
    def _calendar(*events: icalendar.Event) -> icalendar.Calendar:
        calendar = icalendar.Calendar()
        calendar.add("PRODID", "-//Another calendar app//EN")
        calendar.add("VERSION", "2.0")
        for event in events:
            calendar.add_component(event)
        return calendar

    # -- the remote side -----------------------------------------------------------------------

    def remote_create(
        self,
        summary: str,
        start: EventTime,
        end: EventTime,
        time_zone: str,
        *,
        status: str = EventStatus.CONFIRMED,
    ) -> str:
        uid = uuid.uuid4().hex
        event = self._vevent(uid, summary, start, end, time_zone)
        if status != EventStatus.CONFIRMED:
            event.add("STATUS", str(status).upper())
        self._save(uid, self._calendar(event))
        return uid

    def _occurrence(self, event_id: str) -> tuple[str, icalendar.Calendar, icalendar.Component]:
        """The resource of an id and the VEVENT to change: an occurrence gets its override."""
        series_id, wanted = split_id(event_id)
        calendar = self._load(series_id)
        master = self._master(calendar)
        if wanted is None:
            return series_id, calendar, master
        moment = dt.datetime.strptime(wanted, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        for override in calendar.walk("VEVENT"):
            rid = override.get("RECURRENCE-ID")
            if rid is not None and rid.dt == moment:
                return series_id, calendar, override
        length = master.decoded("DTEND") - master.decoded("DTSTART")
        override = icalendar.Event()
        override.add("UID", str(master["UID"]))
        override.add("DTSTAMP", self.clock.now())
        override.add("RECURRENCE-ID", moment)
        override.add("DTSTART", moment)
        override.add("DTEND", moment + length)
        override.add("SUMMARY", str(master.get("SUMMARY", "")))
        calendar.add_component(override)
        return series_id, calendar, override

    def remote_edit(self, event_id: str, *, summary: str) -> None:
        series_id, calendar, event = self._occurrence(event_id)
        event.pop("SUMMARY", None)
        event.add("SUMMARY", summary)
        self._save(series_id, calendar)

    def remote_delete(self, event_id: str) -> None:
        series_id, wanted = split_id(event_id)
        if wanted is None:
            self.server.delete(self._url(series_id))
            return
        calendar = self._load(series_id)
        moment = dt.datetime.strptime(wanted, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        self._master(calendar).add("EXDATE", moment)
        self._save(series_id, calendar)

    def remote_invite(self, event_id: str, email: str) -> None:
        series_id, calendar, event = self._occurrence(event_id)
        event.add("ATTENDEE", f"mailto:{email}")
        self._save(series_id, calendar)

    def remote_series(
        self, summary: str, first: dt.datetime, duration: dt.timedelta, count: int, time_zone: str
    ) -> RemoteSeries:
        uid = uuid.uuid4().hex
        start, end = EventTime(date_time=first), EventTime(date_time=first + duration)
        master = self._vevent(uid, summary, start, end, time_zone)
        master.add("RRULE", {"FREQ": "DAILY", "COUNT": count})
        self._save(uid, self._calendar(master))
        starts = tuple(first + dt.timedelta(days=day) for day in range(count))
        ids = tuple(f"{uid}{SEPARATOR}{stamp(EventTime(date_time=moment))}" for moment in starts)
        return RemoteSeries(uid, ids, starts, duration)

    def remote_move(self, series: RemoteSeries, index: int, start: dt.datetime) -> None:
        series_id, calendar, event = self._occurrence(series.occurrence_ids[index])
        for key, value in (("DTSTART", start), ("DTEND", start + series.duration)):
            event.pop(key, None)
            event.add(key, value)
        self._save(series_id, calendar)

    def remote_cancel(self, series: RemoteSeries, index: int) -> None:
        self.remote_delete(series.occurrence_ids[index])

    def remote_add_contact(self, name: str, email: str) -> str:
        uid = uuid.uuid4().hex
        self._put_card(uid, name, email)
        return f"dav:{uid}.vcf"  # how the provider names a contact: its resource

    def _put_card(self, uid: str, name: str, email: str | None) -> None:
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}", f"N:{name};;;;"]
        if email:
            lines.append(f"EMAIL;TYPE=INTERNET:{email}")
        text = "\r\n".join([*lines, "END:VCARD", ""])
        self.server.put(f"{self.dav.addressbook}{uid}.vcf", text, content_type="text/vcard")

    def remote_rename_contact(self, resource_name: str, name: str) -> None:
        uid = resource_name.removeprefix("dav:").removesuffix(".vcf")
        answer = requests.get(
            f"{self.dav.addressbook}{uid}.vcf",
            auth=self.server.auth,
            verify=self.server.verify,
            timeout=10,
        )
        answer.raise_for_status()
        email = next(
            (
                line.split(":", 1)[1]
                for line in answer.text.splitlines()
                if line.startswith("EMAIL")
            ),
            None,
        )
        self._put_card(uid, name, email)

    def remote_delete_contact(self, resource_name: str) -> None:
        self.server.delete(f"{self.dav.addressbook}{resource_name.removeprefix('dav:')}")

    # -- the service itself --------------------------------------------------------------------

    def expire_sync_tokens(self) -> None:
        """The collections are renamed (so their ctags move on: a provider that skips the
        report while the ctag holds still asks), then the server forgets its tokens."""
        for collection in (self.calendar_id, self.dav.addressbook or ""):
            renamed = f"renamed {uuid.uuid4().hex[:8]}"
            self._send("PROPPATCH", collection, RENAME.format(name=renamed))
        if self.server.kind == "xandikos":
            self._forget_xandikos_trees()
        else:
            self._forget_radicale_tokens()

    def _forget_xandikos_trees(self) -> None:
        """Xandikos's token names the git tree of the collection's state (its settings, so its
        name, live in that tree too): every tree object but the current one is removed from the
        store, so no token handed out can be answered."""
        for collection in (self.calendar_id, self.dav.addressbook or ""):
            answer = self._send("PROPFIND", collection, SYNC_STATE_PROPFIND)
            current = re.findall(r"[0-9a-f]{40}", answer.text)
            assert current, answer.text
            store = self.server.directory / "data" / urlsplit(collection).path.strip("/")
            for loose in (store / ".git" / "objects").glob("[0-9a-f][0-9a-f]/*"):
                sha = loose.parent.name + loose.name
                if sha != current[-1] and zlib.decompress(loose.read_bytes()).startswith(b"tree "):
                    loose.unlink()

    def _forget_radicale_tokens(self) -> None:
        """Radicale answers a token from the collection's state and the tokens it keeps in its
        cache: a resource made and removed changes the state, and the kept tokens go."""
        for collection, suffix, kind in (
            (self.calendar_id, ".ics", "text/calendar"),
            (self.dav.addressbook or "", ".vcf", "text/vcard"),
        ):
            passing = f"{collection}passing-{uuid.uuid4().hex}{suffix}"
            body = (
                self._calendar(self._vevent("passing", "x", *_HOUR, "UTC")).to_ical().decode()
                if suffix == ".ics"
                else "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:passing\r\nFN:x\r\nN:x;;;;\r\nEND:VCARD\r\n"
            )
            self.server.put(passing, body, content_type=kind)
            self.server.delete(passing)
        root = self.server.directory / "collections" / "collection-root" / self.server.username
        for folder in root.glob("*/.Radicale.cache/sync-token"):
            shutil.rmtree(folder, ignore_errors=True)

    def advance_clock(self, seconds: float) -> None:
        self.clock.tick(seconds)

    def apply_and_crash(self, operations: Sequence[Operation]) -> None:
        with contextlib.suppress(ProviderError):  # done; the answers are dropped
            self.dav.apply(self.calendar_id, operations)

    def use_page_size(self, size: int) -> bool:
        del size
        return False

    def listing_pages(self) -> int:
        return self._lists

    def close(self) -> None:
        return None
