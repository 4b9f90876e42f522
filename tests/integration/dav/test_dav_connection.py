"""A studio user connected to a CalDAV account: linking's rules, and two-way sync through it.

The studio is the real one (SQLite or PostgreSQL), the server a real Radicale or Xandikos,
and the sync is the one the processor runs (``runner.sync_user``).
"""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from dav_helpers import SOON, linked_user, new_user
from sqlalchemy import func, select

from studiosync.accounts.calendars import list_calendars
from studiosync.accounts.dav_linking import link_dav, unlink_dav
from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.models import Connection, ConnectionKind, DavAccount
from studiosync.context import Studio
from studiosync.errors import AuthError, DuplicateError, ErrorCode, InputError
from studiosync.providers.caldav.provider import connect
from studiosync.studio import appointments, clients
from studiosync.studio.appointments import Assign
from studiosync.studio.google_options import set_google_settings
from studiosync.studio.models import Appointment, Assignment, Client, ClientGroup
from studiosync.syncstate.runner import sync_user
from studiosync.testing.dav_servers import DavServer, running_radicale


def _events_on_server(server: DavServer, calendar: str) -> dict[str, str]:
    provider = connect(server.url, server.username, server.password, verify=server.verify)
    listing = provider.changes(calendar, None)
    return {event.id: event.summary for event in listing.events}


def test_a_booking_reaches_the_caldav_calendar_and_a_change_there_comes_back(
    studio: Studio, dav_server: DavServer
) -> None:
    user_id, calendar = linked_user(studio, dav_server, "maya")
    with studio.transaction() as session:
        booked = appointments.create_appointment(
            session,
            title="Smith wedding",
            start=SOON,
            end=SOON + dt.timedelta(hours=2),
            users=[Assign("maya")],
        ).id

    first = sync_user(studio, user_id)
    assert first.ok, first.log
    on_server = _events_on_server(dav_server, calendar)
    assert list(on_server.values()) == ["Smith wedding"]

    (event_id,) = on_server
    href = f"{calendar}{event_id}.ics"
    text = requests.get(href, auth=dav_server.auth, verify=dav_server.verify, timeout=10).text
    lines = [line for line in text.splitlines() if not line.startswith("LOCATION")]
    at = lines.index("SUMMARY:Smith wedding") + 1
    dav_server.put(href, "\r\n".join([*lines[:at], "LOCATION:Studio B", *lines[at:]]) + "\r\n")

    second = sync_user(studio, user_id)
    assert second.ok, second.log
    with studio.transaction() as session:
        assert session.get_one(Appointment, booked).location == "Studio B"  # Google's by default

    quiet = sync_user(studio, user_id)
    assert quiet.ok and (quiet.counts.pushed, quiet.counts.pulled) == (0, 0), quiet.counts


def test_an_event_made_on_the_server_becomes_an_appointment(
    studio: Studio, dav_server: DavServer
) -> None:
    user_id, calendar = linked_user(studio, dav_server, "maya")
    stamp = SOON.strftime("%Y%m%dT%H%M%SZ")
    dav_server.put(
        f"{calendar}phone-1.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:phone-1\r\nDTSTAMP:{stamp}\r\nDTSTART:{stamp}\r\n"
        "DURATION:PT1H\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    result = sync_user(studio, user_id)
    assert result.ok, result.log
    with studio.transaction() as session:
        titles = session.scalars(
            select(Appointment.title).join(Assignment).where(Assignment.user_id == user_id)
        ).all()
    assert titles == ["Dentist"]


def test_a_wrong_password_is_refused_and_nothing_is_kept(
    studio: Studio, dav_server: DavServer
) -> None:
    studio.settings.dav_ca_bundle = dav_server.ca_file
    new_user(studio, "maya")
    with pytest.raises(AuthError) as refused:
        link_dav(studio, "maya", dav_server.url, dav_server.username, "not the password")
    assert refused.value.code is ErrorCode.DAV_AUTH_FAILED
    assert refused.value.params["user"] == "maya"
    with studio.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Connection)) == 0
        assert session.scalar(select(func.count()).select_from(DavAccount)) == 0


def test_one_account_one_user_and_one_connection_each(
    studio: Studio, dav_server: DavServer
) -> None:
    linked_user(studio, dav_server, "maya")
    new_user(studio, "leo")
    with pytest.raises(DuplicateError) as taken:
        link_dav(studio, "leo", dav_server.url, dav_server.username, dav_server.password)
    assert taken.value.code is ErrorCode.DAV_ACCOUNT_TAKEN
    assert taken.value.params["other"] == "maya"

    with pytest.raises(InputError) as typo:
        link_dav(studio, "leo", "not a server", dav_server.username, dav_server.password)
    assert typo.value.code is ErrorCode.DAV_BAD_ADDRESS

    calendars = list_calendars(studio, google_endpoints(studio.settings), "maya")
    assert calendars and all(item.writable for item in calendars)

    with studio.transaction() as session:
        shown = unlink_dav(session, "maya")
        assert dav_server.username in shown
    link_dav(studio, "leo", dav_server.url, dav_server.username, dav_server.password)
    with studio.transaction() as session:
        (held,) = session.scalars(select(Connection)).all()
        assert held.kind is ConnectionKind.CALDAV


def _card(uid: str, name: str, email: str) -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\n"
        f"EMAIL;TYPE=INTERNET:{email}\r\nEND:VCARD\r\n"
    )


def test_carddav_contacts_come_into_the_chosen_client_group(studio: Studio) -> None:
    with running_radicale(username="ann@fastmail.example") as server:
        book = server.make_addressbook("contacts")
        server.put(book + "jane.vcf", _card("jane", "Jane Doe", "jane@example.com"), "text/vcard")
        with studio.transaction() as session:
            clients.create_group(session, name="From my phone")
            clients.create_client(session, name="J. Doe", emails=["jane@example.com"], phones=[])
        user_id, _calendar = linked_user(studio, server, "ann")
        with studio.transaction() as session:
            set_google_settings(
                session, "ann", import_contacts=True, contacts_group="From my phone"
            )
        server.put(book + "tom.vcf", _card("tom", "Tom Roe", "tom@example.com"), "text/vcard")
        result = sync_user(studio, user_id)
        assert result.ok, result.log

    with studio.transaction() as session:
        group = session.scalars(
            select(ClientGroup).where(ClientGroup.name == "From my phone")
        ).one()
        members = sorted(member.name for member in group.clients)
        everyone = session.scalar(select(func.count()).select_from(Client))
    assert members == ["Jane Doe", "Tom Roe"]
    assert everyone == 2  # Jane was matched by her email address, not made twice
