"""The troubleshooter page: the article's checks with ✔/✖/⚠/ℹ, cause, fix, and the screen."""

from __future__ import annotations

import re

import pytest
from web_helpers import Browser, Seed, page_text

from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio.google_options import google_settings, set_google_settings

pytestmark = pytest.mark.usefixtures("google")  # the studio's Google is the sandbox

MAYA = "maya@sandbox.example"


def finding(page: str, check: str) -> str:
    found = re.search(rf'<li class="finding[^"]*" data-check="{check}"(.*?)</li>', page, re.S)
    assert found, f"the {check!r} check is shown"
    return found.group(0)


def verdict(page: str, check: str) -> str:
    found = re.search(r'data-verdict="(\w+)"', finding(page, check))
    assert found
    return found.group(1)


def findings(page: str) -> list[str]:
    return re.findall(r'<li class="finding[^"]*" data-check="(\w+)"', page)


def test_a_new_user_with_sync_off_is_told_that_and_nothing_else(maya: Browser) -> None:
    page = maya.get("/troubleshooter").text
    assert findings(page) == ["enabled"]
    off = finding(page, "enabled")
    assert verdict(page, "enabled") == "info" and "✖" not in page
    words = page_text(off)
    assert "Google Sync is off" in words and "not checked for maya" in words
    assert "Authenticate My Google Account" in words and "Enable Google Sync" in words
    assert (
        '<a href="/preferences/google/maya">Maintenance &gt; Preferences &gt; User Preferences '
        "&gt; Google tab</a>" in off
    )
    assert "studiosync " not in page and "--" not in page_text(page)
    assert page_text(page).count("nothing else to check") == 1  # said once, not twice
    assert words.count("Google Sync is off") == 1
    assert maya.get("/troubleshooter?user=theo").status_code == 403


def test_the_admins_default_page_shows_exactly_one_finding(admin: Browser) -> None:
    page = admin.get("/troubleshooter").text
    assert findings(page) == ["enabled"]
    assert "Google Sync is off" in page_text(page) and "not checked for ada" in page_text(page)


def test_a_healthy_user_then_a_revoked_account(
    maya: Browser, studio: Studio, seed: Seed, google: SandboxHandle
) -> None:
    google.create_account(MAYA, "pw")
    link_on_sandbox(studio, google_endpoints(studio.settings), "maya", MAYA, "pw")
    with studio.transaction() as session:
        set_google_settings(session, "maya", enabled=True, warnings_email="maya@example.com")
        google_settings(session, "maya").calendar_id = MAYA
    page = maya.get("/troubleshooter").text
    for check in ("enabled", "authenticated", "calendar", "warnings_address"):
        assert verdict(page, check) == "ok", check
    google.revoke_account(MAYA)
    page = maya.get("/troubleshooter").text
    assert verdict(page, "authenticated") == "fail"
    words = page_text(finding(page, "authenticated"))
    assert "Google no longer accepts this account's sign-in" in words
    assert "Remove and re-authenticate the Google account" in words
    assert "User Preferences > Google tab" in words and "studiosync" not in words
    assert "Needs authentication again" in page_text(maya.get("/preferences/google").text)


def test_administrators_see_the_studio_and_every_screen_link_opens(
    admin: Browser, seed: Seed, studio: Studio
) -> None:
    with studio.transaction() as session:
        set_google_settings(session, "maya", enabled=True, warnings_email="maya@example.com")
    page = admin.get("/troubleshooter?user=maya").text
    assert "Google tab of maya" in page_text(page)
    email = finding(page, "email")
    assert verdict(page, "email") == "fail"
    assert "Emailing is set up and the mail server answers" in page_text(email)
    assert 'href="/preferences/company/email"' in email
    assert verdict(page, "job_enabled") == "fail"
    assert 'href="/control-center/jobs"' in finding(page, "job_enabled")
    resource = admin.get("/troubleshooter?user=Studio A").text
    assert verdict(resource, "user") == "fail"
    assert "cannot sync with Google" in page_text(finding(resource, "user"))
    screens = set(re.findall(r'<a class="button small" href="([^"]+)"', page + resource))
    screens |= set(re.findall(r'<p class="hint"><a href="([^"]+)"', page))
    assert {"/preferences/google/maya", "/control-center/jobs", "/users"} <= screens
    for screen in screens:
        assert admin.get(screen).status_code == 200, screen
    assert admin.get("/troubleshooter?user=nobody").status_code == 404
