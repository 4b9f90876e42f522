"""The article's menus: Maintenance and Utilities, linked breadcrumbs, the 404 page."""

from __future__ import annotations

import re

import pytest
from web_helpers import Browser, page_text

from studiosync.web.menu import MENU, PATHS, menu_path

ARTICLE_PATHS = {
    "Maintenance > General (Studio) > Users": "/users",
    "Maintenance > General (Studio) > Resources": "/resources",
    "Maintenance > Client > Clients": "/clients",
    "Maintenance > Client > Client Groups": "/groups",
    "Maintenance > Preferences > User Preferences": "/preferences/user",
    "Maintenance > Preferences > Company (Studio) Preferences": "/preferences/company",
    "Utilities > Control Center": "/control-center",
    "Utilities > Troubleshooter": "/troubleshooter",
}


def menu_of(page: str) -> str:
    found = re.search(r'<nav aria-label="Main" class="menu">(.*?)</nav>', page, re.S)
    assert found, "the page has no menu"
    return found.group(1)


def crumbs_of(page: str) -> list[tuple[str, str | None]]:
    found = re.search(r'<nav class="crumbs" aria-label="Breadcrumb">(.*?)</nav>', page, re.S)
    if not found:
        return []
    steps = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    out: list[tuple[str, str | None]] = []
    for step in steps:
        href = re.search(r'href="([^"]+)"', step)
        out.append((page_text(step), href.group(1) if href else None))
    return out


def test_every_path_the_article_names_is_in_the_menu_one_click_per_step() -> None:
    for path, href in ARTICLE_PATHS.items():
        area = next(area for area, trail in PATHS.items() if trail[-1].href == href)
        assert menu_path(area) == path
        assert len(PATHS[area]) == path.count(">") + 1  # one click per step
    assert [node.label for node in MENU] == ["Appointments", "Maintenance", "Utilities"]


def test_the_menu_follows_the_article_and_hides_what_staff_may_not_open(
    admin: Browser, maya: Browser
) -> None:
    menu = page_text(menu_of(admin.get("/appointments").text))
    for words in ("Maintenance", "General (Studio)", "Users", "Resources", "Client",
                  "Clients", "Client Groups", "Preferences", "User Preferences",
                  "Company (Studio) Preferences", "Utilities", "Control Center",
                  "Troubleshooter"):  # fmt: skip
        assert words in menu
    staff = page_text(menu_of(maya.get("/appointments").text))
    assert "User Preferences" in staff and "Troubleshooter" in staff
    assert "Users" not in staff.split() and "Control Center" not in staff
    assert "General (Studio)" not in staff  # a heading with nothing to open is not shown


@pytest.mark.parametrize(
    ("url", "trail"),
    [
        ("/users", ["Maintenance", "General (Studio)", "Users"]),
        ("/users/new", ["Maintenance", "General (Studio)", "Users", "Add user"]),
        ("/groups", ["Maintenance", "Client", "Client Groups"]),
        ("/preferences/company/email", ["Maintenance", "Preferences",
                                        "Company (Studio) Preferences"]),
        ("/preferences/google", ["Maintenance", "Preferences", "User Preferences",
                                 "Google tab"]),
        ("/control-center", ["Utilities", "Control Center"]),
        ("/maintenance/general", ["Maintenance", "General (Studio)"]),
    ],
)  # fmt: skip
def test_breadcrumbs_are_links_up_to_the_page_itself(
    admin: Browser, url: str, trail: list[str]
) -> None:
    page = admin.get(url)
    assert page.status_code == 200
    crumbs = crumbs_of(page.text)
    assert [label for label, _ in crumbs] == trail
    assert crumbs[-1][1] is None
    for label, href in crumbs[:-1]:
        assert href is not None, label
        assert admin.get(href).status_code == 200


def test_the_menu_headings_are_pages_listing_their_screens(admin: Browser) -> None:
    page = page_text(admin.get("/maintenance").text)
    assert "General (Studio)" in page and "Client Groups" in page
    assert "Company (Studio) Preferences" in page
    utilities = page_text(admin.get("/utilities").text)
    assert "Control Center" in utilities and "Troubleshooter" in utilities


def test_an_admin_on_someone_elses_google_tab_is_under_users_not_user_preferences(
    admin: Browser,
) -> None:
    page = admin.get("/preferences/google/maya").text
    menu = menu_of(page)
    current = re.findall(r'<a href="([^"]+)" class="active" aria-current="page">', menu)
    assert current == ["/users"]
    assert [label for label, _ in crumbs_of(page)] == [
        "Maintenance", "General (Studio)", "Users", "Maya Lindqvist", "Google tab",
    ]  # fmt: skip
    own = menu_of(admin.get("/preferences/google").text)
    assert re.findall(r'<a href="([^"]+)" class="active"', own) == ["/preferences/user"]


def test_the_404_page_keeps_the_menu_and_does_not_offer_log_in(
    admin: Browser, browser: Browser
) -> None:
    page = admin.get("/no/such/page")
    assert page.status_code == 404
    assert "Maintenance" in page_text(menu_of(page.text))
    assert ">Log in<" not in page.text
    assert "Log out" in page.text


def test_user_preferences_general_tab_changes_ones_own_details(maya: Browser) -> None:
    page = maya.get("/preferences/user")
    assert "General" in page.text and 'href="/preferences/google"' in page.text
    saved = maya.post(
        "/preferences/user",
        {"display_name": "Maya L.", "email": "maya@studio.example", "password": "new-pass-22",
         "password_again": "new-pass-22"},
    )  # fmt: skip
    assert saved.status_code == 303
    again = maya.get("/preferences/user")  # still logged in with the new password
    assert again.status_code == 200 and "Maya L." in again.text
    mismatch = maya.post(
        "/preferences/user",
        {"display_name": "Maya", "password": "one-pass-33", "password_again": "other-pass"},
    )
    assert mismatch.status_code == 422
    assert "type the same password twice" in page_text(mismatch.text)


def test_company_preferences_has_email_and_google_tabs(admin: Browser) -> None:
    page = admin.get("/preferences/company/google")
    assert page.status_code == 200
    tabs = re.search(
        r'<nav class="tabs" aria-label="Company Preferences">(.*?)</nav>', page.text, re.S
    )
    assert tabs and page_text(tabs.group(1)) == "General Google Email"
    assert [label for label, _ in crumbs_of(page.text)] == [
        "Maintenance", "Preferences", "Company (Studio) Preferences",
    ]  # fmt: skip
