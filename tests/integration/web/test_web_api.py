"""The JSON API: tokens, worded JSON errors, the same operations and rules as the pages."""

from __future__ import annotations

from typing import get_args

from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_helpers import MAYA_PASSWORD, Api, Seed

from studiosync.context import Studio
from studiosync.notify.testing import running_smtp_server, unused_port
from studiosync.studio.company import email_settings
from studiosync.studio.google_options import DetailedLogs
from studiosync.studio.people import update_user
from studiosync.web.api.schemas import DetailedLogsChoice

SECRET = "Sm7p-S3cret-Value"


def error_of(answer: object) -> dict[str, object]:
    body = answer.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "title", "message", "fix", "field"}
    detail: dict[str, object] = body["error"]
    return detail


def test_a_token_for_a_login_and_password(api_client: TestClient) -> None:
    answer = api_client.post("/api/token", json={"login": "maya", "password": MAYA_PASSWORD})
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    me = Api(api_client, body["access_token"]).call("GET", "/api/me")
    assert me.status_code == 200 and me.json()["login"] == "maya"
    refused = api_client.post("/api/token", json={"login": "maya", "password": "nope"})
    assert refused.status_code == 401
    assert error_of(refused)["code"] == "access.login_failed"


def test_calls_without_a_valid_token_are_refused_in_words(api_client: TestClient) -> None:
    bare = api_client.get("/api/appointments")
    assert bare.status_code == 401
    assert bare.headers["www-authenticate"] == "Bearer"
    assert "POST /api/token" in str(error_of(bare)["fix"])
    forged = Api(api_client, "not.a.token").call("GET", "/api/me")
    assert forged.status_code == 401
    assert error_of(forged)["code"] == "access.token_invalid"


def test_changing_the_password_or_deactivating_revokes_tokens(
    api_client: TestClient, studio: Studio, seed: Seed
) -> None:
    maya = Api.logged_in(api_client, "maya", MAYA_PASSWORD)
    with studio.transaction() as session:
        update_user(session, seed.maya_id, password="another-pass-2")
    answer = maya.call("GET", "/api/me")
    assert answer.status_code == 401
    assert "the password was changed since" in str(error_of(answer)["message"])
    theo = Api.logged_in(api_client, "theo", "theo-pass-1")
    with studio.transaction() as session:
        update_user(session, seed.theo_id, active=False)
    assert theo.call("GET", "/api/me").status_code == 401


def test_tokens_expire(app: FastAPI, maya_api: Api) -> None:
    assert maya_api.call("GET", "/api/me").status_code == 200
    app.state.web.tokens.lifetime_seconds = -1  # every token is now older than allowed
    answer = maya_api.call("GET", "/api/me")
    assert answer.status_code == 401
    assert "expired" in str(error_of(answer)["message"])


def test_administrator_areas_are_refused_to_other_users(maya_api: Api, seed: Seed) -> None:
    for url in ("/api/users", "/api/resources", "/api/clients", "/api/groups", "/api/company"):
        answer = maya_api.call("GET", url)
        assert answer.status_code == 403, url
        assert error_of(answer)["code"] == "access.admin_only"
    other = maya_api.call("GET", f"/api/users/{seed.theo_id}/google")
    assert other.status_code == 403
    assert error_of(other)["code"] == "access.not_your_account"
    assert maya_api.call("PATCH", f"/api/users/{seed.theo_id}/google", {}).status_code == 403
    assert maya_api.call("GET", f"/api/users/{seed.maya_id}/google").status_code == 200


def test_users_resources_clients_and_groups(admin_api: Api, seed: Seed) -> None:
    made = admin_api.call("POST", "/api/users", {"login": "ines", "role": "assistant"})
    assert made.status_code == 201 and made.json()["role"] == "assistant"
    assert "password" not in made.json()
    taken = admin_api.call("POST", "/api/users", {"login": "MAYA"})
    assert taken.status_code == 409 and error_of(taken)["field"] == "login"
    changed = admin_api.call("PATCH", f"/api/users/{made.json()['id']}", {"active": False})
    assert changed.json()["active"] is False
    lockout = admin_api.call("PATCH", f"/api/users/{seed.admin_id}", {"role": "staff"})
    assert lockout.status_code == 422 and error_of(lockout)["code"] == "input.self_lockout"

    room = admin_api.call("POST", "/api/resources", {"name": "Studio B", "kind": "room"})
    assert room.status_code == 201
    assert admin_api.call("DELETE", f"/api/resources/{room.json()['id']}").status_code == 204
    group = admin_api.call("POST", "/api/groups", {"name": "Google contacts"}).json()
    client = admin_api.call(
        "POST",
        "/api/clients",
        {"name": "Sam Rivers", "emails": ["sam@example.com"], "groups": [group["id"]]},
    )
    assert client.status_code == 201 and client.json()["groups"] == [group["id"]]
    bad_email = admin_api.call("POST", "/api/clients", {"name": "X", "emails": ["nope"]})
    assert bad_email.status_code == 422 and error_of(bad_email)["field"] == "email"
    found = admin_api.call("GET", "/api/clients", params={"search": "rivers"}).json()
    assert [c["name"] for c in found] == ["Sam Rivers"]
    groups = {g["name"]: g["clients"] for g in admin_api.call("GET", "/api/groups").json()}
    assert groups == {"Google contacts": 1, "Weddings": 1}
    missing = admin_api.call("GET", "/api/clients/424242")
    assert missing.status_code == 404 and error_of(missing)["code"] == "input.not_found"


def test_appointments_book_change_cancel_delete(maya_api: Api, seed: Seed) -> None:
    booked = maya_api.call(
        "POST",
        "/api/appointments",
        {
            "title": "Headshots",
            "start": "2026-05-06T14:30:00",  # no offset: studio time (London, UTC+1)
            "end": "2026-05-06T15:15:00",
            "client_id": seed.client_id,
            "users": [{"user_id": seed.maya_id, "role": "photographer"}],
            "resources": [seed.room_id],
        },
    )
    assert booked.status_code == 201, booked.text
    appointment = booked.json()
    assert appointment["start"] == "2026-05-06T13:30:00Z" and appointment["origin"] == "studio"
    url = f"/api/appointments/{appointment['id']}"
    moved = maya_api.call(
        "PATCH", url, {"start": "2026-05-06T16:00:00+01:00", "end": "2026-05-06T17:00:00+01:00"}
    )
    assert moved.status_code == 200 and moved.json()["start"] == "2026-05-06T15:00:00Z"
    stale = maya_api.call("PATCH", url, {"title": "Old", "version": appointment["version"]})
    assert stale.status_code == 409 and error_of(stale)["code"] == "input.appointment_changed"
    backwards = maya_api.call("PATCH", url, {"end": "2026-05-06T10:00:00Z"})
    assert backwards.status_code == 422 and error_of(backwards)["field"] == "end"
    listed = maya_api.call(
        "GET", "/api/appointments", params={"from": "2026-05-06T00:00:00Z", "user": seed.maya_id}
    ).json()
    assert [a["id"] for a in listed] == [appointment["id"]]
    cancelled = maya_api.call("POST", f"{url}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert maya_api.call("DELETE", url).status_code == 204
    assert maya_api.call("GET", url).status_code == 404


def test_a_body_that_does_not_fit_is_worded(maya_api: Api) -> None:
    answer = maya_api.call("POST", "/api/appointments", {"title": 5, "start": "soon"})
    assert answer.status_code == 422
    assert error_of(answer)["code"] == "input.invalid_value"
    assert maya_api.call("POST", "/api/appointments", {"title": "x\u0000y"}).status_code == 422


def test_google_options_follow_the_tab_rules(maya_api: Api, seed: Seed) -> None:
    refused = maya_api.call("PATCH", "/api/google", {"enabled": True})
    assert refused.status_code == 422
    assert error_of(refused)["code"] == "input.warnings_address_required"
    assert error_of(refused)["field"] == "warnings_email"
    no_group = maya_api.call("PATCH", "/api/google", {"import_contacts": True})
    assert error_of(no_group)["field"] == "contacts_group"
    saved = maya_api.call(
        "PATCH",
        "/api/google",
        {"enabled": True, "warnings_email": "maya@example.com", "two_way": True},
    )
    assert saved.status_code == 200
    body = saved.json()
    assert body["enabled"] and body["two_way"] and body["google_account"] is None


def test_how_often_detailed_logs_are_emailed_is_chosen_through_the_api(maya_api: Api) -> None:
    assert maya_api.call("GET", "/api/google").json()["detailed_logs"] == "off"
    each = maya_api.call("PATCH", "/api/google", {"detailed_logs": "each-round"})
    assert each.status_code == 200, each.text
    assert each.json()["detailed_logs"] == "each-round" and each.json()["email_detailed_logs"]
    daily = maya_api.call("PATCH", "/api/google", {"detailed_logs": "daily"}).json()
    assert daily["detailed_logs"] == "daily"
    odd = maya_api.call("PATCH", "/api/google", {"detailed_logs": "hourly"})
    assert odd.status_code == 422 and "daily" in odd.text and "each-round" in odd.text
    assert maya_api.call("GET", "/api/google").json()["detailed_logs"] == "daily"  # unchanged
    off = maya_api.call("PATCH", "/api/google", {"detailed_logs": "off"}).json()
    assert off["detailed_logs"] == "off" and not off["email_detailed_logs"]
    assert set(get_args(DetailedLogsChoice)) == {choice.value for choice in DetailedLogs}


def test_the_smtp_password_is_accepted_but_never_returned(admin_api: Api, studio: Studio) -> None:
    answer = admin_api.call(
        "PATCH",
        "/api/company/email",
        {"host": "smtp.example.com", "username": "studio", "password": SECRET},
    )
    assert answer.status_code == 200 and answer.json()["password_set"] is True
    assert SECRET not in answer.text
    assert SECRET not in admin_api.call("GET", "/api/company/email").text
    with studio.transaction() as session:
        assert email_settings(session, studio.box).password == SECRET
    cleared = admin_api.call("PATCH", "/api/company/email", {"password": None})
    assert cleared.json()["password_set"] is False


def test_the_test_email_through_the_api(admin_api: Api) -> None:
    with running_smtp_server() as server:
        admin_api.call(
            "PATCH",
            "/api/company/email",
            {
                "host": server.host, "port": server.port, "security": "none",
                "from_address": "studio@example.com",
            },
        )  # fmt: skip
        sent = admin_api.call("POST", "/api/company/email/test", {"to": "ada@example.com"})
        assert sent.status_code == 200 and sent.json()["sent_to"] == "ada@example.com"
        assert server.wait_for_messages(1)[0].recipients == ("ada@example.com",)
    admin_api.call("PATCH", "/api/company/email", {"port": unused_port()})
    failed = admin_api.call("POST", "/api/company/email/test", {"to": "ada@example.com"})
    assert failed.status_code == 502
    assert error_of(failed)["code"] == "email.smtp_refused"
