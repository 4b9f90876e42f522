"""The appointment form: what it holds as typed, and how it becomes the service's values."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy.orm import Session

from studiosync.errors import ErrorCode, InputError
from studiosync.studio.appointments import Assign, When
from studiosync.studio.clients import list_clients
from studiosync.studio.models import (
    Appointment,
    AppointmentStatus,
    AssignmentRole,
    Client,
    Resource,
    User,
)
from studiosync.studio.people import list_resources, list_users
from studiosync.web.forms import checked, optional_date, record_id, required_date, required_time

FIELDS = frozenset(
    {
        "title", "type", "client", "status", "start", "end", "start_date", "start_time",
        "end_date", "end_time", "all_day", "location", "notes", "user", "resource",
    }
)  # fmt: skip
ROLE_LABELS = {
    AssignmentRole.PHOTOGRAPHER: "Photographer",
    AssignmentRole.ASSISTANT: "Assistant",
    AssignmentRole.OTHER: "Other",
}
STATUS_LABELS = {
    AppointmentStatus.CONFIRMED: "Confirmed",
    AppointmentStatus.TENTATIVE: "Tentative",
    AppointmentStatus.CANCELLED: "Cancelled",
}
MAX_CLIENTS_IN_LIST = 2000


class AppointmentForm(BaseModel):
    """The appointment form as typed. ``assign`` holds 'user id:role' per assigned user."""

    title: str = ""
    type: str = "Session"
    client: str = ""
    status: str = AppointmentStatus.CONFIRMED.value
    all_day: str = ""
    start_date: str = ""
    start_time: str = "09:00"
    end_date: str = ""
    end_time: str = "10:00"
    location: str = ""
    notes: str = ""
    assign: list[str] = []
    resources: list[str] = []
    version: str = ""
    allow_double_booking: str = ""

    @classmethod
    def of(cls, appointment: Appointment, zone: str) -> AppointmentForm:
        tz = ZoneInfo(zone)
        if appointment.all_day and appointment.start_date and appointment.end_date:
            first, last = appointment.start_date, appointment.end_date - dt.timedelta(days=1)
            start_time, end_time = "09:00", "10:00"
        else:
            starts, ends = appointment.start_at.astimezone(tz), appointment.end_at.astimezone(tz)
            first, last = starts.date(), ends.date()
            start_time, end_time = f"{starts:%H:%M}", f"{ends:%H:%M}"
        return cls(
            title=appointment.title,
            type=appointment.type,
            client=str(appointment.client_id or ""),
            status=appointment.status.value,
            all_day="on" if appointment.all_day else "",
            start_date=first.isoformat(),
            start_time=start_time,
            end_date=last.isoformat(),
            end_time=end_time,
            location=appointment.location or "",
            notes=appointment.notes or "",
            assign=[f"{a.user_id}:{a.role.value}" for a in appointment.assignments],
            resources=[str(resource.id) for resource in appointment.resources],
            version=str(appointment.version),
        )

    def roles(self) -> dict[int, str]:
        """Who is assigned, as typed: user id -> role."""
        chosen: dict[int, str] = {}
        for value in self.assign:
            user, _, role = value.partition(":")
            if user.strip().isdigit() and role:
                chosen.setdefault(int(user), role)
        return chosen

    def people(self) -> list[Assign]:
        assigned: list[Assign] = []
        for user_id, role in self.roles().items():
            try:
                part = AssignmentRole(role)
            except ValueError as exc:
                raise InputError(
                    ErrorCode.INVALID_VALUE,
                    field="user",
                    value=role,
                    reason="a user is photographer, assistant or other",
                ) from exc
            assigned.append(Assign(record_id("user", user_id, "user"), part))
        return assigned

    def resource_ids(self) -> list[int]:
        return [record_id("resource", value, "resource") for value in self.resources if value]

    def client_id(self) -> int | None:
        return record_id("client", self.client, "client") if self.client.strip() else None

    def appointment_status(self) -> AppointmentStatus:
        try:
            return AppointmentStatus(self.status)
        except ValueError as exc:
            raise InputError(
                ErrorCode.INVALID_VALUE,
                field="status",
                value=self.status,
                reason="it is confirmed, tentative or cancelled",
            ) from exc

    def span(self, zone: str) -> tuple[When, When, bool]:
        """Start, end and all-day as the service takes them; an all-day last day is included."""
        first = required_date("start date", self.start_date)
        last = optional_date("end date", self.end_date) or first
        if checked(self.all_day):
            return first, last + dt.timedelta(days=1), True
        tz = ZoneInfo(zone)
        starts = dt.datetime.combine(first, required_time("start time", self.start_time), tz)
        ends = dt.datetime.combine(last, required_time("end time", self.end_time), tz)
        return starts, ends, False

    def version_matches(self, appointment: Appointment) -> None:
        if self.version and self.version != str(appointment.version):
            raise InputError(ErrorCode.APPOINTMENT_CHANGED, appointment=appointment.id)


@dataclass(frozen=True)
class Choices:
    """What the form offers to pick from."""

    users: list[User]
    clients: list[Client]
    resources: list[Resource]

    @property
    def client_options(self) -> list[tuple[int, str]]:
        """Each client by name; a name shared by several also shows an email or phone."""
        counts = Counter(client.name.casefold() for client in self.clients)
        options: list[tuple[int, str]] = []
        for client in self.clients:
            label = client.name
            if counts[client.name.casefold()] > 1:
                contact = next(iter(client.emails), None) or next(iter(client.phones), None)
                label = f"{client.name} ({contact or f'client no. {client.id}'})"
            options.append((client.id, label))
        return options


def choices(db: Session, form: AppointmentForm) -> Choices:
    """Active users (and anyone already assigned), every client and resource."""
    assigned = set(form.roles())
    users = [user for user in list_users(db) if user.active or user.id in assigned]
    clients = list_clients(db)[:MAX_CLIENTS_IN_LIST]
    return Choices(users=users, clients=clients, resources=list_resources(db))
