"""--data keeps accounts, calendars, events, contacts, tokens and sync tokens across a restart."""

from __future__ import annotations

from pathlib import Path

import httpx
from sandbox_helpers import ANN, CALENDAR, CONTACTS, timed

from studiosync.sandbox.testing import running_sandbox


def test_state_survives_a_restart_of_the_server_process(tmp_path: Path) -> None:
    data = tmp_path / "google.sqlite"
    with running_sandbox(data=data, in_process=False) as google:
        account = google.create_account(ANN, calendars=[{"summary": "Bookings"}])
        tokens = google.issue_tokens(ANN, [CALENDAR, CONTACTS])
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        with httpx.Client(base_url=google.base_url, headers=headers) as client:
            event = client.post(
                "/calendar/v3/calendars/primary/events",
                json={"id": "keepme00001", "summary": "Kept", **timed(1, 9)},
            )
            assert event.status_code == 200
            gone = client.post("/calendar/v3/calendars/primary/events", json=timed(2, 9)).json()
            client.delete(f"/calendar/v3/calendars/primary/events/{gone['id']}")
            sync_token = client.get("/calendar/v3/calendars/primary/events").json()["nextSyncToken"]
            contact = client.post(
                "/v1/people:createContact", json={"names": [{"givenName": "Kept"}]}
            ).json()
    assert data.exists()
    with running_sandbox(data=data, in_process=False) as google:
        with httpx.Client(base_url=google.base_url, headers=headers) as client:
            kept = client.get("/calendar/v3/calendars/primary/events/keepme00001")
            assert kept.status_code == 200 and kept.json()["etag"] == event.json()["etag"]
            tombstone = client.get(f"/calendar/v3/calendars/primary/events/{gone['id']}")
            assert tombstone.json()["status"] == "cancelled"
            assert (
                client.get(
                    "/calendar/v3/calendars/primary/events", params={"syncToken": sync_token}
                ).json()["items"]
                == []
            )
            listing = client.get("/calendar/v3/users/me/calendarList").json()["items"]
            assert {item["id"] for item in listing} == {c["id"] for c in account["calendars"]}
            person = client.get(f"/v1/{contact['resourceName']}", params={"personFields": "names"})
            assert person.json()["names"][0]["givenName"] == "Kept"
            added = client.post("/calendar/v3/calendars/primary/events", json=timed(3, 9))
            assert added.status_code == 200
            changes = client.get(
                "/calendar/v3/calendars/primary/events", params={"syncToken": sync_token}
            ).json()["items"]
            assert [item["id"] for item in changes] == [added.json()["id"]]
        refreshed = httpx.post(
            google.token_uri,
            data={
                "grant_type": "refresh_token",
                "refresh_token": tokens["refresh_token"],
                "client_id": tokens["client_id"],
                "client_secret": tokens["client_secret"],
            },
        )
        assert refreshed.status_code == 200
        google.reset()
    with running_sandbox(data=data, in_process=False) as google:
        assert google.admin("GET", "/accounts")["accounts"] == []


def test_in_process_sandbox_persists_too(tmp_path: Path) -> None:
    data = tmp_path / "inproc.sqlite"
    with running_sandbox(data=data) as google:
        google.create_account(ANN)
    with running_sandbox(data=data) as google:
        assert [a["email"] for a in google.admin("GET", "/accounts")["accounts"]] == [ANN]
