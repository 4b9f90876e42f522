"""Google contacts into studio clients over the real stack: group, matching, no deletes, 400."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from google_world import Desk, Linked, logged
from sqlalchemy import func, select

from studiosync.errors import ErrorCode
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio import clients
from studiosync.studio.models import Client

pytestmark = pytest.mark.shared_sandbox  # one sandbox Google per module

CONNECTIONS = "/v1/people/{personId}/connections"
EIGHT_DAYS = 8 * 24 * 3600


@pytest.fixture(autouse=True)
def contacts_at_every_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests look at what each contacts read brings, not at how often reads happen."""
    monkeypatch.setenv("STUDIOSYNC_GOOGLE_CONTACTS_EVERY_MINUTES", "0")


@pytest.fixture
def maya(desk: Desk) -> Linked:
    with desk.studio.transaction() as session:
        clients.create_group(session, name="From Google")
        clients.create_group(session, name="VIP")
        clients.create_client(
            session, name="Jane Doe", emails=["jane@example.com"], phones=[], groups=["VIP"]
        )
    user = desk.link("maya", two_way=True, import_contacts=True, contacts_group="From Google")
    desk.sync(user)
    return user


class Phone:
    """The contacts app on the user's phone."""

    def __init__(self, google: SandboxHandle, user: Linked) -> None:
        self.people = google.people_service(user.email).people()

    def add(self, name: str, emails: tuple[str, ...] = (), phones: tuple[str, ...] = ()) -> str:
        body: dict[str, Any] = {
            "emailAddresses": [{"value": email} for email in emails],
            "phoneNumbers": [{"value": phone} for phone in phones],
        }
        if name:
            body["names"] = [{"unstructuredName": name}]
        made = self.people.createContact(body=body).execute()
        return str(made["resourceName"])

    def change(self, resource: str, **fields: list[dict[str, str]]) -> None:
        current = self.people.get(resourceName=resource, personFields="metadata").execute()
        self.people.updateContact(
            resourceName=resource,
            updatePersonFields=",".join(fields),
            body={"etag": current["etag"], **fields},
        ).execute()

    def delete(self, resource: str) -> None:
        self.people.deleteContact(resourceName=resource).execute()


def _clients(desk: Desk) -> dict[str, tuple[list[str], list[str], set[str]]]:
    """Every client: name → (emails, phones, groups)."""
    with desk.studio.transaction() as session:
        return {
            client.name: (client.emails, client.phones, {group.name for group in client.groups})
            for client in session.scalars(select(Client))
        }


def test_new_and_changed_contacts_land_in_the_chosen_group_and_none_is_deleted(
    desk: Desk, maya: Linked
) -> None:
    phone = Phone(desk.google, maya)
    ann = phone.add("Ann Lee", ("ann@example.com",), ("+1 555 0101",))
    phone.add("Jane D.", ("JANE@Example.com",))  # the studio knows her by this address
    phone.add("", ())  # nothing to make a client from
    first = desk.sync(maya)
    assert first.ok
    assert (first.counts.contacts_new, first.counts.contacts_updated) == (1, 1)
    assert [e["contact"] for e in logged(first, ErrorCode.SYNC_CONTACT_SKIPPED)] != []
    found = _clients(desk)
    assert found["Ann Lee"] == (["ann@example.com"], ["+1 555 0101"], {"From Google"})
    assert found["Jane D."][0] == ["jane@example.com"]
    assert found["Jane D."][2] == {"VIP", "From Google"}  # kept in her group, added to ours
    phone.change(
        ann,
        emailAddresses=[{"value": "ann.lee@example.com"}],
        phoneNumbers=[{"value": "+1 555 0199"}],
    )
    second = desk.sync(maya)
    assert (second.counts.contacts_new, second.counts.contacts_updated) == (0, 1)
    emails, phones, groups = _clients(desk)["Ann Lee"]  # found by the stored link
    assert "ann.lee@example.com" in emails and "+1 555 0199" in phones
    assert groups == {"From Google"}
    phone.delete(ann)
    third = desk.sync(maya)
    assert third.ok and (third.counts.contacts_new, third.counts.contacts_updated) == (0, 0)
    assert "Ann Lee" in _clients(desk)  # a deleted contact never deletes a client
    desk.google.clear_stats()
    quiet = desk.quiet(maya)
    assert quiet.counts.contacts_new == quiet.counts.contacts_updated == 0
    assert desk.google.stats()["total"] == 2  # one calendar listing, one contacts listing


def test_an_expired_contacts_token_relists_everything_without_duplicates(
    desk: Desk, maya: Linked
) -> None:
    phone = Phone(desk.google, maya)
    for n in range(3):
        phone.add(f"Client {n}", (f"client{n}@example.com",))
    assert desk.sync(maya).counts.contacts_new == 3
    with desk.studio.transaction() as session:
        before = session.scalar(select(func.count()).select_from(Client))
    desk.google.advance_clock(EIGHT_DAYS)  # People sync tokens live 7 days
    phone = Phone(desk.google, maya)
    phone.add("Client 3", ("client3@example.com",))
    desk.google.clear_stats()
    result = desk.sync(maya)
    assert result.ok and result.full_resync
    assert logged(result, ErrorCode.SYNC_FULL_RESYNC) == [{"kind": "contacts"}]
    assert desk.google.count("GET", CONNECTIONS, 400) == 1
    assert (result.counts.contacts_new, result.counts.contacts_updated) == (1, 0)
    with desk.studio.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Client)) == before + 1
    names = sorted(name for name in _clients(desk) if name.startswith("Client"))
    assert names == [f"Client {n}" for n in range(4)]


def test_contacts_are_read_once_an_hour_however_often_the_calendar_syncs(
    desk: Desk, maya: Linked, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIOSYNC_GOOGLE_CONTACTS_EVERY_MINUTES", "60")
    phone = Phone(desk.google, maya)
    desk.sync(maya)  # contacts read now
    phone.add("Ann Lee", ("ann@example.com",))
    desk.google.clear_stats()
    soon = desk.sync(maya)  # a booking or a notification a few seconds later
    assert soon.ok and soon.counts.contacts_new == 0
    assert desk.google.stats()["total"] == 1  # the calendar only

    desk.clock.jump(dt.timedelta(minutes=61))
    later = desk.sync(maya)
    assert later.counts.contacts_new == 1
    assert "Ann Lee" in _clients(desk)
