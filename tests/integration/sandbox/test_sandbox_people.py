"""People v1: contacts CRUD, connections sync with deletions, the expired-token 400."""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from studiosync.sandbox.testing import SandboxHandle

FIELDS = "names,emailAddresses,phoneNumbers,addresses,biographies,metadata"


@pytest.fixture
def people(google: SandboxHandle, ann: str) -> Any:
    return google.people_service(ann)


def create(people: Any, given: str, family: str = "Client", **extra: Any) -> dict[str, Any]:
    body = {
        "names": [{"givenName": given, "familyName": family}],
        "emailAddresses": [{"value": f"{given.lower()}@example.com", "type": "home"}],
        **extra,
    }
    result: dict[str, Any] = people.people().createContact(body=body).execute()
    return result


def sync(
    people: Any, sync_token: str | None = None, page_size: int = 100
) -> tuple[list[dict[str, Any]], str, int]:
    items: list[dict[str, Any]] = []
    page_token = None
    pages = 0
    while True:
        params: dict[str, Any] = {
            "resourceName": "people/me",
            "personFields": FIELDS,
            "pageSize": page_size,
            "requestSyncToken": True,
        }
        if sync_token:
            params["syncToken"] = sync_token
        if page_token:
            params["pageToken"] = page_token
        page = people.people().connections().list(**params).execute()
        pages += 1
        items.extend(page.get("connections", []))
        page_token = page.get("nextPageToken")
        if page_token:
            assert "nextSyncToken" not in page
            continue
        return items, page["nextSyncToken"], pages


def error_of(caught: pytest.ExceptionInfo[HttpError]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(caught.value.content)["error"]
    return body


def test_create_contact_returns_google_person(people: Any) -> None:
    person = create(
        people,
        "Dana",
        phoneNumbers=[{"value": "+44 20 7946 0000", "type": "work"}],
        addresses=[{"streetAddress": "1 High St", "city": "Leeds", "type": "home"}],
        biographies=[{"value": "Prefers mornings"}],
    )
    assert person["resourceName"].startswith("people/c")
    assert person["resourceName"][len("people/c") :].isdigit()
    assert person["etag"]
    name = person["names"][0]
    assert name["displayName"] == "Dana Client"
    assert name["displayNameLastFirst"] == "Client, Dana"
    assert name["metadata"]["primary"] is True
    assert person["emailAddresses"][0]["formattedType"] == "Home"
    assert person["biographies"][0]["contentType"] == "TEXT_PLAIN"
    source = person["metadata"]["sources"][0]
    assert source["type"] == "CONTACT" and source["etag"] and source["updateTime"].endswith("Z")
    fetched = (
        people.people()
        .get(resourceName=person["resourceName"], personFields="names,phoneNumbers")
        .execute()
    )
    assert set(fetched) == {"resourceName", "etag", "names", "phoneNumbers"}


def test_person_fields_are_required_and_checked(people: Any) -> None:
    with pytest.raises(HttpError) as caught:
        people.people().connections().list(resourceName="people/me").execute()
    assert caught.value.resp.status == 400
    error = error_of(caught)
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"].startswith("personFields mask is required")
    with pytest.raises(HttpError) as bad_path:
        people.people().connections().list(
            resourceName="people/me", personFields="names,shoeSize"
        ).execute()
    assert "shoeSize" in error_of(bad_path)["message"]
    with pytest.raises(HttpError) as too_big:
        people.people().connections().list(
            resourceName="people/me", personFields="names", pageSize=1001
        ).execute()
    assert too_big.value.resp.status == 400


def test_sync_pages_then_changes_and_deletions(people: Any) -> None:
    created = [create(people, f"Person{n}") for n in range(5)]
    items, token, pages = sync(people, page_size=2)
    assert pages == 3
    assert {p["resourceName"] for p in items} == {p["resourceName"] for p in created}
    listing = (
        people.people().connections().list(resourceName="people/me", personFields="names").execute()
    )
    assert listing["totalPeople"] == 5 and "nextSyncToken" not in listing
    changed = (
        people.people()
        .updateContact(
            resourceName=created[0]["resourceName"],
            updatePersonFields="names",
            body={"etag": created[0]["etag"], "names": [{"givenName": "Renamed"}]},
        )
        .execute()
    )
    assert changed["names"][0]["displayName"] == "Renamed"
    people.people().deleteContact(resourceName=created[1]["resourceName"]).execute()
    fresh = create(people, "Newcomer")
    changes, token2, _ = sync(people, token)
    by_name = {p["resourceName"]: p for p in changes}
    assert set(by_name) == {
        created[0]["resourceName"],
        created[1]["resourceName"],
        fresh["resourceName"],
    }
    deleted = by_name[created[1]["resourceName"]]
    assert deleted["metadata"]["deleted"] is True
    assert "names" not in deleted
    assert sync(people, token2)[0] == []
    full, _, _ = sync(people)
    assert created[1]["resourceName"] not in {p["resourceName"] for p in full}


def test_expired_sync_token_answers_400_failed_precondition(
    google: SandboxHandle, people: Any
) -> None:
    create(people, "Eve")
    _, token, _ = sync(people)
    google.expire_sync_tokens()
    with pytest.raises(HttpError) as caught:
        sync(people, token)
    assert caught.value.resp.status == 400
    error = error_of(caught)
    assert error["status"] == "FAILED_PRECONDITION"
    assert error["details"][0]["reason"] == "EXPIRED_SYNC_TOKEN"
    assert error["message"] == (
        "Sync token is expired. Clear local cache and retry call without the sync token."
    )
    items, _, _ = sync(people)
    assert len(items) == 1


def test_sync_tokens_expire_seven_days_after_the_full_sync(
    google: SandboxHandle, people: Any
) -> None:
    _, token, _ = sync(people)
    google.advance_clock(6 * 86400)
    _, token2, _ = sync(people, token)
    google.advance_clock(86400 + 1)
    with pytest.raises(HttpError) as caught:
        sync(people, token2)
    assert error_of(caught)["details"][0]["reason"] == "EXPIRED_SYNC_TOKEN"


def test_sync_token_only_when_requested_and_only_with_same_fields(people: Any) -> None:
    page = (
        people.people().connections().list(resourceName="people/me", personFields="names").execute()
    )
    assert "nextSyncToken" not in page
    _, token, _ = sync(people)
    with pytest.raises(HttpError) as caught:
        people.people().connections().list(
            resourceName="people/me", personFields="names", syncToken=token, requestSyncToken=True
        ).execute()
    assert caught.value.resp.status == 400


def test_update_checks_etag_and_mask(people: Any) -> None:
    person = create(people, "Fay")
    with pytest.raises(HttpError) as no_mask:
        people.people().updateContact(
            resourceName=person["resourceName"], body={"etag": person["etag"]}
        ).execute()
    assert error_of(no_mask)["message"].startswith("updatePersonFields mask is required")
    with pytest.raises(HttpError) as no_etag:
        people.people().updateContact(
            resourceName=person["resourceName"],
            updatePersonFields="names",
            body={"names": [{"givenName": "X"}]},
        ).execute()
    assert error_of(no_etag)["status"] == "INVALID_ARGUMENT"
    updated = (
        people.people()
        .updateContact(
            resourceName=person["resourceName"],
            updatePersonFields="emailAddresses",
            personFields="names,emailAddresses",
            body={"etag": person["etag"], "emailAddresses": [{"value": "fay@studio.example"}]},
        )
        .execute()
    )
    assert updated["emailAddresses"][0]["value"] == "fay@studio.example"
    assert updated["names"][0]["givenName"] == "Fay"
    with pytest.raises(HttpError) as stale:
        people.people().updateContact(
            resourceName=person["resourceName"],
            updatePersonFields="names",
            body={"etag": person["etag"], "names": [{"givenName": "Late"}]},
        ).execute()
    assert stale.value.resp.status == 400
    assert error_of(stale)["status"] == "FAILED_PRECONDITION"


def test_deleted_and_unknown_contacts_are_404(people: Any) -> None:
    person = create(people, "Gus")
    people.people().deleteContact(resourceName=person["resourceName"]).execute()
    for call in (
        lambda: people.people().get(resourceName=person["resourceName"], personFields="names"),
        lambda: people.people().deleteContact(resourceName=person["resourceName"]),
        lambda: people.people().get(resourceName="people/c1", personFields="names"),
    ):
        with pytest.raises(HttpError) as caught:
            call().execute()
        assert caught.value.resp.status == 404
        assert error_of(caught)["status"] == "NOT_FOUND"


def test_people_me_is_the_account_profile(google: SandboxHandle, ann: str) -> None:
    people = google.people_service(ann, ["email", "profile"])
    me = (
        people.people().get(resourceName="people/me", personFields="names,emailAddresses").execute()
    )
    assert me["emailAddresses"][0]["value"] == ann
    assert me["names"][0]["displayName"] == "Ann Archer"
