"""Every maintenance form: saves what is valid, and words each refusal next to its field."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from web_helpers import MAYA_PASSWORD, Browser, Seed, alerts, field_error

from studiosync.context import Studio
from studiosync.studio.appointments import create_appointment
from studiosync.studio.company import get_company
from studiosync.studio.google_options import set_google_settings
from studiosync.studio.models import Client, ClientGroup, Resource, Role, User
from studiosync.studio.passwords import verify_password


def test_adding_a_user_saves_them(admin: Browser, studio: Studio) -> None:
    answer = admin.post(
        "/users/new",
        {
            "login": "ines",
            "display_name": "Ines Duarte",
            "email": "ines@example.com",
            "role": "assistant",
            "password": "ines-pass-1",
            "active": "on",
        },
    )
    assert answer.status_code == 303
    listing = admin.get("/users").text
    assert "User Ines Duarte added." in listing
    assert "Ines Duarte" in listing
    with studio.transaction() as session:
        ines = session.scalar(select(User).where(User.login == "ines"))
        assert ines is not None and ines.role is Role.ASSISTANT and ines.active
        assert ines.password_hash and "ines-pass-1" not in ines.password_hash


def test_user_form_errors_are_worded_next_to_their_field(admin: Browser) -> None:
    taken = admin.post("/users/new", {"login": "Maya", "role": "staff"})
    assert taken.status_code == 409
    assert 'Another user already has the login "Maya".' in field_error(taken.text, "login")
    assert 'value="Maya"' in taken.text  # the form comes back as typed

    bad_login = admin.post("/users/new", {"login": "no spaces", "role": "staff"})
    assert bad_login.status_code == 422
    assert "letters, digits" in field_error(bad_login.text, "login")

    bad_email = admin.post(
        "/users/new", {"login": "ines", "email": "not-an-address", "role": "staff"}
    )
    assert bad_email.status_code == 422
    assert "not an email address" in field_error(bad_email.text, "email")
    assert "name@example.com" in field_error(bad_email.text, "email")


def test_editing_a_user_keeps_the_password_when_left_empty(
    admin: Browser, seed: Seed, studio: Studio
) -> None:
    answer = admin.post(
        f"/users/{seed.maya_id}/edit",
        {"login": "maya", "display_name": "Maya L.", "role": "photographer", "active": "on"},
    )
    assert answer.status_code == 303
    with studio.transaction() as session:
        maya = session.get(User, seed.maya_id)
        assert maya is not None and maya.display_name == "Maya L."
    assert maya.password_hash and verify_password(maya.password_hash, MAYA_PASSWORD)


def test_a_refused_edit_saves_none_of_it(admin: Browser, seed: Seed, studio: Studio) -> None:
    answer = admin.post(
        f"/users/{seed.maya_id}/edit",
        {"login": "maya2", "display_name": "Changed", "email": "bad", "role": "photographer"},
    )
    assert answer.status_code == 422
    assert field_error(answer.text, "email")
    with studio.transaction() as session:
        maya = session.get(User, seed.maya_id)
        assert maya is not None and (maya.login, maya.display_name) == ("maya", "Maya Lindqvist")


def test_deactivating_and_reactivating_a_user(admin: Browser, seed: Seed, studio: Studio) -> None:
    assert admin.post(f"/users/{seed.theo_id}/deactivate").status_code == 303
    assert "deactivated" in admin.get("/users").text
    with studio.transaction() as session:
        theo = session.get(User, seed.theo_id)
        assert theo is not None and not theo.active
    assert admin.post(f"/users/{seed.theo_id}/reactivate").status_code == 303
    with studio.transaction() as session:
        theo = session.get(User, seed.theo_id)
        assert theo is not None and theo.active


def test_an_administrator_cannot_lock_themselves_out(admin: Browser, seed: Seed) -> None:
    answer = admin.post(f"/users/{seed.admin_id}/deactivate")
    assert answer.status_code == 422
    assert "You cannot lock yourself out" in answer.text
    demoted = admin.post(
        f"/users/{seed.admin_id}/edit",
        {"login": "ada", "display_name": "Ada", "role": "staff", "active": "on"},
    )
    assert demoted.status_code == 422
    assert "administrator role" in field_error(demoted.text, "role")


def test_resource_form(admin: Browser, seed: Seed, studio: Studio) -> None:
    empty = admin.post("/resources/new", {"name": "  ", "kind": "room"})
    assert empty.status_code == 422
    assert "name is required" in field_error(empty.text, "name")
    taken = admin.post("/resources/new", {"name": "Studio A", "kind": "room"})
    assert taken.status_code == 409
    assert 'Another resource already has the name "Studio A"' in field_error(taken.text, "name")
    assert admin.post("/resources/new", {"name": "Garden", "kind": "location"}).status_code == 303
    assert "Location Garden added." in admin.get("/resources").text
    renamed = admin.post(f"/resources/{seed.room_id}/edit", {"name": "Studio 1", "kind": "room"})
    assert renamed.status_code == 303
    with studio.transaction() as session:
        names = set(session.scalars(select(Resource.name)))
    assert names == {"Studio 1", "Garden"}


def test_a_booked_resource_cannot_be_deleted(admin: Browser, seed: Seed, studio: Studio) -> None:
    with studio.transaction() as session:
        start = dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC)
        create_appointment(
            session, title="Shoot", start=start, end=start + dt.timedelta(hours=1),
            resources=[seed.room_id],
        )  # fmt: skip
    answer = admin.post(f"/resources/{seed.room_id}/delete")
    assert answer.status_code == 422
    assert "it is booked on 1 appointment(s)" in alerts(answer.text)


def test_client_form_and_search(admin: Browser, seed: Seed, studio: Studio) -> None:
    bad = admin.post(
        "/clients/new", {"name": "Sam Rivers", "emails": "sam@example.com\nnope", "phones": ""}
    )
    assert bad.status_code == 422
    assert "not an email address: nope" in field_error(bad.text, "email")
    assert "Sam Rivers" in bad.text
    added = admin.post(
        "/clients/new",
        {
            "name": "Sam Rivers",
            "emails": "sam@example.com",
            "phones": "+44 20 7946 0000",
            "groups": [str(seed.group_id)],
        },
    )
    assert added.status_code == 303
    found = admin.get("/clients?q=rivers").text
    assert "Sam Rivers" in found and "Jane Doe" not in found
    in_group = admin.get(f"/clients?group={seed.group_id}").text
    assert "Sam Rivers" in in_group and "Jane Doe" in in_group
    nameless = admin.post(f"/clients/{seed.client_id}/edit", {"name": ""})
    assert nameless.status_code == 422
    assert "name is required" in field_error(nameless.text, "name")
    with studio.transaction() as session:
        sam = session.scalar(select(Client).where(Client.name == "Sam Rivers"))
        assert sam is not None and [g.id for g in sam.groups] == [seed.group_id]


def test_client_group_forms(admin: Browser, seed: Seed, studio: Studio) -> None:
    taken = admin.post("/groups/new", {"name": "Weddings"})
    assert taken.status_code == 409
    assert 'Another client group already has the name "Weddings"' in field_error(taken.text, "name")
    assert admin.post("/groups/new", {"name": "Google contacts"}).status_code == 303
    with studio.transaction() as session:
        set_google_settings(
            session, seed.maya_id, import_contacts=True, contacts_group=seed.group_id
        )
    refused = admin.post(f"/groups/{seed.group_id}/delete")
    assert refused.status_code == 422
    assert "Google contacts of user 'maya' go into it" in alerts(refused.text)
    with studio.transaction() as session:
        assert session.get(ClientGroup, seed.group_id) is not None


def test_company_general_tab(admin: Browser, studio: Studio) -> None:
    bad = admin.post("/preferences/company", {"studio_name": "Lumen", "time_zone": "Mars/Olympus"})
    assert bad.status_code == 422
    assert "names no known time zone" in field_error(bad.text, "time_zone")
    good = admin.post(
        "/preferences/company", {"studio_name": "Lumen", "time_zone": "America/New_York"}
    )
    assert good.status_code == 303
    with studio.transaction() as session:
        company = get_company(session)
        assert (company.name, company.time_zone) == ("Lumen", "America/New_York")


def test_a_record_that_does_not_exist_is_worded_not_found(admin: Browser) -> None:
    for url in ("/users/9999/edit", "/clients/9999/edit", "/groups/9999/edit"):
        answer = admin.get(url)
        assert answer.status_code == 404, url
        assert "Not found" in answer.text
    assert admin.get("/users/99999999999999999999/edit").status_code == 404
