"""A CalDAV server named as its users know it."""

from __future__ import annotations

import pytest

from studiosync.accounts.connections import service_at


@pytest.mark.parametrize(
    ("server", "name"),
    [
        ("https://caldav.icloud.com", "iCloud"),
        ("https://p42-caldav.icloud.com:443/123456/calendars/", "iCloud"),
        ("https://caldav.fastmail.com/dav/", "Fastmail"),
        ("https://caldav.fastmail.fm", "Fastmail"),
        ("https://cloud.example.org/remote.php/dav", "Nextcloud"),
        ("https://dav.example.net:5232/", "dav.example.net"),
        ("https://noticloud.com", "noticloud.com"),
    ],
)
def test_a_server_is_named_by_its_service(server: str, name: str) -> None:
    assert service_at(server) == name
