"""Appointments: book, edit, reassign, cancel, delete and list; every change lands in the feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from studiosync.errors import ErrorCode, InputError, NotFoundError
from studiosync.studio import validation as check
from studiosync.studio.models import (
    Appointment,
    AppointmentStatus,
    Assignment,
    AssignmentRole,
    Company,
    Origin,
    User,
)
from studiosync.studio.when import in_words

When = dt.datetime | dt.date


@dataclass(frozen=True)
class Assign:
    """A user to put on an appointment (by login or id) and the part they play."""

    user: str | int
    role: AssignmentRole = AssignmentRole.OTHER


def _studio_zone(session: Session) -> str:
    zone = session.scalar(select(Company.time_zone).limit(1))
    return zone or "UTC"


def _aware(value: dt.datetime, zone: str) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(zone))


def _date_words(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _span_error(start: str, end: str, *, same: bool) -> InputError:
    """End equal to start is a zero length; an end before the start is worded as such."""
    code = ErrorCode.ENDS_WHEN_IT_STARTS if same else ErrorCode.END_BEFORE_START
    return InputError(code, field="end", start=start, end=end)


def _set_times(
    appointment: Appointment, start: When, end: When, *, all_day: bool, zone: str
) -> None:
    check.in_years("start", start)
    check.in_years("end", end)
    if all_day:
        if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
            raise InputError(ErrorCode.ALL_DAY_NEEDS_DATES, field="start")
        if end <= start:
            raise _span_error(_date_words(start), _date_words(end), same=end == start)
        tz = ZoneInfo(zone)
        appointment.start_date, appointment.end_date = start, end
        appointment.start_at = dt.datetime.combine(start, dt.time(), tzinfo=tz)
        appointment.end_at = dt.datetime.combine(end, dt.time(), tzinfo=tz)
    else:
        if not isinstance(start, dt.datetime) or not isinstance(end, dt.datetime):
            raise InputError(
                ErrorCode.INVALID_VALUE,
                field="start",
                value=str(start),
                reason="a timed appointment needs a date and a time",
            )
        start_at, end_at = _aware(start, zone), _aware(end, zone)
        if end_at <= start_at:
            raise _span_error(
                in_words(start_at, zone), in_words(end_at, zone), same=end_at == start_at
            )
        appointment.start_date = appointment.end_date = None
        appointment.start_at, appointment.end_at = start_at, end_at
    appointment.all_day = all_day
    appointment.time_zone = zone


def _current_span(appointment: Appointment) -> tuple[When, When]:
    if appointment.all_day and appointment.start_date and appointment.end_date:
        return appointment.start_date, appointment.end_date
    return appointment.start_at, appointment.end_at


def _assign(session: Session, appointment: Appointment, people: Sequence[Assign]) -> None:
    """Make the assignments exactly ``people``; a kept user keeps its row (the feed says update)."""
    wanted: dict[int, AssignmentRole] = {}
    for person in people:
        user: User = check.find_user(session, person.user)
        if not user.active:
            raise InputError(
                ErrorCode.INVALID_VALUE,
                field="user",
                value=user.login,
                reason="that user is inactive; reactivate them or choose another user",
            )
        wanted.setdefault(user.id, person.role)
    for assignment in list(appointment.assignments):
        if assignment.user_id not in wanted:
            appointment.assignments.remove(assignment)
        else:
            assignment.role = wanted.pop(assignment.user_id)
    for user_id, role in wanted.items():
        appointment.assignments.append(Assignment(user_id=user_id, role=role))


def create_appointment(
    session: Session,
    *,
    title: str,
    start: When,
    end: When,
    all_day: bool = False,
    time_zone: str | None = None,
    type: str = "Session",
    client: str | int | None = None,
    status: AppointmentStatus = AppointmentStatus.CONFIRMED,
    location: str | None = None,
    notes: str | None = None,
    users: Sequence[Assign] = (),
    resources: Sequence[str | int] = (),
    origin: Origin = Origin.STUDIO,
) -> Appointment:
    zone = check.time_zone("time zone", time_zone) if time_zone else _studio_zone(session)
    appointment = Appointment(
        title=check.required_text("title", title, max_length=300),
        type=check.required_text("type", type, max_length=100),
        status=status,
        location=check.optional_text(location),
        notes=check.optional_text(notes),
        origin=origin,
    )
    _set_times(appointment, start, end, all_day=all_day, zone=zone)
    appointment.client = check.find_client(session, client) if client is not None else None
    appointment.resources = [check.find_resource(session, key) for key in resources]
    _assign(session, appointment, users)
    session.add(appointment)
    session.flush()
    return appointment


def get_appointment(session: Session, appointment_id: int) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        raise NotFoundError(entity="appointment", key=str(appointment_id), command="appointment")
    return appointment


def update_appointment(
    session: Session,
    appointment_id: int,
    *,
    title: str | None = None,
    start: When | None = None,
    end: When | None = None,
    all_day: bool | None = None,
    time_zone: str | None = None,
    type: str | None = None,
    client: str | int | check.Unchanged | None = check.UNCHANGED,
    status: AppointmentStatus | None = None,
    location: str | check.Unchanged | None = check.UNCHANGED,
    notes: str | check.Unchanged | None = check.UNCHANGED,
    users: Sequence[Assign] | None = None,
    resources: Sequence[str | int] | None = None,
) -> Appointment:
    appointment = get_appointment(session, appointment_id)
    if title is not None:
        appointment.title = check.required_text("title", title, max_length=300)
    if type is not None:
        appointment.type = check.required_text("type", type, max_length=100)
    if any(value is not None for value in (start, end, all_day, time_zone)):
        whole_day = appointment.all_day if all_day is None else all_day
        zone = check.time_zone("time zone", time_zone) if time_zone else appointment.time_zone
        old_start, old_end = _current_span(appointment)
        _set_times(
            appointment,
            start if start is not None else old_start,
            end if end is not None else old_end,
            all_day=whole_day,
            zone=zone,
        )
    if client is not check.UNCHANGED:
        appointment.client = (
            check.find_client(session, client) if isinstance(client, str | int) else None
        )
    if status is not None:
        appointment.status = status
    if location is not check.UNCHANGED:
        appointment.location = check.optional_text(location if isinstance(location, str) else None)
    if notes is not check.UNCHANGED:
        appointment.notes = check.optional_text(notes if isinstance(notes, str) else None)
    if resources is not None:
        appointment.resources = [check.find_resource(session, key) for key in resources]
    if users is not None:
        _assign(session, appointment, users)
    session.flush()
    return appointment


def cancel_appointment(session: Session, appointment_id: int) -> Appointment:
    return update_appointment(session, appointment_id, status=AppointmentStatus.CANCELLED)


def delete_appointment(session: Session, appointment_id: int) -> None:
    session.delete(get_appointment(session, appointment_id))
    session.flush()


def list_appointments(
    session: Session,
    *,
    user: str | int | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    include_cancelled: bool = True,
) -> list[Appointment]:
    """Appointments overlapping [start, end), optionally of one user, in time order."""
    query = (
        select(Appointment)
        .options(selectinload(Appointment.assignments), selectinload(Appointment.resources))
        .order_by(Appointment.start_at, Appointment.id)
    )
    if user is not None:
        person = check.find_user(session, user)
        query = query.join(Assignment).where(Assignment.user_id == person.id)
    if start is not None:
        query = query.where(Appointment.end_at > start)
    if end is not None:
        query = query.where(Appointment.start_at < end)
    if not include_cancelled:
        query = query.where(Appointment.status != AppointmentStatus.CANCELLED)
    return list(session.scalars(query))
