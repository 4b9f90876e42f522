"""Incremental listings by sync-collection and by the ctag + etag fallback, on both servers."""

from __future__ import annotations

import pytest
from dav_helpers import applied, body, vevent_calendar

from studiosync.errors import ErrorCode, SyncTokenExpiredError
from studiosync.providers.base import DeleteEvent, InsertEvent, UpdateEvent
from studiosync.providers.caldav.provider import CalDavProvider, connect
from studiosync.testing.dav_servers import DavServer

OTHER = """
BEGIN:VEVENT
UID:phone-made-1
DTSTAMP:20260801T080000Z
DTSTART:20260902T080000Z
DTEND:20260902T090000Z
SUMMARY:Made on a phone
END:VEVENT
"""


def _fallback(server: DavServer) -> CalDavProvider:
    return connect(
        server.url, server.username, server.password, verify=server.verify, sync_collection=False
    )


def _story(server: DavServer, provider: CalDavProvider, url: str) -> list[list[tuple[str, str]]]:
    """Three rounds of changes (ours and another client's); what each listing reported."""
    rounds: list[list[tuple[str, str]]] = []
    first = provider.changes(url, None)
    rounds.append(sorted((e.id, e.status) for e in first.events))
    one = applied(provider.apply(url, [InsertEvent("evt10001", body("One"))])[0])
    applied(provider.apply(url, [InsertEvent("evt10002", body("Two"))])[0])
    server.put(url + "phone-made-1.ics", vevent_calendar(OTHER))
    second = provider.changes(url, first.next_sync_token)
    rounds.append(sorted((e.id, e.status) for e in second.events))
    provider.apply(url, [UpdateEvent("evt10001", body("One, later"), one.etag)])
    provider.apply(url, [DeleteEvent("evt10002")])
    server.delete(url + "phone-made-1.ics")
    third = provider.changes(url, second.next_sync_token)
    rounds.append(sorted((e.id, e.status) for e in third.events))
    fourth = provider.changes(url, third.next_sync_token)
    rounds.append(sorted((e.id, e.status) for e in fourth.events))
    assert fourth.next_sync_token
    return rounds


EXPECTED = [
    [],
    [("evt10001", "confirmed"), ("evt10002", "confirmed"), ("phone-made-1", "confirmed")],
    [("evt10001", "confirmed"), ("evt10002", "cancelled"), ("phone-made-1", "cancelled")],
    [],
]


def test_sync_collection_reports_changes_and_deletions_once(
    dav_server: DavServer, provider: CalDavProvider, calendar_url: str
) -> None:
    assert _story(dav_server, provider, calendar_url) == EXPECTED
    assert not provider.uses_fallback(calendar_url)


def test_the_etag_fallback_reports_the_same_as_sync_collection(
    dav_server: DavServer, calendar_url: str
) -> None:
    fallback = _fallback(dav_server)
    assert _story(dav_server, fallback, calendar_url) == EXPECTED
    assert fallback.uses_fallback(calendar_url)


def _connect(server: DavServer) -> CalDavProvider:
    return connect(server.url, server.username, server.password, verify=server.verify)


def test_a_quiet_calendar_costs_one_request(
    dav_server: DavServer, provider: CalDavProvider, calendar_url: str
) -> None:
    """Each run connects afresh (as the processor's do): one PROPFIND, whose ctag has not moved."""
    provider.apply(calendar_url, [InsertEvent("evt10003", body())])
    for connected in (_connect, _fallback):
        token = connected(dav_server).changes(calendar_url, None).next_sync_token
        for _run in range(2):
            listing = connected(dav_server)
            before = listing.http.requests
            quiet = listing.changes(calendar_url, token)
            assert quiet.events == []
            assert listing.http.requests - before == 1
            token = quiet.next_sync_token


def test_a_change_after_a_quiet_run_is_still_reported(
    dav_server: DavServer, provider: CalDavProvider, calendar_url: str
) -> None:
    token = provider.changes(calendar_url, None).next_sync_token
    token = _connect(dav_server).changes(calendar_url, token).next_sync_token
    dav_server.put(calendar_url + "phone-made-1.ics", vevent_calendar(OTHER))
    later = _connect(dav_server).changes(calendar_url, token)
    assert [event.summary for event in later.events] == ["Made on a phone"]
    assert _connect(dav_server).changes(calendar_url, later.next_sync_token).events == []


@pytest.mark.parametrize(
    "token", ["sc:not-a-token-this-server-gave", "sk:!!broken", "et:!!broken", "zz:what"]
)
def test_a_token_the_server_does_not_know_asks_for_a_full_resync(
    provider: CalDavProvider, calendar_url: str, token: str
) -> None:
    with pytest.raises(SyncTokenExpiredError) as expired:
        provider.changes(calendar_url, token)
    assert expired.value.code is ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED


def test_a_sync_collection_token_given_to_the_fallback_asks_for_a_full_resync(
    dav_server: DavServer, provider: CalDavProvider, calendar_url: str
) -> None:
    token = provider.changes(calendar_url, None).next_sync_token
    with pytest.raises(SyncTokenExpiredError):
        _fallback(dav_server).changes(calendar_url, token)
