"""Discovery from a server's address and the calendar picker, on Radicale and Xandikos."""

from __future__ import annotations

import datetime as dt

import pytest

from studiosync.errors import (
    AccessDeniedError,
    AuthError,
    ErrorCode,
    RemoteNotFoundError,
    TransientError,
)
from studiosync.providers.base import EventBody, EventTime, InsertEvent
from studiosync.providers.caldav.provider import CalDavProvider, connect
from studiosync.testing.dav_servers import DavServer
from studiosync.testing.postgres import free_port


def _body() -> EventBody:
    start = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)
    return EventBody(
        "Shoot",
        "",
        "",
        EventTime(date_time=start),
        EventTime(date_time=start + dt.timedelta(hours=1)),
        "UTC",
    )


def test_discovery_finds_the_homes_from_the_bare_address(
    dav_server: DavServer, provider: CalDavProvider
) -> None:
    assert provider.account.calendar_home == dav_server.url + dav_server.calendar_home
    assert provider.account.addressbook_home == dav_server.url + dav_server.addressbook_home


def test_the_picker_offers_event_calendars_and_not_a_task_list(
    dav_server: DavServer, provider: CalDavProvider
) -> None:
    shoots = dav_server.make_calendar("picker-shoots")
    tasks = dav_server.make_calendar("picker-tasks", ["VTODO"])
    both = dav_server.make_calendar("picker-both", ["VEVENT", "VTODO"])
    offered = {info.id: info for info in provider.list_calendars()}
    assert shoots in offered and both in offered
    assert tasks not in offered
    assert offered[shoots].summary == "picker-shoots"
    assert offered[shoots].writable


def test_a_read_only_calendar_is_offered_as_reader_and_refuses_writes(
    dav_server: DavServer, provider: CalDavProvider
) -> None:
    if not dav_server.read_only_supported:
        # Xandikos has no access control: every collection answers the privilege "all".
        assert all(info.access_role == "owner" for info in provider.list_calendars())
        return
    url = dav_server.make_calendar("readonly-archive", read_only=True)
    offered = {info.id: info for info in provider.list_calendars()}
    assert offered[url].access_role == "reader" and not offered[url].writable
    [outcome] = provider.apply(url, [InsertEvent("ro0001", _body())])
    assert isinstance(outcome, AccessDeniedError) and outcome.code is ErrorCode.DAV_READ_ONLY


def test_a_wrong_password_is_the_sign_in_error(dav_server: DavServer) -> None:
    with pytest.raises(AuthError) as refused:
        connect(dav_server.url, dav_server.username, "not-the-password", verify=dav_server.verify)
    assert refused.value.code is ErrorCode.DAV_AUTH_FAILED


def test_a_port_nobody_listens_on_is_unreachable(dav_server: DavServer) -> None:
    scheme = dav_server.url.split(":", 1)[0]
    with pytest.raises(TransientError) as down:
        connect(f"{scheme}://127.0.0.1:{free_port()}", "maya", "pw", verify=dav_server.verify)
    assert down.value.code is ErrorCode.DAV_UNREACHABLE


def test_a_calendar_that_was_deleted_is_gone(
    dav_server: DavServer, provider: CalDavProvider
) -> None:
    url = dav_server.make_calendar("soon-gone")
    dav_server.delete(url)
    with pytest.raises(RemoteNotFoundError) as gone:
        provider.changes(url, None)
    assert gone.value.code is ErrorCode.DAV_CALENDAR_GONE
