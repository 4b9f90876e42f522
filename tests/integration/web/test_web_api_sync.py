"""The JSON API for the Google account, the Control Center and the troubleshooter."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from web_helpers import Api, Browser, Seed, consent_answer

from studiosync.context import Studio
from studiosync.control.processor import Processor
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio.google_options import set_google_settings
from studiosync.syncstate.runner import sync_user

pytestmark = pytest.mark.usefixtures("google")  # the studio's Google is the sandbox

MAYA = "maya@sandbox.example"


def test_linking_started_by_the_api_is_finished_in_the_browser(
    maya_api: Api, maya: Browser, google: SandboxHandle, seed: Seed
) -> None:
    google.create_account(
        MAYA, "pw", calendars=[{"summary": "Team", "accessRole": "reader", "id": "team"}]
    )
    before = maya_api.call("GET", "/api/google/account").json()
    assert before["status"] == "not_linked" and before["google_email"] is None
    empty = maya_api.call("GET", "/api/google/calendars")
    assert empty.status_code == 200
    assert empty.json() == {"google_email": None, "calendar_id": None, "calendars": []}

    start = maya_api.call("POST", "/api/google/link").json()
    assert start["redirect_uri"] == "http://testserver/preferences/google-callback"
    query = parse_qs(urlsplit(start["url"]).query)
    assert query["state"] == [start["state"]] and query["code_challenge_method"] == ["S256"]
    assert maya.get(consent_answer(start["url"], MAYA, "pw")).status_code == 303
    assert maya_api.call("GET", "/api/google/account").json()["status"] == "linked"

    listed = maya_api.call("GET", "/api/google/calendars").json()
    by_id = {c["id"]: c for c in listed["calendars"]}
    assert by_id[MAYA]["writable"] and by_id[MAYA]["primary"]
    assert not by_id["team"]["writable"]
    refused = maya_api.call("PUT", "/api/google/calendar", {"calendar": "team"})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "google.calendar_read_only"
    assert refused.json()["error"]["field"] == "calendar"
    chosen = maya_api.call("PUT", "/api/google/calendar", {"calendar": MAYA}).json()
    assert chosen["calendar_id"] == MAYA
    assert [c["id"] for c in chosen["calendars"] if c["selected"]] == [MAYA]

    removed = maya_api.call("DELETE", "/api/google/account")
    assert removed.json() == {"removed": MAYA}
    again = maya_api.call("DELETE", "/api/google/account")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "google.not_linked"
    assert maya_api.call("GET", f"/api/users/{seed.theo_id}/google/account").status_code == 403


def test_jobs_runs_and_logs(admin_api: Api, maya_api: Api, studio: Studio, seed: Seed) -> None:
    jobs = admin_api.call("GET", "/api/control/jobs").json()
    assert [(j["key"], j["enabled"], j["schedule_words"]) for j in jobs] == [
        ("google-sync", False, "Every 5 minutes")
    ]
    bad = admin_api.call("PATCH", "/api/control/jobs/google-sync", {"schedule": "61 * * * *"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "control.schedule_invalid"
    assert bad.json()["error"]["field"] == "schedule"
    processor = Processor(studio=studio, syncer=sync_user, computer="front-desk")
    processor.heartbeat(force=True)
    changed = admin_api.call(
        "PATCH",
        "/api/control/jobs/google-sync",
        {"computer": "front-desk", "schedule": "every 10 minutes", "enabled": True},
    ).json()
    assert changed["enabled"] and changed["computer"] == "front-desk" and changed["due"]
    assert admin_api.call("GET", "/api/control/computers").json()[0]["online"] is True
    assert admin_api.call("POST", "/api/control/jobs/google-sync/run-now").json()["job"]["due"]
    assert maya_api.call("GET", "/api/control/jobs").status_code == 403

    with studio.transaction() as session:
        for login in ("maya", "theo"):
            set_google_settings(session, login, enabled=True, warnings_email=f"{login}@x.org")
    outcome = processor.tick()
    assert outcome is not None
    rounds = admin_api.call("GET", "/api/control/runs").json()
    assert rounds[0]["id"] == outcome.run_id and rounds[0]["users_skipped"] == 2
    assert maya_api.call("GET", "/api/control/runs").status_code == 403
    part = maya_api.call("GET", f"/api/control/runs/{outcome.run_id}").json()
    assert [u["login"] for u in part["users"]] == ["maya"]
    lines = maya_api.call("GET", "/api/control/logs", params={"level": "warning"}).json()
    assert lines and {line["user"] for line in lines} == {"maya"}
    assert lines[0]["code"] == "google.not_linked"
    assert "Authenticate My Google Account" in lines[0]["fix"]
    for url in ("/api/control/logs", "/api/control/user-runs", "/api/control/conflicts"):
        other = maya_api.call("GET", url, params={"user_id": seed.theo_id})
        assert other.status_code == 403, url
        assert other.json()["error"]["code"] == "access.others_sync_history"
    every = admin_api.call("GET", "/api/control/logs", params={"level": "warning"}).json()
    assert {line["user"] for line in every} == {"maya", "theo"}
    mine = maya_api.call("GET", "/api/control/user-runs").json()
    assert [(r["login"], r["status"], r["reason"]) for r in mine] == [
        ("maya", "skipped", "google.not_linked")
    ]


def test_doctor_findings(maya_api: Api, admin_api: Api, seed: Seed) -> None:
    mine = maya_api.call("GET", "/api/doctor").json()
    assert mine["user"] == "maya" and mine["studio"] == []
    [off] = mine["checks"]  # Google Sync is off: said once, nothing that presumes it
    assert off["check"] == "enabled" and off["verdict"] == "info"
    assert off["screen"] == "/preferences/google/maya"
    assert "Authenticate My Google Account" in off["fix"]
    theirs = admin_api.call("GET", f"/api/users/{seed.maya_id}/doctor").json()
    assert {c["check"] for c in theirs["studio"]} >= {"email", "job_enabled", "job_computer"}
    assert maya_api.call("GET", f"/api/users/{seed.theo_id}/doctor").status_code == 403


def test_sync_now_through_the_api(
    maya_api: Api, maya: Browser, google: SandboxHandle, studio: Studio, seed: Seed
) -> None:
    from studiosync.clock import SystemClock
    from studiosync.control import jobs
    from studiosync.control.requests import waiting

    url = f"/api/users/{seed.maya_id}/google/sync-now"
    refused = maya_api.call("POST", url)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] in ("control.sync_disabled", "google.not_linked")
    assert maya_api.call("POST", f"/api/users/{seed.theo_id}/google/sync-now").status_code == 403

    google.create_account(MAYA, "pw")
    start = maya_api.call("POST", "/api/google/link").json()
    assert maya.get(consent_answer(start["url"], MAYA, "pw")).status_code == 303
    maya_api.call("PUT", "/api/google/calendar", {"calendar": MAYA})
    with studio.transaction() as session:
        set_google_settings(session, "maya", enabled=True, warnings_email="maya@studio.example")
        jobs.set_computer(session, "any")
        jobs.enable(session, SystemClock().now())

    asked = maya_api.call("POST", url)
    assert asked.status_code == 202
    assert asked.json() == {"requested": True, "computer": None}
    with studio.transaction() as session:
        assert seed.maya_id in waiting(session)
