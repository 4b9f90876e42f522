"""Contacts from a CardDAV address book, incrementally, on Radicale and Xandikos."""

from __future__ import annotations

import pytest

from studiosync.errors import SyncTokenExpiredError
from studiosync.providers.caldav.provider import CalDavProvider
from studiosync.testing.dav_servers import DavServer


def _card(uid: str, name: str, email: str, phone: str = "") -> str:
    tel = f"TEL;TYPE=CELL:{phone}\r\n" if phone else ""
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\n"
        f"EMAIL;TYPE=INTERNET:{email}\r\n{tel}END:VCARD\r\n"
    )


def test_contacts_arrive_then_only_changes_and_deletions(
    dav_server: DavServer, provider: CalDavProvider
) -> None:
    book = dav_server.make_addressbook("clients")
    provider.addressbook = book
    dav_server.put(
        book + "ann.vcf", _card("ann", "Ann Lee", "ann@example.com", "+49 30 1234"), "text/vcard"
    )
    dav_server.put(book + "bob.vcf", _card("bob", "Bob Roe", "bob@example.com"), "text/vcard")
    first = provider.contacts(None)
    assert sorted((c.display_name, c.emails, c.phones) for c in first.contacts) == [
        ("Ann Lee", ("ann@example.com",), ("+49 30 1234",)),
        ("Bob Roe", ("bob@example.com",), ()),
    ]
    assert provider.contacts(first.next_sync_token).contacts == []

    dav_server.put(book + "ann.vcf", _card("ann", "Ann Lee-Roe", "ann@example.com"), "text/vcard")
    dav_server.delete(book + "bob.vcf")
    later = provider.contacts(first.next_sync_token)
    by_name = {c.resource_name: c for c in later.contacts}
    assert by_name["dav:ann.vcf"].display_name == "Ann Lee-Roe" and by_name["dav:ann.vcf"].etag
    assert by_name["dav:bob.vcf"].deleted
    with pytest.raises(SyncTokenExpiredError) as expired:
        provider.contacts("sc:unknown-token")
    assert expired.value.params["kind"] == "contacts"
