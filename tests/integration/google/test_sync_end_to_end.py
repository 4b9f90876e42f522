"""One user's Google Sync end to end: studio database, engine, provider, real HTTP, sandbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from studiosync.accounts.calendars import list_calendars, select_calendar
from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.errors import AuthError, ErrorCode, InputError
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio import appointments, clients, people
from studiosync.studio.appointments import Assign
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.studio.models import Appointment, AppointmentStatus, Origin
from studiosync.syncstate.runner import sync_user

MAYA = "maya@sandbox.example"
START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def maya(studio: Studio, google: SandboxHandle, endpoints: GoogleEndpoints) -> int:
    google.create_account(MAYA, "pw")
    google.add_calendar(MAYA, "Holidays (read only)", access_role="reader")
    with studio.transaction() as session:
        user_id = people.create_user(session, login="maya").id
        clients.create_client(
            session, name="Jane Doe", emails=["jane@example.com"], phones=["+1 555 0100"]
        )
        clients.create_group(session, name="From Google")
    link_on_sandbox(studio, endpoints, "maya", MAYA, "pw")
    select_calendar(studio, endpoints, "maya", MAYA)
    with studio.transaction() as session:
        set_google_settings(
            session, "maya", enabled=True, warnings_email="maya@example.com", two_way=True
        )
    return user_id


def _book(studio: Studio, title: str = "Portrait", **fields: Any) -> int:
    with studio.transaction() as session:
        return appointments.create_appointment(
            session,
            title=title,
            type="Portrait",
            start=START,
            end=START + dt.timedelta(hours=1),
            users=[Assign("maya")],
            client="Jane Doe",
            **fields,
        ).id


def _events(google: SandboxHandle) -> list[dict[str, Any]]:
    service = google.calendar_service(MAYA)
    return list(service.events().list(calendarId=MAYA, singleEvents=True).execute()["items"])


def test_calendar_choice_must_exist_and_be_writable(
    studio: Studio, endpoints: GoogleEndpoints, maya: int
) -> None:
    names = {c.summary for c in list_calendars(studio, endpoints, "maya")}
    assert "Holidays (read only)" in names
    with pytest.raises(InputError) as read_only:
        select_calendar(studio, endpoints, "maya", "Holidays (read only)")
    assert read_only.value.code is ErrorCode.GOOGLE_CALENDAR_READ_ONLY
    with pytest.raises(InputError) as missing:
        select_calendar(studio, endpoints, "maya", "No such calendar")
    assert missing.value.code is ErrorCode.GOOGLE_CALENDAR_NOT_FOUND


def test_appointments_flow_to_google_and_edits_flow_back(
    studio: Studio, google: SandboxHandle, maya: int
) -> None:
    sync_user(studio, maya)  # the first run starts at the feed's head
    booked = _book(studio, notes="Bring the family dog")
    result = sync_user(studio, maya)
    assert result.ok and result.counts.pushed == 1
    [event] = _events(google)
    assert event["summary"] == "Portrait"  # the title (the studio's template can add more)
    assert "Bring the family dog" in event["description"] and "+1 555 0100" in event["description"]
    service = google.calendar_service(MAYA)
    event["summary"] = "Portrait moved by phone"
    event["start"] = {"dateTime": "2026-12-01T15:00:00Z"}
    event["end"] = {"dateTime": "2026-12-01T16:00:00Z"}
    service.events().update(calendarId=MAYA, eventId=event["id"], body=event).execute()
    again = sync_user(studio, maya)
    assert again.ok and again.counts.pulled_updated == 1
    with studio.transaction() as session:
        changed = appointments.get_appointment(session, booked)
        assert changed.start_at == dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
    quiet = sync_user(studio, maya)  # nothing echoes back and forth
    assert quiet.counts.updated == 0 and quiet.counts.pushed == 0
    assert len(_events(google)) == 1


def test_new_google_events_become_appointments_and_deletes_remove_them(
    studio: Studio, google: SandboxHandle, maya: int
) -> None:
    sync_user(studio, maya)
    service = google.calendar_service(MAYA)
    made = (
        service.events()
        .insert(
            calendarId=MAYA,
            body={
                "summary": "Dentist",
                "start": {"dateTime": "2026-12-02T09:00:00Z"},
                "end": {"dateTime": "2026-12-02T10:00:00Z"},
            },
        )
        .execute()
    )
    assert sync_user(studio, maya).counts.pulled == 1
    with studio.transaction() as session:
        pulled = session.scalar(select(Appointment).where(Appointment.origin == Origin.GOOGLE))
        assert pulled is not None and pulled.title == "Dentist" and pulled.type == "Google"
        pulled_id = pulled.id
    service.events().delete(calendarId=MAYA, eventId=made["id"]).execute()
    assert sync_user(studio, maya).counts.pulled_deleted == 1
    with studio.transaction() as session:
        assert session.get(Appointment, pulled_id) is None


def test_cancelling_in_the_studio_deletes_the_event(
    studio: Studio, google: SandboxHandle, maya: int
) -> None:
    sync_user(studio, maya)
    booked = _book(studio)
    sync_user(studio, maya)
    with studio.transaction() as session:
        appointments.update_appointment(session, booked, status=AppointmentStatus.CANCELLED)
    assert sync_user(studio, maya).counts.pushed_deleted == 1
    assert _events(google) == []


def test_a_lost_sync_token_resyncs_without_duplicates(
    studio: Studio, google: SandboxHandle, maya: int
) -> None:
    sync_user(studio, maya)
    for n in range(3):
        _book(studio, f"Session {n}")
    sync_user(studio, maya)
    google.expire_sync_tokens()
    result = sync_user(studio, maya)
    assert result.ok and result.full_resync
    assert len(_events(google)) == 3
    with studio.transaction() as session:
        assert len(list(session.scalars(select(Appointment)))) == 3


def test_a_revoked_account_stops_the_user_and_asks_to_reauthenticate(
    studio: Studio, google: SandboxHandle, maya: int
) -> None:
    google.revoke_account(MAYA)
    google.advance_clock(7200)  # the stored access token expires; the refresh is refused
    result = sync_user(studio, maya)
    assert result.stopped is ErrorCode.GOOGLE_REAUTH_NEEDED
    assert result.errors[0].params["google_email"] == MAYA
    with studio.transaction() as session:
        account = session.get(GoogleAccount, maya)
        assert account is not None and account.status is AccountStatus.NEEDS_REAUTH
    with pytest.raises(AuthError) as caught:  # no further attempt until re-authenticated
        sync_user(studio, maya)
    assert caught.value.code is ErrorCode.GOOGLE_REAUTH_NEEDED


def test_a_finished_populate_unchecks_itself(
    studio: Studio, google: SandboxHandle, maya: int
) -> None:
    sync_user(studio, maya)  # the first run starts at the feed's head: older ones wait
    with studio.transaction() as session:
        old = appointments.create_appointment(
            session,
            title="Old",
            start=START - dt.timedelta(days=30),
            end=START - dt.timedelta(days=30, hours=-1),
            users=[Assign("maya")],
        ).id
        del old
    with studio.transaction() as session:
        set_google_settings(session, "maya", populate_google=True)
    result = sync_user(studio, maya)
    assert result.clear_populate_google
    with studio.transaction() as session:
        assert google_settings(session, "maya").populate_google is False
    assert any(e["summary"] == "Old" for e in _events(google))


def test_sync_refuses_to_start_when_not_enabled(studio: Studio, maya: int) -> None:
    with studio.transaction() as session:
        set_google_settings(session, "maya", enabled=False)
    with pytest.raises(InputError) as caught:
        sync_user(studio, maya)
    assert caught.value.code is ErrorCode.SYNC_NOT_ENABLED
