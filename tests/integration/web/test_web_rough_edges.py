"""The rough edges a new user met: times in words, zero length, double bookings, pickers, outbox."""

from __future__ import annotations

import re
from pathlib import Path

from test_web_appointments import booking
from web_helpers import Browser, Seed, alerts, field_error, page_text

from studiosync.context import Studio
from studiosync.studio.clients import create_client
from studiosync.studio.company import set_email_settings, update_company
from studiosync.studio.models import Appointment, SmtpSecurity


def count_appointments(studio: Studio) -> int:
    with studio.transaction() as session:
        return session.query(Appointment).count()


def test_end_equal_to_start_is_a_zero_length_in_the_studios_words(
    maya: Browser, seed: Seed, studio: Studio
) -> None:
    with studio.transaction() as session:
        update_company(session, time_zone="Europe/London")
    same = maya.post("/appointments/new", booking(seed, start_time="11:00", end_time="11:00"))
    assert same.status_code == 422
    words = field_error(same.text, "end")
    assert "The appointment ends when it starts" in words
    assert "Wed 6 May, 11:00" in words and "no time at all" in words
    assert "before it starts" not in words and "+00:00" not in words
    backwards = maya.post("/appointments/new", booking(seed, start_time="11:00", end_time="10:15"))
    assert "The end (Wed 6 May, 10:15) is before the start (Wed 6 May, 11:00)" in field_error(
        backwards.text, "end"
    )


def test_a_double_booking_is_refused_until_the_owner_books_it_anyway(
    maya: Browser, seed: Seed, studio: Studio
) -> None:
    assert maya.post("/appointments/new", booking(seed)).status_code == 303
    same_room = booking(seed, title="Headshots", start_time="15:00", end_time="15:30",
                        assign=[], resources=[str(seed.room_id)])  # fmt: skip
    refused = maya.post("/appointments/new", same_room)
    assert refused.status_code == 422
    said = alerts(refused.text)
    assert "This would be a double booking" in said
    assert "Studio A is already booked for “Family portrait”, Wed 6 May, 14:30–16:00" in said
    assert 'name="allow_double_booking"' in refused.text
    assert count_appointments(studio) == 1
    same_person = booking(seed, title="Call", start_time="16:00", end_time="17:00", resources=[])
    assert maya.post("/appointments/new", same_person).status_code == 303  # touching is fine
    overlapping = booking(seed, title="Call 2", start_time="15:59", end_time="17:00",
                          resources=[], assign=[f"{seed.theo_id}:assistant"])  # fmt: skip
    assert "Theo Okafor is already booked" in alerts(
        maya.post("/appointments/new", overlapping).text
    )
    anyway = maya.post("/appointments/new", {**same_room, "allow_double_booking": "on"})
    assert anyway.status_code == 303
    assert count_appointments(studio) == 3


def test_clients_with_the_same_name_are_told_apart_in_the_picker(
    maya: Browser, seed: Seed, studio: Studio
) -> None:
    with studio.transaction() as session:
        create_client(session, name="Jane Doe", phones=["+44 20 7946 0999"])
        create_client(session, name="Liam Moreau")
    page = maya.get("/appointments/new").text
    options = [page_text(o) for o in re.findall(r"<option[^>]*>(.*?)</option>", page)]
    assert "Jane Doe (jane@example.com)" in options
    assert "Jane Doe (+44 20 7946 0999)" in options
    assert "Liam Moreau" in options  # a name of its own stays as it is


def test_remove_my_google_account_asks_first_and_says_what_stays_in_google(
    maya: Browser, seed: Seed
) -> None:
    page = maya.get("/preferences/google").text
    assert 'action="/preferences/google/maya/remove-account"' not in page
    assert maya.get("/preferences/google/maya/remove-account").status_code == 303  # none linked


def test_the_week_tells_the_studio_badge_from_the_room_studio_a(maya: Browser, seed: Seed) -> None:
    maya.post("/appointments/new", booking(seed))
    week = page_text(maya.get("/appointments?week=2026-05-04").text)
    assert "Booked here" in week and "Studio A" in week


def test_in_the_demo_the_email_tab_and_control_center_point_to_the_outbox(
    admin: Browser, maya: Browser, studio: Studio
) -> None:
    assert "is not the demo" in page_text(admin.get("/outbox").text)
    folder = Path(studio.settings.data_dir) / "outbox"
    folder.mkdir(parents=True)
    with studio.transaction() as session:
        set_email_settings(
            session, studio.box, host="127.0.0.1", port=2525, security=SmtpSecurity.NONE,
            from_address="studio@studio.example",
        )  # fmt: skip
    (folder / "20261203-101500-000001.eml").write_bytes(
        b"From: studio@studio.example\r\nTo: maya@example.com\r\n"
        b"Subject: Google Sync warning for Maya\r\nContent-Type: text/plain\r\n\r\n"
        b"The calendar was not found.\r\n"
    )
    email_tab = page_text(admin.get("/preferences/company/email").text)
    assert "Demo studio" in email_tab and "Utilities > Demo outbox" in email_tab
    assert "Utilities > Demo outbox" in page_text(admin.get("/control-center").text)
    listing = admin.get("/outbox").text
    assert "Google Sync warning for Maya" in listing
    one = page_text(admin.get("/outbox?email=20261203-101500-000001.eml").text)
    assert "The calendar was not found." in one and "maya@example.com" in one
    assert admin.get("/outbox?email=../secret.key").status_code == 404
    assert maya.get("/outbox").status_code == 403
