"""A believable demo studio: photographers, an assistant, rooms, clients, groups, appointments."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.studio.appointments import Assign, create_appointment
from studiosync.studio.clients import create_client, create_group
from studiosync.studio.company import get_company
from studiosync.studio.models import (
    AppointmentStatus,
    AssignmentRole,
    ResourceKind,
    Role,
    User,
)
from studiosync.studio.people import create_resource, create_user

STAFF = (
    ("maya", "Maya Lindqvist", Role.PHOTOGRAPHER),
    ("theo", "Theo Okafor", Role.PHOTOGRAPHER),
    ("ines", "Ines Duarte", Role.ASSISTANT),
)
ROOMS = ("Studio A", "Studio B")
GROUPS = ("Weddings", "Families & Portraits")
FIRST = ("Amelia", "Noah", "Olivia", "Liam", "Sofia", "Lucas", "Hannah", "Mateo", "Chloe", "Ethan")
LAST = ("Fischer", "Nakamura", "Brennan", "Kowalski", "Haddad", "Moreau", "Rossi", "Jensen")
SESSIONS = (
    ("Wedding consultation", 60, 0),
    ("Engagement shoot", 120, 0),
    ("Family portrait", 90, 1),
    ("Newborn session", 120, 1),
    ("Headshots", 45, 1),
    ("Album review", 60, 0),
)
DEMO_PASSWORD = "studiosync"  # noqa: S105 - the documented demo login, not a secret


@dataclass(frozen=True)
class DemoSummary:
    users: int
    resources: int
    clients: int
    groups: int
    appointments: int
    created: bool


def load_demo_data(session: Session, *, today: dt.date | None = None, seed: int = 7) -> DemoSummary:
    """Fill an empty studio with demo data; a studio that already has it is left as it is."""
    if session.scalar(select(User.id).where(User.login == STAFF[0][0])) is not None:
        return DemoSummary(len(STAFF), len(ROOMS), 20, len(GROUPS), 50, created=False)
    rng = random.Random(seed)
    zone = ZoneInfo(get_company(session).time_zone)
    today = today or dt.datetime.now(zone).date()
    create_user(
        session,
        login="admin",
        display_name="Studio Admin",
        role=Role.ADMIN,
        email="admin@studio.example",
        password=DEMO_PASSWORD,
    )
    users = [
        create_user(
            session,
            login=login,
            display_name=name,
            role=role,
            email=f"{login}@studio.example",
            password=DEMO_PASSWORD,
        )
        for login, name, role in STAFF
    ]
    rooms = [create_resource(session, kind=ResourceKind.ROOM, name=name) for name in ROOMS]
    groups = [create_group(session, name=name) for name in GROUPS]
    clients = []
    for number in range(20):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        clients.append(
            create_client(
                session,
                name=f"{first} {last}",
                emails=[f"{first}.{last}{number}@example.com".lower()],
                phones=[f"+1 555 01{number:02d}"],
                groups=[groups[number % 2].id],
            )
        )
    photographers = [user for user in users if user.role is Role.PHOTOGRAPHER]
    assistant = next(user for user in users if user.role is Role.ASSISTANT)
    for number in range(50):
        kind, minutes, group_index = rng.choice(SESSIONS)
        client = rng.choice([c for c in clients if c.groups[0].id == groups[group_index].id])
        day = today + dt.timedelta(days=rng.randint(-28, 28))
        start = dt.datetime.combine(day, dt.time(rng.choice((9, 10, 11, 13, 14, 15, 16))), zone)
        people = [Assign(rng.choice(photographers).id, AssignmentRole.PHOTOGRAPHER)]
        if number % 3 == 0:
            people.append(Assign(assistant.id, AssignmentRole.ASSISTANT))
        create_appointment(
            session,
            title=kind,
            type=kind.split()[0],
            client=client.id,
            start=start,
            end=start + dt.timedelta(minutes=minutes),
            users=people,
            resources=[rng.choice(rooms).id],
            status=AppointmentStatus.TENTATIVE if number % 10 == 9 else AppointmentStatus.CONFIRMED,
            notes=f"Booked for {client.name}." if number % 4 == 0 else None,
        )
    return DemoSummary(len(users) + 1, len(rooms), len(clients), len(groups), 50, created=True)
