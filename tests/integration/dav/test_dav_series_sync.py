"""A weekly series made on the phone becomes appointments, and deleting it there removes them.

A CalDAV series is one resource: its deletion arrives as one stub with the series' id, which
must stand for every occurrence the studio holds (the real studio, a real server).
"""

from __future__ import annotations

import datetime as dt

from dav_helpers import SOON, linked_user
from sqlalchemy import select

from studiosync.context import Studio
from studiosync.studio.models import Appointment, AppointmentStatus, Assignment
from studiosync.syncstate.runner import sync_user
from studiosync.testing.dav_servers import DavServer


def _weekly(uid: str, start: dt.datetime) -> str:
    stamp = start.strftime("%Y%m%dT%H%M%SZ")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:{stamp}\r\nDTSTART:{stamp}\r\nDURATION:PT1H\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Evening class\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def _titles(studio: Studio, user_id: int) -> list[str]:
    with studio.transaction() as session:
        query = (
            select(Appointment.title)
            .join(Assignment)
            .where(Assignment.user_id == user_id, Appointment.status != AppointmentStatus.CANCELLED)
        )
        return sorted(session.scalars(query).all())


def test_deleting_a_series_on_the_server_removes_every_appointment_of_it(
    studio: Studio, dav_server: DavServer
) -> None:
    user_id, calendar = linked_user(studio, dav_server, "maya")
    dav_server.put(f"{calendar}class-1.ics", _weekly("class-1", SOON))
    dav_server.put(f"{calendar}class-2.ics", _weekly("class-2", SOON + dt.timedelta(hours=3)))
    taken = sync_user(studio, user_id)
    assert taken.ok, taken.log
    assert _titles(studio, user_id) == ["Evening class"] * 6

    dav_server.delete(f"{calendar}class-1.ics")
    removed = sync_user(studio, user_id)
    assert removed.ok, removed.log
    assert _titles(studio, user_id) == ["Evening class"] * 3  # the other series stays
