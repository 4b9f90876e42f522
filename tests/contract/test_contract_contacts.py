"""Provider contract: contacts listed in full, then by sync token, and the token's expiry."""

from __future__ import annotations

import pytest

from studiosync.errors import ErrorCode, SyncTokenExpiredError
from studiosync.providers.base import RemoteContact
from studiosync.testing.contract import CALDAV_HARNESSES, ProviderHarness

DAY = 24 * 3600.0


def named(contacts: list[RemoteContact]) -> dict[str, RemoteContact]:
    names = [contact.resource_name for contact in contacts]
    assert len(names) == len(set(names)), f"a contact is listed twice: {sorted(names)}"
    return {contact.resource_name: contact for contact in contacts}


def test_a_full_contacts_listing_holds_the_live_contacts_and_a_token(
    harness: ProviderHarness,
) -> None:
    jane = harness.remote_add_contact("Jane", "jane@example.com")
    gone = harness.remote_add_contact("Gone", "gone@example.com")
    harness.remote_delete_contact(gone)
    full = harness.provider.contacts(None)
    (contact,) = full.contacts
    assert contact.resource_name == jane and not contact.deleted
    assert (contact.display_name, contact.emails) == ("Jane", ("jane@example.com",))
    assert full.next_sync_token


def test_a_contacts_sync_holds_new_changed_and_deleted_contacts(harness: ProviderHarness) -> None:
    jane = harness.remote_add_contact("Jane", "jane@example.com")
    john = harness.remote_add_contact("John", "john@example.com")
    token = harness.provider.contacts(None).next_sync_token
    harness.remote_rename_contact(jane, "Jane Doe")
    harness.remote_delete_contact(john)
    ann = harness.remote_add_contact("Ann", "ann@example.com")
    later = harness.provider.contacts(token)
    found = named(list(later.contacts))
    assert set(found) == {jane, john, ann}
    assert found[jane].display_name == "Jane Doe" and not found[jane].deleted
    assert found[john].deleted
    assert found[ann].emails == ("ann@example.com",) and not found[ann].deleted
    quiet = harness.provider.contacts(later.next_sync_token)
    assert list(quiet.contacts) == [] and quiet.next_sync_token


def test_an_expired_contacts_token_asks_for_a_full_listing(harness: ProviderHarness) -> None:
    harness.remote_add_contact("Jane", "jane@example.com")
    token = harness.provider.contacts(None).next_sync_token
    harness.expire_sync_tokens()
    with pytest.raises(SyncTokenExpiredError) as refused:
        harness.provider.contacts(token)
    assert refused.value.code == ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED
    full = harness.provider.contacts(None)
    assert [contact.display_name for contact in full.contacts] == ["Jane"]
    assert list(harness.provider.contacts(full.next_sync_token).contacts) == []


@pytest.mark.provider_gap(
    CALDAV_HARNESSES,
    "CardDAV sync tokens do not expire with time (the People API's do after 7 days)",
)
def test_contacts_tokens_expire_seven_days_after_the_full_listing(
    harness: ProviderHarness,
) -> None:
    """People: "Sync tokens expire 7 days after the full sync", however often they are used."""
    harness.remote_add_contact("Jane", "jane@example.com")
    token = harness.provider.contacts(None).next_sync_token
    harness.advance_clock(4 * DAY)
    token = harness.provider.contacts(token).next_sync_token
    harness.advance_clock(4 * DAY)
    with pytest.raises(SyncTokenExpiredError):
        harness.provider.contacts(token)
    fresh = harness.provider.contacts(None).next_sync_token
    harness.advance_clock(6 * DAY)
    assert list(harness.provider.contacts(fresh).contacts) == []
