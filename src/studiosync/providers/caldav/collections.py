"""The account's calendars and address books, read with one Depth-1 PROPFIND of each home."""

from __future__ import annotations

import re
from dataclasses import dataclass

import icalendar

from studiosync.providers.base import CalendarInfo
from studiosync.providers.caldav.http import CALDAV, CS, DAV, DavHttp, Entry, same_url
from studiosync.providers.caldav.ical import zone_named
from studiosync.providers.caldav.sync import NAMESPACES, PROPFIND

LISTING = PROPFIND.format(
    NAMESPACES,
    "<D:resourcetype/><D:displayname/><C:supported-calendar-component-set/>"
    "<D:current-user-privilege-set/><C:calendar-timezone/><C:calendar-timezone-id/>"
    "<D:supported-report-set/>",
)
LISTING_WITH_CTAG = LISTING.replace("<D:displayname/>", "<D:displayname/><CS:getctag/>")
TZID_LINE = re.compile(r"^TZID[^:]*:(.+)$", re.MULTILINE)
WRITE_PRIVILEGES = {"all", "write", "write-content", "bind"}


@dataclass(frozen=True)
class Collection:
    """One calendar or address book of the account."""

    url: str
    name: str
    components: frozenset[str]
    privileges: frozenset[str] | None
    """``None`` when the server did not say (then writing is assumed allowed)."""
    time_zone: str
    sync_collection: bool | None
    """Whether the server lists ``sync-collection`` among its reports (``None``: not said)."""
    ctag: str | None = None
    """The collection's ctag, when asked for (it changes with every change inside)."""

    @property
    def writable(self) -> bool:
        return self.privileges is None or bool(self.privileges & WRITE_PRIVILEGES)

    @property
    def access_role(self) -> str:
        if self.privileges is not None and "all" in self.privileges:
            return "owner"
        return "writer" if self.writable else "reader"

    def info(self) -> CalendarInfo:
        return CalendarInfo(self.url, self.name, self.access_role, False, self.time_zone)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _privileges(entry: Entry) -> frozenset[str] | None:
    found = entry.props.get(f"{DAV}current-user-privilege-set")
    if found is None:
        return None
    return frozenset(
        _local(item.tag) for privilege in found.iter(f"{DAV}privilege") for item in privilege
    )


def _components(entry: Entry) -> frozenset[str]:
    found = entry.props.get(f"{CALDAV}supported-calendar-component-set")
    if found is None:  # RFC 4791 5.2.3: absent means any component may be stored
        return frozenset({"VEVENT", "VTODO", "VJOURNAL"})
    return frozenset(str(comp.get("name", "")).upper() for comp in found.iter(f"{CALDAV}comp"))


def _zone(entry: Entry) -> str:
    """The calendar's zone: its id (RFC 7809) when given, else the TZID of its VTIMEZONE,
    read by line when the text does not parse (a server may hand back damaged folding)."""
    named = (entry.text(f"{CALDAV}calendar-timezone-id") or "").strip()
    if named and zone_named(named) is not None:
        return named
    text = entry.text(f"{CALDAV}calendar-timezone")
    if not text:
        return "UTC"
    try:
        zones = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    except ValueError:
        found = TZID_LINE.search(text)
        return found.group(1).strip() if found else "UTC"
    return str(zones[0].get("TZID")) if zones else "UTC"


def _reports(entry: Entry) -> bool | None:
    found = entry.props.get(f"{DAV}supported-report-set")
    if found is None:
        return None
    return any(_local(report.tag) == "sync-collection" for report in found.iter())


def _kinds(entry: Entry) -> set[str]:
    found = entry.props.get(f"{DAV}resourcetype")
    return {_local(child.tag) for child in found} if found is not None else set()


def list_collections(
    http: DavHttp, home: str, kind: str, *, itself: bool = False, with_ctag: bool = False
) -> list[Collection]:
    """The home's collections of ``kind`` (``calendar`` or ``addressbook``); with ``itself``,
    the collection at ``home`` alone (a Depth-0 PROPFIND), with its ctag when asked."""
    asked = LISTING_WITH_CTAG if with_ctag else LISTING
    entries, _token = http.multistatus("PROPFIND", home, asked, "0" if itself else "1")
    found: list[Collection] = []
    for entry in entries:
        if same_url(entry.href, home) != itself or kind not in _kinds(entry):
            continue
        name = entry.text(f"{DAV}displayname") or entry.href.rstrip("/").rsplit("/", 1)[-1]
        found.append(
            Collection(
                url=entry.href,
                name=name,
                components=_components(entry) if kind == "calendar" else frozenset(),
                privileges=_privileges(entry),
                time_zone=_zone(entry) if kind == "calendar" else "UTC",
                sync_collection=_reports(entry),
                ctag=entry.text(f"{CS}getctag") or None,
            )
        )
    return found
