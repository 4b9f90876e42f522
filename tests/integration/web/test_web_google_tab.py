"""The Google tab on the web: every option, its rules worded at the field, and who may open it."""

from __future__ import annotations

import datetime as dt

from web_helpers import Browser, Seed, field_error, page_text

from studiosync.accounts.models import GoogleAccount
from studiosync.context import Studio
from studiosync.studio.google_options import google_settings

ARTICLE_WORDS = (
    "Enable Google Sync",
    "Populate Google Calendar",
    "Populate studio",
    "Send New, Modified, and Deleted Google Appointments to the studio",
    "Download Tentative, Non-Confirmed Appointments",
    "Android or HTC phone",
    "not the primary account on the phone",
    "Send New and Modified Google Contacts to the studio",
    "Maintenance &gt; Client &gt; Client Groups",
    "Email Warnings and Errors to",
    "(required)",
    "Email Detailed Sync Logs",
    "helpful in the first days",
)


def options(**changes: str) -> dict[str, str]:
    form = {"enabled": "on", "email_warnings": "on", "warnings_email": "maya@example.com"}
    form.update(changes)
    return {key: value for key, value in form.items() if value}


def test_the_tab_shows_every_option_of_the_article(maya: Browser) -> None:
    page = maya.get("/preferences/google").text
    for words in ARTICLE_WORDS:
        assert words in page, words


def test_saving_the_tab(maya: Browser, seed: Seed, studio: Studio) -> None:
    answer = maya.post(
        "/preferences/google",
        options(
            two_way="on",
            download_tentative="on",
            import_contacts="on",
            contacts_group=str(seed.group_id),
            populate_google="on",
            populate_since="2026-01-01",
            email_detailed_logs="on",
        ),
    )
    assert answer.status_code == 303
    assert "Your Google tab is saved." in maya.get("/preferences/google").text
    with studio.transaction() as session:
        tab = google_settings(session, seed.maya_id)
        assert tab.enabled and tab.two_way and tab.download_tentative and tab.import_contacts
        assert tab.contacts_group_id == seed.group_id
        assert tab.populate_google and not tab.populate_studio
        assert tab.populate_since == dt.date(2026, 1, 1)
        assert tab.warnings_email == "maya@example.com" and tab.email_detailed_logs
    unticked = maya.post("/preferences/google", options(enabled=""))
    assert unticked.status_code == 303
    with studio.transaction() as session:
        assert not google_settings(session, seed.maya_id).two_way


def test_enabling_needs_a_warnings_address(maya: Browser, seed: Seed, studio: Studio) -> None:
    answer = maya.post("/preferences/google", options(warnings_email=""))
    assert answer.status_code == 422
    worded = field_error(answer.text, "warnings_email")
    assert "no address is set for warnings and errors" in worded
    assert "Email Warnings and Errors to Me" in worded
    assert 'id="enabled" name="enabled" checked' in answer.text  # kept as typed
    with studio.transaction() as session:
        assert not google_settings(session, seed.maya_id).enabled
    bad = maya.post("/preferences/google", options(warnings_email="maya.example.com"))
    assert bad.status_code == 422
    assert "not an email address" in field_error(bad.text, "warnings_email")


def test_contacts_need_a_client_group(maya: Browser) -> None:
    answer = maya.post("/preferences/google", options(import_contacts="on"))
    assert answer.status_code == 422
    worded = field_error(answer.text, "contacts_group")
    assert "no existing client group is selected" in worded
    assert "Maintenance > Client > Client Groups" in worded


def test_a_wrong_populate_date_is_worded(maya: Browser) -> None:
    answer = maya.post("/preferences/google", options(populate_since="last spring"))
    assert answer.status_code == 422
    assert "populate since is not a date" in field_error(answer.text, "populate_since")


def test_a_resource_has_no_google_tab(admin: Browser) -> None:
    answer = admin.get("/preferences/google/Studio A")
    assert answer.status_code == 422
    text = page_text(answer.text)
    assert "Resources cannot sync with Google" in text
    assert "Resources such as locations or rooms cannot sync with Google" in text
    saved = admin.post("/preferences/google/Studio A", options())
    assert saved.status_code == 422


def test_an_administrator_edits_another_users_tab(
    admin: Browser, seed: Seed, studio: Studio
) -> None:
    page = admin.get("/preferences/google/maya").text
    assert "Maya Lindqvist's Google tab" in page_text(page)
    answer = admin.post("/preferences/google/maya", options(two_way="on"))
    assert answer.status_code == 303
    assert answer.headers["location"] == "/preferences/google/maya"
    with studio.transaction() as session:
        assert google_settings(session, seed.maya_id).two_way
        assert not google_settings(session, seed.admin_id).enabled


def test_a_user_cannot_open_or_change_another_users_tab(
    maya: Browser, seed: Seed, studio: Studio
) -> None:
    for url in ("/preferences/google/theo", f"/preferences/google/{seed.theo_id}"):
        answer = maya.get(url)
        assert answer.status_code == 403, url
        assert "This belongs to another user" in answer.text
    changed = maya.post("/preferences/google/theo", options())
    assert changed.status_code == 403
    with studio.transaction() as session:
        assert not google_settings(session, seed.theo_id).enabled
    assert maya.get("/preferences/google/maya").status_code == 200


def test_the_google_account_section_says_what_is_linked(
    maya: Browser, seed: Seed, studio: Studio
) -> None:
    page = page_text(maya.get("/preferences/google").text)
    assert "No Google account linked" in page and "No calendar selected" in page
    with studio.transaction() as session:
        session.add(
            GoogleAccount(
                user_id=seed.maya_id,
                google_email="maya.lumen@gmail.com",
                refresh_token_encrypted=studio.box.encrypt("refresh-token-value"),
                scopes=[],
            )
        )
        google_settings(session, seed.maya_id).calendar_id = "studio-bookings@group.calendar"
    page = page_text(maya.get("/preferences/google").text)
    assert "No Google account linked" not in page
    assert "maya.lumen@gmail.com" in page and "Linked" in page
    assert "studio-bookings@group.calendar" in page
    assert "refresh-token-value" not in page


def test_the_privacy_choice_is_on_the_tab_and_a_change_rewrites_events(
    maya: Browser, seed: Seed, studio: Studio
) -> None:
    page = maya.get("/preferences/google").text
    assert "What goes to Google" in page and "Busy only" in page
    answer = maya.post("/preferences/google", options(privacy="busy"))
    assert answer.status_code == 303
    with studio.transaction() as session:
        tab = google_settings(session, seed.maya_id)
        assert tab.privacy == "busy" and tab.populate_google  # the next run rewrites events
    bad = maya.post("/preferences/google", options(privacy="everything"))
    assert bad.status_code == 422
    assert "choose full, hide-client or busy" in field_error(bad.text, "privacy")
    with studio.transaction() as session:
        assert google_settings(session, seed.maya_id).privacy == "busy"
