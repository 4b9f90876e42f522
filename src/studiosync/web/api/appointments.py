"""API: appointments: list by time and user, book, read, change, cancel, delete."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path, Query, Response
from pydantic import AfterValidator

from studiosync.errors import ErrorCode, InputError
from studiosync.studio import appointments as service
from studiosync.studio.appointments import Assign, When
from studiosync.studio.validation import find_user
from studiosync.web.api.common import api_router, appointment_out, given, sent
from studiosync.web.api.schemas import (
    AppointmentCreate,
    AppointmentOut,
    AppointmentPatch,
    AssignmentIn,
    in_years,
)
from studiosync.web.deps import ApiUser, Db
from studiosync.web.forms import MAX_ID

router = api_router("/appointments", "appointments", admin=False)
AppointmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryMoment = Annotated[dt.datetime | None, AfterValidator(in_years)]


def _people(users: list[AssignmentIn]) -> list[Assign]:
    return [Assign(person.user_id, person.role) for person in users]


def _span(
    all_day: bool,
    start: dt.datetime | None,
    end: dt.datetime | None,
    start_date: dt.date | None,
    end_date: dt.date | None,
) -> tuple[When, When]:
    if all_day:
        if start_date is None or end_date is None:
            raise InputError(
                ErrorCode.FIELD_REQUIRED, field="start_date" if start_date is None else "end_date"
            )
        return start_date, end_date
    if start is None or end is None:
        raise InputError(ErrorCode.FIELD_REQUIRED, field="start" if start is None else "end")
    return start, end


@router.get("")
def list_appointments(
    db: Db,
    me: ApiUser,
    start: Annotated[QueryMoment, Query(alias="from", description="Overlapping from.")] = None,
    end: Annotated[QueryMoment, Query(alias="to", description="Overlapping until.")] = None,
    user: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this user's.")] = None,
    include_cancelled: bool = True,
) -> list[AppointmentOut]:
    """Appointments overlapping [from, to) in time order; times without offset are UTC."""
    found = service.list_appointments(
        db,
        user=find_user(db, user).id if user is not None else None,
        start=start if start is None or start.tzinfo else start.replace(tzinfo=dt.UTC),
        end=end if end is None or end.tzinfo else end.replace(tzinfo=dt.UTC),
        include_cancelled=include_cancelled,
    )
    return [appointment_out(appointment) for appointment in found]


@router.post("", status_code=201)
def book_appointment(db: Db, me: ApiUser, body: AppointmentCreate) -> AppointmentOut:
    start, end = _span(body.all_day, body.start, body.end, body.start_date, body.end_date)
    appointment = service.create_appointment(
        db,
        title=body.title,
        start=start,
        end=end,
        all_day=body.all_day,
        time_zone=body.time_zone,
        type=body.type,
        client=body.client_id,
        status=body.status,
        location=body.location,
        notes=body.notes,
        users=_people(body.users),
        resources=list(body.resources),
    )
    return appointment_out(appointment)


@router.get("/{appointment_id}")
def get_appointment(db: Db, me: ApiUser, appointment_id: AppointmentId) -> AppointmentOut:
    return appointment_out(service.get_appointment(db, appointment_id))


@router.patch("/{appointment_id}")
def change_appointment(
    db: Db, me: ApiUser, appointment_id: AppointmentId, body: AppointmentPatch
) -> AppointmentOut:
    current = service.get_appointment(db, appointment_id)
    if body.version is not None and body.version != current.version:
        raise InputError(ErrorCode.APPOINTMENT_CHANGED, appointment=appointment_id)
    all_day = current.all_day if body.all_day is None else body.all_day
    timing = {"start", "end", "start_date", "end_date", "all_day"} & body.model_fields_set
    start: When | None = None
    end: When | None = None
    if timing:
        start = body.start_date if all_day else body.start
        end = body.end_date if all_day else body.end
    users = sent(body, "users")
    resources = sent(body, "resources")
    appointment = service.update_appointment(
        db,
        appointment_id,
        title=sent(body, "title"),
        start=start,
        end=end,
        all_day=body.all_day,
        type=sent(body, "type"),
        client=given(body, "client_id"),
        status=sent(body, "status"),
        location=given(body, "location"),
        notes=given(body, "notes"),
        users=_people(users) if users is not None else None,
        resources=list(resources) if resources is not None else None,
    )
    return appointment_out(appointment)


@router.post("/{appointment_id}/cancel")
def cancel_appointment(db: Db, me: ApiUser, appointment_id: AppointmentId) -> AppointmentOut:
    """Mark it cancelled; it is removed from the assigned users' Google calendars."""
    return appointment_out(service.cancel_appointment(db, appointment_id))


@router.delete("/{appointment_id}", status_code=204)
def delete_appointment(db: Db, me: ApiUser, appointment_id: AppointmentId) -> Response:
    service.delete_appointment(db, appointment_id)
    return Response(status_code=204)
