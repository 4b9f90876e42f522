"""The Google tab with a CalDAV account: connect (iCloud, Fastmail, Nextcloud…), choose, remove."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import select
from web_helpers import Api, Browser, Seed, page_text, section_text

from studiosync.accounts.models import AccountStatus, DavAccount
from studiosync.context import Studio
from studiosync.studio.appointments import Assign, create_appointment, update_appointment
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.studio.models import Appointment
from studiosync.syncstate.models import SyncMapping
from studiosync.syncstate.runner import sync_user
from studiosync.testing.dav_servers import DavServer, running_dav_server

TAB = "/preferences/google"
SOON = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).strftime("%Y%m%dT100000Z")
PHONE_EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VEVENT\r\n"
    f"UID:dentist\r\nDTSTAMP:{SOON}\r\nDTSTART:{SOON}\r\nDURATION:PT1H\r\n"
    "SUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
WEEKLY_CLASS = PHONE_EVENT.replace("dentist", "evening-class").replace(
    "SUMMARY:Dentist", "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Evening class"
)


@pytest.fixture(scope="module")
def radicale() -> Iterator[DavServer]:
    with running_dav_server("radicale") as server:
        yield server


def _connect(person: Browser, server: DavServer, password: str | None = None) -> object:
    return person.post(
        "/preferences/google/maya/caldav",
        {
            "server": server.url,
            "username": server.username,
            "password": server.password if password is None else password,
        },
    )


def test_the_tab_offers_caldav_with_the_icloud_password_note(maya: Browser) -> None:
    page = maya.get(TAB).text
    words = section_text(page)
    assert "Or connect a CalDAV calendar instead (iCloud, Fastmail, Nextcloud…)" in words
    assert "app-specific password" in words and "https://caldav.icloud.com" in words
    assert 'href="https://account.apple.com"' in page


def test_connect_choose_and_remove(
    maya: Browser, radicale: DavServer, studio: Studio, seed: Seed
) -> None:
    name = f"Bookings {uuid.uuid4().hex[:6]}"
    calendar = radicale.make_calendar(name)
    answer = _connect(maya, radicale)
    assert answer.status_code == 303, answer.text
    page = maya.get(TAB).text
    host = radicale.url.removeprefix("http://")
    assert f"Connected to {radicale.username} at {host}. Now choose the calendar" in page_text(page)
    words = section_text(page)
    assert "Calendar account" in words and "Connected" in words
    assert "No Google account linked" not in words
    assert radicale.password not in page

    chosen = maya.post("/preferences/google/maya/calendar", {"calendar": calendar})
    assert chosen.status_code == 303, chosen.text
    page = maya.get(TAB).text
    assert f"The sync with 127.0.0.1 will use the calendar “{name}”." in page_text(page)
    assert f'<option value="{calendar}" selected>' in page
    with studio.transaction() as session:
        assert google_settings(session, seed.maya_id).calendar_id == calendar

    removed = maya.post("/preferences/google/maya/caldav/remove")
    assert removed.status_code == 303
    page = maya.get(TAB).text
    assert "nothing was deleted on the server" in page_text(page)
    assert "No Google account linked" in section_text(page)
    with studio.transaction() as session:
        assert session.get(DavAccount, seed.maya_id) is None


def test_a_refused_password_is_said_on_the_tab_and_nothing_is_kept(
    maya: Browser, radicale: DavServer, studio: Studio, seed: Seed
) -> None:
    answer = _connect(maya, radicale, password="not-the-password")
    assert answer.status_code in (400, 401, 403, 422), answer.status_code
    words = section_text(answer.text)
    assert "The calendar server refused the sign-in" in words
    assert "app-specific password" in words
    assert f'value="{radicale.url}"' in answer.text  # what was typed stays, but no password
    assert "not-the-password" not in answer.text
    with studio.transaction() as session:
        assert session.get(DavAccount, seed.maya_id) is None


def test_the_api_connects_lists_chooses_and_removes(
    admin_api: Api, maya_api: Api, radicale: DavServer, studio: Studio, seed: Seed
) -> None:
    base = f"/api/users/{seed.maya_id}/caldav"
    name = f"Shoots {uuid.uuid4().hex[:6]}"
    calendar = radicale.make_calendar(name)
    wrong = {"server": radicale.url, "username": radicale.username, "password": "nope"}
    refused = admin_api.call("PUT", base, wrong)
    assert refused.status_code == 422, refused.text
    assert "did not accept the user name and password" in refused.text
    assert maya_api.call("GET", "/api/caldav").json()["status"] == "not_connected"

    right = {**wrong, "password": radicale.password}
    connected = admin_api.call("PUT", base, right)
    assert connected.status_code == 200, connected.text
    state = connected.json()
    assert (state["status"], state["username"], state["service"]) == (
        "connected",
        radicale.username,
        "127.0.0.1",
    )
    assert radicale.password not in connected.text

    listed = admin_api.call("GET", f"{base}/calendars").json()
    assert name in [c["summary"] for c in listed["calendars"]]
    chosen = admin_api.call("PUT", f"{base}/calendar", {"calendar": name})
    assert chosen.status_code == 200 and chosen.json()["calendar_id"] == calendar
    others = maya_api.call("GET", f"/api/users/{seed.theo_id}/caldav")
    assert others.status_code == 403  # a user sees only their own account

    removed = admin_api.call("DELETE", base)
    assert removed.status_code == 200 and radicale.username in removed.json()["removed"]
    assert admin_api.call("GET", base).json()["status"] == "not_connected"
    gone = admin_api.call("DELETE", base)
    assert gone.status_code == 409 and "No CalDAV account is connected" in gone.text


def test_a_password_the_server_no_longer_takes_is_entered_again_on_the_tab(
    maya: Browser, radicale: DavServer, studio: Studio, seed: Seed
) -> None:
    assert _connect(maya, radicale).status_code == 303
    with studio.transaction() as session:
        row = session.get(DavAccount, seed.maya_id)
        assert row is not None
        row.status = AccountStatus.NEEDS_REAUTH
    page = maya.get(TAB).text
    words = section_text(page)
    assert "Password refused" in words and "The calendar server refused the sign-in" in words
    assert "Enter the password again" in words
    assert f'value="{radicale.url}"' in page and f'value="{radicale.username}"' in page
    assert _connect(maya, radicale).status_code == 303
    assert "Connected" in section_text(maya.get(TAB).text)
    with studio.transaction() as session:
        again = session.get(DavAccount, seed.maya_id)
        assert again is not None and again.status is AccountStatus.LINKED


def _syncing(maya: Browser, radicale: DavServer, studio: Studio, seed: Seed) -> str:
    """Maya connected to a fresh calendar on the server, two-way, after her first run."""
    calendar = radicale.make_calendar(f"Phone {uuid.uuid4().hex[:6]}")
    assert _connect(maya, radicale).status_code == 303
    assert maya.post("/preferences/google/maya/calendar", {"calendar": calendar}).status_code == 303
    with studio.transaction() as session:
        set_google_settings(
            session, "maya", enabled=True, two_way=True, warnings_email="maya@studio.example"
        )
    assert sync_user(studio, seed.maya_id).ok
    return calendar


def _taken(studio: Studio, seed: Seed, title: str) -> list[tuple[int, dt.date]]:
    """After Maya's next run: the appointments titled so, by start (id, first day)."""
    assert sync_user(studio, seed.maya_id).ok
    with studio.transaction() as session:
        query = select(Appointment).where(Appointment.title == title)
        made = session.scalars(query.order_by(Appointment.start_at)).all()
        return [(appointment.id, appointment.start_at.date()) for appointment in made]


def test_an_appointment_from_the_caldav_calendar_says_where_it_came_from(
    maya: Browser, radicale: DavServer, studio: Studio, seed: Seed
) -> None:
    """Not "Came from Google": it came from the server the user is connected to."""
    calendar = _syncing(maya, radicale, studio, seed)
    radicale.put(calendar + "dentist.ics", PHONE_EVENT)
    [(made_id, day)] = _taken(studio, seed, "Dentist")
    form = page_text(maya.get(f"/appointments/{made_id}/edit").text)
    assert "Came from 127.0.0.1" in form and "Came from Google" not in form
    assert "Sync with 127.0.0.1" in form and "127.0.0.1 event dentist" in form
    assert "Google" not in form.split("Sync with")[1].split("Cancel")[0]
    week = page_text(maya.get(f"/appointments?week={day.isoformat()}").text)
    assert "From 127.0.0.1" in week and "From Google" not in week


def test_occurrences_of_a_caldav_series_say_their_place_in_it(
    maya: Browser, radicale: DavServer, studio: Studio, seed: Seed
) -> None:
    calendar = _syncing(maya, radicale, studio, seed)
    radicale.put(calendar + "evening-class.ics", WEEKLY_CLASS)
    made = _taken(studio, seed, "Evening class")
    assert len(made) == 3
    second = page_text(maya.get(f"/appointments/{made[1][0]}/edit").text)
    assert "Repeats in 127.0.0.1 · 2 of 3" in second


def test_the_tab_speaks_of_the_connected_service_not_google(
    maya: Browser, radicale: DavServer, studio: Studio, seed: Seed
) -> None:
    _syncing(maya, radicale, studio, seed)
    words = page_text(maya.get(TAB).text)
    assert "appointments to one 127.0.0.1 calendar" in words
    assert "What goes to 127.0.0.1" in words and "Details shown in 127.0.0.1" in words
    assert "From 127.0.0.1 to the studio" in words and "127.0.0.1 contacts (optional)" in words
    assert "to sync at all, here with 127.0.0.1: the options keep their Google Sync names" in words
    assert "changes made in 127.0.0.1 come back to the studio" in words
    assert "events made on your phone or computer arrive as tentative" in words
    assert "Google account you sync to" not in words
    for google_only in ("one Google calendar", "What goes to Google", "From Google to the"):
        assert google_only not in words


def test_a_conflict_with_the_caldav_calendar_names_the_service(
    maya: Browser, maya_api: Api, radicale: DavServer, studio: Studio, seed: Seed
) -> None:
    """The conflict log and its API say where the losing version was: not in "Google"."""
    calendar = _syncing(maya, radicale, studio, seed)
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=3)
    with studio.transaction() as session:
        booked = create_appointment(
            session, title="Portrait", start=start, end=start + dt.timedelta(hours=1),
            users=[Assign("maya")],
        ).id  # fmt: skip
    assert sync_user(studio, seed.maya_id).ok
    with studio.transaction() as session:
        event_id = session.scalars(
            select(SyncMapping.event_id).where(SyncMapping.appointment_id == booked)
        ).one()
    href = f"{calendar}{event_id}.ics"
    text = requests.get(href, auth=radicale.auth, timeout=10).text
    radicale.put(href, text.replace("SUMMARY:Portrait", "SUMMARY:Portrait (phone)"))
    with studio.transaction() as session:
        update_appointment(session, booked, title="Portrait (studio)")
    assert sync_user(studio, seed.maya_id).ok

    log = page_text(maya.get("/control-center/conflicts").text)
    assert "changed on both sides since the last sync (the title)" in log, log
    card = log.split("just now")[1]
    assert f"127.0.0.1 event {event_id}" in card and "from 127.0.0.1" in card
    assert "Google" not in card
    [conflict] = maya_api.call("GET", "/api/control/conflicts").json()
    assert conflict["why"] == "changed on both sides since the last sync"
