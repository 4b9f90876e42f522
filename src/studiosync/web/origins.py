"""Where each appointment came from, in words: the studio, or the calendar service it came from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.accounts.connections import services_of
from studiosync.choices import Origin
from studiosync.studio.models import Appointment
from studiosync.syncstate.models import SyncMapping


@dataclass(frozen=True)
class OriginWords:
    """``long`` for the appointment's page ("Came from iCloud"), ``short`` for its week card."""

    long: str
    short: str


MADE_HERE = OriginWords("Made in the studio", "Booked here")


def origin_words(db: Session, appointments: Iterable[Appointment | None]) -> dict[int, OriginWords]:
    """Each appointment's origin. One that came from a calendar names the service of the user
    whose calendar it came from (else of its first assigned user; Google when none is known)."""
    shown = [a for a in appointments if a is not None]
    imported = [a for a in shown if a.origin is Origin.GOOGLE]
    importer: dict[int, int] = {}
    if imported:
        rows = db.execute(
            select(SyncMapping.appointment_id, SyncMapping.user_id).where(
                SyncMapping.appointment_id.in_([a.id for a in imported]),
                SyncMapping.origin == Origin.GOOGLE.value,
            )
        )
        importer = {row.appointment_id: row.user_id for row in rows}
    for appointment in imported:
        if appointment.id not in importer and appointment.assignments:
            importer[appointment.id] = appointment.assignments[0].user_id
    services = services_of(db, set(importer.values()))
    words: dict[int, OriginWords] = {}
    for appointment in shown:
        if appointment.origin is Origin.GOOGLE:
            user_id = importer.get(appointment.id)
            service = services.get(user_id, "Google") if user_id is not None else "Google"
            words[appointment.id] = OriginWords(f"Came from {service}", f"From {service}")
        else:
            words[appointment.id] = MADE_HERE
    return words
