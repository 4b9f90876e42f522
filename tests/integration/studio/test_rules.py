"""The studio's rules: each bad input is one clear error naming the field, and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studiosync.context import Studio
from studiosync.errors import DuplicateError, ErrorCode, InputError, NotFoundError
from studiosync.studio import appointments, clients, company, google_options, people
from studiosync.studio.appointments import Assign
from studiosync.studio.models import (
    Appointment,
    AppointmentChange,
    AssignmentRole,
    ResourceKind,
    Role,
    SmtpSecurity,
)
from studiosync.studio.passwords import verify_password

START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def staffed(studio: Studio) -> Studio:
    with studio.transaction() as session:
        people.create_user(session, login="maya", role=Role.PHOTOGRAPHER, password="pw")
        people.create_user(session, login="ines", role=Role.ASSISTANT)
        people.create_resource(session, kind=ResourceKind.ROOM, name="Studio A")
        clients.create_group(session, name="Google contacts")
        clients.create_client(session, name="Jane Doe", emails=["Jane@Example.com"])
    return studio


def _counts(studio: Studio) -> tuple[int, int]:
    with studio.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(Appointment)) or 0,
            session.scalar(select(func.count()).select_from(AppointmentChange)) or 0,
        )


def _book(session: Session, **overrides: object) -> Appointment:
    fields: dict[str, object] = {
        "title": "Portrait",
        "start": START,
        "end": START + dt.timedelta(hours=1),
        "users": [Assign("maya", AssignmentRole.PHOTOGRAPHER)],
    }
    fields.update(overrides)
    return appointments.create_appointment(session, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"end": START - dt.timedelta(minutes=1)}, ErrorCode.END_BEFORE_START, "end"),
        ({"end": START}, ErrorCode.ENDS_WHEN_IT_STARTS, "end"),
        ({"users": [Assign("nobody")]}, ErrorCode.NOT_FOUND, None),
        ({"client": "No Such Client"}, ErrorCode.NOT_FOUND, None),
        ({"users": [Assign("Studio A")]}, ErrorCode.RESOURCE_NOT_USER, "user"),
        ({"resources": ["Studio Z"]}, ErrorCode.NOT_FOUND, None),
        ({"title": "  "}, ErrorCode.FIELD_REQUIRED, "title"),
        ({"time_zone": "Mars/Olympus"}, ErrorCode.INVALID_TIMEZONE, "time zone"),
        (
            {"all_day": True, "start": START, "end": START + dt.timedelta(days=1)},
            ErrorCode.ALL_DAY_NEEDS_DATES,
            "start",
        ),
        (
            {"all_day": True, "start": dt.date(2026, 12, 2), "end": dt.date(2026, 12, 2)},
            ErrorCode.ENDS_WHEN_IT_STARTS,
            "end",
        ),
    ],
)
def test_bad_appointments_are_refused_and_write_nothing(
    staffed: Studio, overrides: dict[str, object], code: ErrorCode, field: str | None
) -> None:
    before = _counts(staffed)
    with pytest.raises(InputError) as caught, staffed.transaction() as session:
        _book(session, **overrides)
    assert caught.value.code is code
    if field:
        assert caught.value.params["field"] == field
    assert _counts(staffed) == before


def test_a_failure_late_in_a_unit_of_work_undoes_the_earlier_writes(staffed: Studio) -> None:
    before = _counts(staffed)
    with pytest.raises(NotFoundError), staffed.transaction() as session:
        _book(session)
        _book(session, users=[Assign("nobody")])
    assert _counts(staffed) == before


def test_all_day_appointments_keep_dates_with_an_exclusive_end(staffed: Studio) -> None:
    with staffed.transaction() as session:
        booked = _book(
            session, all_day=True, start=dt.date(2026, 12, 24), end=dt.date(2026, 12, 26)
        )
        assert (booked.start_date, booked.end_date) == (
            dt.date(2026, 12, 24),
            dt.date(2026, 12, 26),
        )
        assert booked.start_at == dt.datetime(2026, 12, 24, tzinfo=dt.UTC)  # London in winter


def test_naive_times_are_read_in_the_studio_time_zone(staffed: Studio) -> None:
    with staffed.transaction() as session:
        booked = _book(
            session,
            start=dt.datetime(2026, 7, 1, 10, 0),
            end=dt.datetime(2026, 7, 1, 11, 0),
        )
        assert booked.start_at == dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)
        assert booked.time_zone == "Europe/London"


def test_duplicate_login_is_refused_case_insensitively(staffed: Studio) -> None:
    with pytest.raises(DuplicateError) as caught, staffed.transaction() as session:
        people.create_user(session, login="MAYA")
    assert caught.value.params == {"entity": "user", "field": "login", "value": "MAYA"}


def test_a_user_cannot_take_a_resource_name_and_back(staffed: Studio) -> None:
    with pytest.raises(DuplicateError), staffed.transaction() as session:
        people.create_user(session, login="Studio-A")
        people.create_resource(session, kind=ResourceKind.ROOM, name="Studio-A")


def test_google_options_on_a_resource_say_resources_cannot_sync(staffed: Studio) -> None:
    with pytest.raises(InputError) as caught, staffed.transaction() as session:
        google_options.set_google_settings(session, "Studio A", enabled=True)
    assert caught.value.code is ErrorCode.RESOURCE_CANNOT_SYNC
    assert caught.value.params["kind"] == "room"


def test_enabling_sync_needs_a_warnings_address(staffed: Studio) -> None:
    with pytest.raises(InputError) as caught, staffed.transaction() as session:
        google_options.set_google_settings(session, "maya", enabled=True)
    assert caught.value.code is ErrorCode.WARNINGS_ADDRESS_REQUIRED
    with staffed.transaction() as session:
        assert google_options.google_settings(session, "maya").enabled is False


def test_turning_warnings_off_while_enabled_is_refused(staffed: Studio) -> None:
    with staffed.transaction() as session:
        google_options.set_google_settings(
            session, "maya", enabled=True, warnings_email="maya@example.com"
        )
    with pytest.raises(InputError) as caught, staffed.transaction() as session:
        google_options.set_google_settings(session, "maya", email_warnings=False)
    assert caught.value.code is ErrorCode.WARNINGS_ADDRESS_REQUIRED


def test_contacts_sync_needs_an_existing_client_group(staffed: Studio) -> None:
    with pytest.raises(InputError) as caught, staffed.transaction() as session:
        google_options.set_google_settings(session, "maya", import_contacts=True)
    assert caught.value.code is ErrorCode.CLIENT_GROUP_REQUIRED
    with pytest.raises(NotFoundError), staffed.transaction() as session:
        google_options.set_google_settings(
            session, "maya", import_contacts=True, contacts_group="Nope"
        )
    with staffed.transaction() as session:
        tab = google_options.set_google_settings(
            session, "maya", import_contacts=True, contacts_group="Google contacts"
        )
        assert tab.contacts_group is not None


def test_the_contacts_group_cannot_be_deleted_while_in_use(staffed: Studio) -> None:
    with staffed.transaction() as session:
        google_options.set_google_settings(
            session, "maya", import_contacts=True, contacts_group="Google contacts"
        )
    with pytest.raises(InputError) as caught, staffed.transaction() as session:
        clients.delete_group(session, "Google contacts")
    assert "maya" in caught.value.params["reason"]


def test_bad_email_addresses_are_refused(staffed: Studio) -> None:
    with pytest.raises(InputError) as caught, staffed.transaction() as session:
        clients.create_client(session, name="X", emails=["not-an-address"])
    assert caught.value.code is ErrorCode.INVALID_EMAIL


def test_clients_are_found_by_email_regardless_of_case(staffed: Studio) -> None:
    with staffed.transaction() as session:
        found = clients.clients_with_email(session, "JANE@example.COM")
        assert [client.name for client in found] == ["Jane Doe"]


def test_passwords_are_hashed_with_argon2(staffed: Studio) -> None:
    with staffed.transaction() as session:
        maya = people.update_user(session, "maya")
        assert maya.password_hash and maya.password_hash.startswith("$argon2")
        assert verify_password(maya.password_hash, "pw")
        assert not verify_password(maya.password_hash, "PW")


def test_smtp_password_is_stored_encrypted_and_read_back(staffed: Studio) -> None:
    with staffed.transaction() as session:
        company.set_email_settings(
            session,
            staffed.box,
            host="smtp.example.com",
            port=587,
            security=SmtpSecurity.STARTTLS,
            username="studio",
            password="s3cret-pw",
            from_address="studio@example.com",
        )
    with staffed.transaction() as session:
        stored = company.get_company(session).smtp_password_encrypted
        assert stored and "s3cret-pw" not in stored
        settings = company.email_settings(session, staffed.box)
        assert settings.password == "s3cret-pw"
        assert "s3cret-pw" not in repr(settings)


def test_smtp_port_out_of_range_is_refused(staffed: Studio) -> None:
    with pytest.raises(InputError) as caught, staffed.transaction() as session:
        company.set_email_settings(session, staffed.box, port=70000)
    assert caught.value.params["field"] == "SMTP port"


def test_inactive_users_cannot_be_assigned(staffed: Studio) -> None:
    with staffed.transaction() as session:
        people.update_user(session, "ines", active=False)
    with pytest.raises(InputError) as caught, staffed.transaction() as session:
        _book(session, users=[Assign("ines")])
    assert caught.value.params["field"] == "user"


def test_a_booked_resource_cannot_be_deleted(staffed: Studio) -> None:
    with staffed.transaction() as session:
        _book(session, resources=["Studio A"])
    with pytest.raises(InputError), staffed.transaction() as session:
        people.delete_resource(session, "Studio A")
