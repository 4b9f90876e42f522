"""Company Preferences > Google: the summary template with its preview, and field owners."""

from __future__ import annotations

import re

from web_helpers import Api, Browser, field_error, page_text

from studiosync.context import Studio
from studiosync.studio.company import get_company
from studiosync.sync.fields import FieldRules, Owner
from studiosync.syncstate.field_settings import field_rules


def google_form(**changes: str) -> dict[str, str]:
    form = {
        "summary_template": "{title}",
        "owner_title": "studio",
        "owner_time": "google",
        "owner_location": "google",
        "owner_notes": "google",
        "owner_status": "google",
    }
    form.update(changes)
    return form


def preview_of(page: str) -> str:
    found = re.search(r'<output id="summary-preview"[^>]*>(.*?)</output>', page, re.S)
    return page_text(found.group(1)) if found else ""


def test_the_tab_shows_the_template_its_preview_and_the_owners(admin: Browser) -> None:
    page = admin.get("/preferences/company/google")
    assert page.status_code == 200
    assert preview_of(page.text) == "Rivera family session"  # the title, by default
    assert '<script src="/static/summary_preview.js" defer></script>' in page.text
    assert "<script>" not in page.text  # no inline script: the page works under a strict CSP
    assert re.search(r'<option value="studio" selected>studio only</option>', page.text)
    assert admin.get("/static/summary_preview.js").status_code == 200


def test_saving_the_tab_stores_the_template_and_the_owners(admin: Browser, studio: Studio) -> None:
    answer = admin.post(
        "/preferences/company/google",
        google_form(summary_template="{title} – {client} ({room})", owner_location="studio"),
    )
    assert answer.status_code == 303
    page = admin.get("/preferences/company/google").text
    assert preview_of(page) == "Rivera family session – Sofia Rossi (Studio A)"
    with studio.transaction() as session:
        company = get_company(session)
        assert company.summary_template == "{title} – {client} ({room})"
        assert field_rules(company) == FieldRules(location=Owner.STUDIO)


def test_a_wrong_template_is_named_next_to_its_field_and_nothing_is_saved(
    admin: Browser, studio: Studio
) -> None:
    answer = admin.post(
        "/preferences/company/google",
        google_form(summary_template="{title} – {customer}", owner_notes="studio"),
    )
    assert answer.status_code == 422
    message = field_error(answer.text, "summary_template")
    assert "{customer} is not a field; the fields are {title}, {type}, {client}, {room}" in message
    with studio.transaction() as session:
        company = get_company(session)
        assert (company.summary_template, company.google_notes) == ("{title}", "google")


def test_the_live_preview_answers_as_the_template_is_typed(admin: Browser) -> None:
    good = admin.get(
        "/preferences/company/google/preview", params={"summary_template": "{type}: {title}"}
    )
    assert good.json() == {"preview": "Session: Rivera family session"}
    bad = admin.get("/preferences/company/google/preview", params={"summary_template": "{when}"})
    assert bad.json()["preview"] == "" and "{when} is not a field" in bad.json()["problem"]


def test_only_administrators_see_the_tab(browser: Browser) -> None:
    browser.login("maya", "maya-pass-1")
    assert browser.get("/preferences/company/google").status_code == 403


def test_the_google_tab_through_the_api(admin_api: Api) -> None:
    assert admin_api.call("GET", "/api/company/google").json() == {
        "summary_template": "{title}",
        "owners": {
            "title": "studio",
            "time": "google",
            "location": "google",
            "notes": "google",
            "status": "google",
        },
    }
    changed = admin_api.call(
        "PATCH",
        "/api/company/google",
        {"summary_template": "{title} – {client}", "owners": {"notes": "newest"}},
    )
    assert changed.status_code == 200
    assert changed.json()["summary_template"] == "{title} – {client}"
    assert changed.json()["owners"]["notes"] == "newest"
    wrong = admin_api.call("PATCH", "/api/company/google", {"owners": {"colour": "google"}})
    assert wrong.status_code == 422 and "the fields are title, time" in wrong.text
