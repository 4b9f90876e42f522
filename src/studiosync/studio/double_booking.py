"""Double bookings: the same room or the same person in two appointments at overlapping times."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.errors import ErrorCode, InputError
from studiosync.studio.models import (
    Appointment,
    AppointmentStatus,
    Assignment,
    Company,
    Resource,
    User,
    appointment_resources,
)
from studiosync.studio.when import in_words

SHOWN = 3


@dataclass(frozen=True)
class Clash:
    """One room or person already taken at that time, and by what."""

    who: str  # the room's or the person's name
    title: str
    start: str
    end: str


def _overlapping(appointment: Appointment) -> list[object]:
    return [
        Appointment.id != appointment.id,
        Appointment.status != AppointmentStatus.CANCELLED,
        Appointment.start_at < appointment.end_at,
        Appointment.end_at > appointment.start_at,
    ]


def clashes(session: Session, appointment: Appointment) -> list[Clash]:
    """What ``appointment`` (saved, not cancelled) double-books, in time order."""
    if appointment.status is AppointmentStatus.CANCELLED:
        return []
    zone = session.scalar(select(Company.time_zone).limit(1)) or "UTC"
    users = appointment.user_ids
    rooms = [resource.id for resource in appointment.resources]
    found: list[tuple[str, Appointment]] = []
    if users:
        rows = session.execute(
            select(User.display_name, Appointment)
            .join(Assignment, Assignment.appointment_id == Appointment.id)
            .join(User, User.id == Assignment.user_id)
            .where(Assignment.user_id.in_(users), *_overlapping(appointment))  # type: ignore[arg-type]
        ).all()
        found.extend((name, other) for name, other in rows)
    if rooms:
        rows = session.execute(
            select(Resource.name, Appointment)
            .join(appointment_resources, appointment_resources.c.appointment_id == Appointment.id)
            .join(Resource, Resource.id == appointment_resources.c.resource_id)
            .where(appointment_resources.c.resource_id.in_(rooms), *_overlapping(appointment))  # type: ignore[arg-type]
        ).all()
        found.extend((name, other) for name, other in rows)
    found.sort(key=lambda pair: (pair[1].start_at, pair[0]))
    return [
        Clash(
            who,
            other.title,
            in_words(other.start_at, zone),
            in_words(other.end_at, zone, time_only=True),
        )
        for who, other in found
    ]


def refuse_double_booking(session: Session, appointment: Appointment) -> None:
    """Raise DOUBLE_BOOKING naming what clashes; the caller rolls back (nothing is saved)."""
    found = clashes(session, appointment)
    if not found:
        return
    words = "; ".join(
        f"{clash.who} is already booked for “{clash.title}”, {clash.start}–{clash.end}"
        for clash in found[:SHOWN]
    )
    more = len(found) - SHOWN
    if more > 0:
        words += f"; and {more} more"
    raise InputError(ErrorCode.DOUBLE_BOOKING, field="double_booking", clashes=words)
