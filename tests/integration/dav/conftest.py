"""Real CalDAV/CardDAV servers for the provider tests: Radicale and Xandikos, once per session."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from studiosync.providers.caldav.provider import CalDavProvider, connect
from studiosync.testing.dav_servers import DavServer, running_dav_server

_names = itertools.count(1)


@pytest.fixture(scope="session", params=["radicale", "xandikos"])
def dav_server(request: pytest.FixtureRequest) -> Iterator[DavServer]:
    """One server of each kind for the whole run, with one account and a password."""
    with running_dav_server(request.param) as server:
        yield server


@pytest.fixture
def calendar_url(dav_server: DavServer) -> str:
    """A fresh VEVENT calendar of the account, for one test."""
    return dav_server.make_calendar(f"shoots-{next(_names)}")


@pytest.fixture
def provider(dav_server: DavServer) -> CalDavProvider:
    """The account, discovered from the server's bare address."""
    return connect(
        dav_server.url, dav_server.username, dav_server.password, verify=dav_server.verify
    )
