"""The guided Google Sync set-up: the article's checklist ticked by the doctor, fixed in place."""

from __future__ import annotations

import re

import pytest
from test_web_google_account import MAYA, authenticate, maya_google  # noqa: F401
from web_helpers import Browser, Seed, consent_answer, page_text

from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio.models import Appointment

pytestmark = pytest.mark.usefixtures("google")  # the studio's Google is the sandbox

NEW_STAFF = "ines@sandbox.example"


def steps(page: str) -> dict[str, bool]:
    return {
        key: done == "yes"
        for key, done in re.findall(r'data-step="([a-z_]+)" data-done="(yes|no)"', page)
    }


def test_a_user_walks_the_checklist_to_a_test_appointment_in_google(
    maya: Browser, google: SandboxHandle, studio: Studio, seed: Seed
) -> None:
    page = maya.get("/preferences/google-setup").text
    ticked = steps(page)
    assert list(ticked) == [
        "user", "enabled", "authenticated", "calendar", "populate", "options", "warnings",
        "email", "job",
    ]  # fmt: skip
    assert ticked["user"] and not ticked["enabled"] and not ticked["authenticated"]
    assert 'disabled aria-describedby="trial-needs"' in page

    assert 'value="maya@example.com" required' in page  # the user's own address, offered
    enable = {"fields": "enabled,email_warnings,warnings_email", "enabled": "on",
              "email_warnings": "on", "warnings_email": ""}  # fmt: skip
    refused = maya.post("/preferences/google-setup/maya/options", enable)
    assert "no address is set for warnings and errors" in page_text(
        maya.get(refused.headers["location"]).text
    )
    enable["warnings_email"] = "maya@example.com"
    assert maya.post("/preferences/google-setup/maya/options", enable).status_code == 303
    # Authenticate from the set-up: a new sandbox account is created on the consent page.
    consent = authenticate_from_setup(maya)
    google.create_account(NEW_STAFF, "pw-ines")
    back = maya.get(consent_answer(consent, NEW_STAFF, "pw-ines"))
    assert back.headers["location"] == "/preferences/google-setup#step-calendar"
    page = maya.get("/preferences/google-setup").text
    assert steps(page)["enabled"] and steps(page)["authenticated"]
    chosen = maya.post(
        "/preferences/google/maya/calendar",
        {"calendar": NEW_STAFF, "next": "/preferences/google-setup#step-populate"},
    )
    assert chosen.headers["location"] == "/preferences/google-setup#step-populate"
    page = maya.get("/preferences/google-setup").text
    assert steps(page)["calendar"]

    sent = maya.post("/preferences/google-setup/maya/test-appointment")
    assert sent.headers["location"] == "/preferences/google-setup#trial"
    page = maya.get("/preferences/google-setup").text
    result = page_text(re.search(r'id="trial-result">(.*?)</p>', page, re.S).group(1))  # type: ignore[union-attr]
    assert result.startswith("Arrived in Google: “Test appointment from the studio")
    events = google.calendar_service(NEW_STAFF).events().list(calendarId=NEW_STAFF).execute()
    assert [e["summary"] for e in events["items"]] == [
        "Test appointment from the studio (15-minute hold)"
    ]
    with studio.transaction() as session:
        hold = session.query(Appointment).one()
        assert (hold.end_at - hold.start_at).total_seconds() == 15 * 60


def authenticate_from_setup(person: Browser) -> str:
    answer = person.post(
        "/preferences/google/maya/authenticate", {"next": "/preferences/google-setup#step-calendar"}
    )
    assert answer.status_code == 303
    return answer.headers["location"]


def test_an_admin_sees_the_set_up_of_every_user_and_the_studio_overview(
    admin: Browser, maya: Browser, seed: Seed
) -> None:
    page = admin.get("/preferences/google-setup/maya")
    assert page.status_code == 200
    assert "Maya Lindqvist's Google Sync set-up" in page_text(page.text)
    assert maya.get("/preferences/google-setup/theo").status_code == 403
    overview = admin.get("/control-center").text
    rows = re.findall(r'<tr data-user="([a-z]+)">', overview)
    assert rows == ["ada", "maya", "theo"]
    assert "Google Sync off" in page_text(overview)


def test_remove_my_google_account_is_confirmed_first(
    maya: Browser,
    maya_google: SandboxHandle,  # noqa: F811
    studio: Studio,
    seed: Seed,
) -> None:
    maya.get(consent_answer(authenticate(maya, "maya"), MAYA, "maya-google-pw"))
    tab = maya.get("/preferences/google").text
    assert 'href="/preferences/google/maya/remove-account"' in tab
    ask = page_text(maya.get("/preferences/google/maya/remove-account").text)
    assert "Remove My Google Account?" in ask
    assert "Events already in Google stay there" in ask
    assert "Cancel, keep it" in ask
    done = maya.post("/preferences/google/maya/remove-account")
    assert done.status_code == 303
    assert "No Google account linked" in page_text(maya.get("/preferences/google").text)


def test_the_job_step_is_fixed_in_place_and_the_admin_comes_back_to_the_set_up(
    admin: Browser, maya: Browser, seed: Seed
) -> None:
    setup = "/preferences/google-setup/maya"
    admin.post("/control-center/jobs/google-sync/computer", {"computer": "any"})
    page = admin.get(setup).text
    assert not steps(page)["job"]
    form = re.search(
        r'<form method="post" action="([^"]+)">(?:(?!</form>).)*Enable the job', page, re.S
    )
    assert form, "the job step offers its own button"
    enabled = admin.post(form.group(1), {"back": setup})
    assert enabled.status_code == 303 and enabled.headers["location"] == setup
    after = admin.get(setup).text  # enabled; the step still waits for a processor to check in
    assert "Enable the job" not in after and "The job is disabled" not in page_text(after)
    elsewhere = admin.post(form.group(1), {"back": "https://evil.example/"})
    assert elsewhere.headers["location"] == "/control-center/jobs"  # never off the site
    assert "Enable the job" not in maya.get("/preferences/google-setup").text  # admins only
