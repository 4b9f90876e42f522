"""Appointments on the web: the week view in the studio's time zone; book, edit, cancel."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from web_helpers import Browser, Seed, alerts, field_error, page_text

from studiosync.context import Studio
from studiosync.studio.appointments import create_appointment, update_appointment
from studiosync.studio.feed import latest_seq
from studiosync.studio.models import Appointment, AppointmentStatus, AssignmentRole, Origin
from studiosync.studio.people import update_user

MONDAY = "2026-05-04"  # the studio is in Europe/London: BST, UTC+1


def booking(seed: Seed, **changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "title": "Family portrait",
        "type": "Session",
        "client": str(seed.client_id),
        "status": "confirmed",
        "start_date": "2026-05-06",
        "start_time": "14:30",
        "end_date": "2026-05-06",
        "end_time": "16:00",
        "assign": [f"{seed.maya_id}:photographer", f"{seed.theo_id}:assistant"],
        "resources": [str(seed.room_id)],
        "location": "",
        "notes": "Bring the grey backdrop",
    }
    form.update(changes)
    return form


def cards(page: str) -> list[str]:
    """The appointment cards of a week view, as text."""
    return [page_text(card) for card in re.findall(r'<a class="appt[^"]*".*?</a>', page, re.S)]


def day_column(page: str, label: str) -> str:
    found = re.search(
        rf'<section class="day[^"]*"[^>]*aria-label="{label}">(.*?)</section>', page, re.S
    )
    assert found, label
    return page_text(found.group(1))


def test_booking_an_appointment_shows_it_in_the_week(
    maya: Browser, seed: Seed, studio: Studio
) -> None:
    before = latest_seq_of(studio)
    answer = maya.post("/appointments/new", booking(seed))
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/appointments?week={MONDAY}"
    week = maya.get(answer.headers["location"]).text
    assert "Appointment “Family portrait” booked." in week
    wednesday = day_column(week, "Wed 6 May 2026")
    assert "14:30–16:00" in wednesday and "Family portrait" in wednesday
    assert "Jane Doe" in wednesday and "Studio A" in wednesday
    assert "Maya Lindqvist (photographer)" in wednesday and "Theo Okafor (assistant)" in wednesday
    assert "Studio" in wednesday  # made in the studio
    with studio.transaction() as session:
        appointment = session.scalar(select(Appointment))
        assert appointment is not None
        assert appointment.start_at == dt.datetime(2026, 5, 6, 13, 30, tzinfo=dt.UTC)
        roles = {a.user_id: a.role for a in appointment.assignments}
        assert roles == {
            seed.maya_id: AssignmentRole.PHOTOGRAPHER,
            seed.theo_id: AssignmentRole.ASSISTANT,
        }
    assert latest_seq_of(studio) > before  # the change feed saw it


def latest_seq_of(studio: Studio) -> int:
    with studio.transaction() as session:
        return latest_seq(session)


def test_week_navigation_and_the_per_user_view(maya: Browser, seed: Seed) -> None:
    maya.post("/appointments/new", booking(seed, assign=[f"{seed.theo_id}:photographer"]))
    week = maya.get("/appointments?week=2026-05-06").text  # any day picks its week
    assert "week of 4 May 2026" in week
    assert 'href="/appointments?week=2026-04-27"' in week
    assert 'href="/appointments?week=2026-05-11"' in week
    assert len(cards(week)) == 1
    assert cards(maya.get("/appointments?week=2026-05-11").text) == []
    theo = maya.get(f"/appointments?week={MONDAY}&user=theo").text
    assert "Theo Okafor · week of 4 May 2026" in theo and len(cards(theo)) == 1
    mine = maya.get(f"/appointments?week={MONDAY}&user=maya").text
    assert cards(mine) == []
    assert 'href="/appointments?week=2026-05-11&amp;user=maya"' in mine


def test_times_show_in_the_studio_time_zone_across_midnight(
    maya: Browser, studio: Studio, seed: Seed
) -> None:
    with studio.transaction() as session:
        start = dt.datetime(2026, 5, 5, 22, 30, tzinfo=dt.UTC)  # 23:30 in London
        create_appointment(
            session, title="Night sky", start=start, end=start + dt.timedelta(hours=2)
        )
    week = maya.get(f"/appointments?week={MONDAY}").text
    assert "23:30–…" in day_column(week, "Tue 5 May 2026")
    assert "…–01:30" in day_column(week, "Wed 6 May 2026")


def test_all_day_appointments_cover_each_of_their_days(maya: Browser, seed: Seed) -> None:
    form = booking(seed, title="Wedding weekend", all_day="on", end_date="2026-05-07")
    assert maya.post("/appointments/new", form).status_code == 303
    week = maya.get(f"/appointments?week={MONDAY}").text
    for label in ("Wed 6 May 2026", "Thu 7 May 2026"):
        assert "All day" in day_column(week, label) and "Wedding weekend" in day_column(week, label)
    assert "Wedding weekend" not in day_column(week, "Fri 8 May 2026")


def test_booking_errors_are_worded_next_to_the_field(maya: Browser, seed: Seed) -> None:
    backwards = maya.post("/appointments/new", booking(seed, end_time="13:00"))
    assert backwards.status_code == 422
    assert "Choose an end time later than the start time." in field_error(backwards.text, "end")
    assert 'value="Family portrait"' in backwards.text
    untitled = maya.post("/appointments/new", booking(seed, title=" "))
    assert untitled.status_code == 422
    assert "title is required" in field_error(untitled.text, "title")
    bad_time = maya.post("/appointments/new", booking(seed, start_time="25:99"))
    assert bad_time.status_code == 422
    assert "start time is not a time of day" in field_error(bad_time.text, "start_time")
    bad_date = maya.post("/appointments/new", booking(seed, start_date="0001-01-01"))
    assert bad_date.status_code == 422
    assert "YYYY-MM-DD" in field_error(bad_date.text, "start_date")


def test_assigning_an_inactive_user_is_refused(maya: Browser, seed: Seed, studio: Studio) -> None:
    with studio.transaction() as session:
        update_user(session, seed.theo_id, active=False)
    answer = maya.post("/appointments/new", booking(seed))
    assert answer.status_code == 422
    assert "that user is inactive" in field_error(answer.text, "user")


def test_editing_an_appointment(maya: Browser, seed: Seed, studio: Studio) -> None:
    maya.post("/appointments/new", booking(seed))
    with studio.transaction() as session:
        appointment_id = session.scalars(select(Appointment.id)).one()
    page = maya.get(f"/appointments/{appointment_id}/edit").text
    assert 'value="14:30"' in page and "Made in the studio" in page
    changed = booking(
        seed,
        title="Family portrait (garden)",
        start_time="15:00",
        end_time="16:30",
        assign=[f"{seed.theo_id}:photographer"],
        resources=[],
        version=re.search(r'name="version" value="(\d+)"', page).group(1),  # type: ignore[union-attr]
    )
    answer = maya.post(f"/appointments/{appointment_id}/edit", changed)
    assert answer.status_code == 303
    week = maya.get(answer.headers["location"]).text
    assert "15:00–16:30" in day_column(week, "Wed 6 May 2026")
    with studio.transaction() as session:
        appointment = session.get(Appointment, appointment_id)
        assert appointment is not None
        assert appointment.title == "Family portrait (garden)"
        assert {(a.user_id, a.role) for a in appointment.assignments} == {
            (seed.theo_id, AssignmentRole.PHOTOGRAPHER)
        }
        assert appointment.resources == []


def test_an_edit_over_a_newer_version_is_refused(maya: Browser, seed: Seed, studio: Studio) -> None:
    maya.post("/appointments/new", booking(seed))
    with studio.transaction() as session:
        appointment = session.scalars(select(Appointment)).one()
        appointment_id, version = appointment.id, appointment.version
        update_appointment(session, appointment_id, title="Changed by Google")
    answer = maya.post(f"/appointments/{appointment_id}/edit", booking(seed, version=str(version)))
    assert answer.status_code == 409
    assert "changed (by someone else or by Google Sync)" in alerts(answer.text)
    with studio.transaction() as session:
        kept = session.get(Appointment, appointment_id)
        assert kept is not None and kept.title == "Changed by Google"


def test_cancelling_an_appointment(maya: Browser, seed: Seed, studio: Studio) -> None:
    maya.post("/appointments/new", booking(seed))
    with studio.transaction() as session:
        appointment_id = session.scalars(select(Appointment.id)).one()
    answer = maya.post(f"/appointments/{appointment_id}/cancel")
    assert answer.status_code == 303
    week = maya.get(answer.headers["location"]).text
    assert "Appointment “Family portrait” cancelled." in week
    assert "status-cancelled" in week and "Cancelled" in day_column(week, "Wed 6 May 2026")
    with studio.transaction() as session:
        appointment = session.get(Appointment, appointment_id)
        assert appointment is not None and appointment.status is AppointmentStatus.CANCELLED
    assert "Cancel this appointment" not in maya.get(f"/appointments/{appointment_id}/edit").text


def test_where_an_appointment_came_from_is_shown(maya: Browser, studio: Studio) -> None:
    with studio.transaction() as session:
        start = dt.datetime(2026, 5, 7, 9, tzinfo=dt.UTC)
        made = create_appointment(
            session, title="From the phone", start=start, end=start + dt.timedelta(hours=1),
            origin=Origin.GOOGLE,
        )  # fmt: skip
        appointment_id = made.id
    week = maya.get(f"/appointments?week={MONDAY}").text
    assert "origin-google" in week and "Google" in day_column(week, "Thu 7 May 2026")
    assert "Came from Google" in maya.get(f"/appointments/{appointment_id}/edit").text


def test_unknown_appointments_and_users_are_not_found(maya: Browser) -> None:
    assert maya.get("/appointments/4242/edit").status_code == 404
    assert maya.get("/appointments?user=nobody").status_code == 404
    assert maya.get("/appointments?week=not-a-date").status_code == 422
