"""Which appointments came from the same repeating event, and each one's place in it.

The studio keeps no series of its own: each occurrence of a repeating event (in Google or a
CalDAV calendar) becomes an appointment. What ties them is the occurrence's id,
``<series id>_<original start>`` in Google and ``<series id>@<original start>`` from CalDAV (the
start as ``YYYYMMDD`` or ``YYYYMMDDTHHMMSSZ``), kept with each appointment in the sync state
(the event it was made from, and its link). Occurrences are counted among the live appointments
of the same user's series, in time order: "2 of 5".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from studiosync.accounts.connections import services_of
from studiosync.studio.models import Appointment, AppointmentStatus
from studiosync.syncstate.models import EventSource, SyncMapping

_INSTANCE = re.compile(r"^(?P<series>.+)(?P<separator>[_@])(?P<start>\d{8}(?:T\d{6}Z)?)$")
SeriesKey = tuple[int, str]  # the user whose calendar holds it, and the series id
GOOGLE_SEPARATOR, DAV_SEPARATOR = "_", "@"


def series_of(event_id: str, separator: str = GOOGLE_SEPARATOR) -> str | None:
    """The series id in an occurrence's id (Google's ``_`` form unless told), or ``None`` for an
    event that does not repeat."""
    found = _INSTANCE.match(event_id)
    return found.group("series") if found and found.group("separator") == separator else None


@dataclass(frozen=True)
class SeriesMark:
    """One appointment's place among the occurrences of its repeating event."""

    position: int
    total: int
    service: str = "Google"

    @property
    def words(self) -> str:
        return f"Repeats in {self.service} · {self.position} of {self.total}"

    @property
    def short(self) -> str:
        return f"repeats in {self.service}, {self.position} of {self.total}"

    @property
    def detail(self) -> str:
        return (
            f"One of {self.total} appointments made from the same repeating {self.service} "
            "event; each can be changed on its own."
        )


Source = type[EventSource] | type[SyncMapping]


def _links(
    session: Session, where: Callable[[Source], list[ColumnElement[bool]]]
) -> Iterator[tuple[int, int, str]]:
    """(user, appointment, event id) of appointments made from remote events, as ``where``
    picks."""
    for model in (EventSource, SyncMapping):
        query = select(model.user_id, model.appointment_id, model.event_id).where(*where(model))
        if model is SyncMapping:
            query = query.where(SyncMapping.origin == "google")
        for row in session.execute(query):
            yield row[0], row[1], row[2]


def series_marks(session: Session, appointments: Sequence[Appointment]) -> dict[int, SeriesMark]:
    """For each of ``appointments`` made from a repeating event, its place in it."""
    ids = [appointment.id for appointment in appointments]
    found = list(_links(session, lambda model: [model.appointment_id.in_(ids)]))
    services = services_of(session, {user_id for user_id, _, _ in found})

    def separator(user_id: int) -> str:
        return DAV_SEPARATOR if user_id in services else GOOGLE_SEPARATOR

    keys: dict[int, SeriesKey] = {}
    for user_id, appointment_id, event_id in found:
        series = series_of(event_id, separator(user_id))
        if series is not None:
            keys.setdefault(appointment_id, (user_id, series))
    if not keys:
        return {}
    wanted = set(keys.values())
    users = {user for user, _ in wanted}
    prefixes = {f"{series}{separator(user)}" for user, series in wanted}
    members: dict[SeriesKey, set[int]] = defaultdict(set)
    for user_id, appointment_id, event_id in _links(
        session,
        lambda model: [
            model.user_id.in_(users),
            or_(*(model.event_id.startswith(prefix, autoescape=True) for prefix in prefixes)),
        ],
    ):
        key = (user_id, series_of(event_id, separator(user_id)) or "")
        if key in wanted:
            members[key].add(appointment_id)
    everyone = {member for group in members.values() for member in group}
    live = select(Appointment.id, Appointment.start_at).where(
        Appointment.id.in_(everyone), Appointment.status != AppointmentStatus.CANCELLED
    )
    starts = {row[0]: row[1] for row in session.execute(live)}
    marks: dict[int, SeriesMark] = {}
    for appointment_id, key in keys.items():
        order = sorted((m for m in members[key] if m in starts), key=lambda m: (starts[m], m))
        if appointment_id in order:
            service = services.get(key[0], "Google")
            marks[appointment_id] = SeriesMark(order.index(appointment_id) + 1, len(order), service)
    return marks
