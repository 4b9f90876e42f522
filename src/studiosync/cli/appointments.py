"""CLI: `studiosync appointment …`: book, list, edit, cancel and delete appointments."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from studiosync.choices import AppointmentStatus, AssignmentRole
from studiosync.cli.common import done, parse_date, parse_datetime, table, transaction

if TYPE_CHECKING:
    from studiosync.studio.appointments import Assign, When
    from studiosync.studio.models import Appointment

appointments = typer.Typer(help="Appointments: book, list, edit, cancel, delete.")

Photographer = Annotated[
    list[str] | None, typer.Option("--photographer", help="A user (login); repeatable.")
]
Assistant = Annotated[list[str] | None, typer.Option("--assistant", help="A user; repeatable.")]
Other = Annotated[
    list[str] | None, typer.Option("--user", help="Another assigned user; repeatable.")
]
Resources = Annotated[
    list[str] | None, typer.Option("--resource", help="A room or location; repeatable.")
]
AllowDouble = Annotated[
    bool,
    typer.Option(
        "--allow-double-booking",
        help="Book even if a room or person is already booked at that time.",
    ),
]
Start = Annotated[str, typer.Option(help="'YYYY-MM-DD HH:MM' (or a date with --all-day).")]


def _people(
    photographers: list[str] | None, assistants: list[str] | None, others: list[str] | None
) -> list[Assign]:
    from studiosync.studio.appointments import Assign

    return [
        *(Assign(key, AssignmentRole.PHOTOGRAPHER) for key in photographers or []),
        *(Assign(key, AssignmentRole.ASSISTANT) for key in assistants or []),
        *(Assign(key, AssignmentRole.OTHER) for key in others or []),
    ]


def _span(start: str, end: str | None, minutes: int | None, all_day: bool) -> tuple[When, When]:
    """Start and end as the service wants them; an all-day end is the last day, included."""
    if all_day:
        first = parse_date("start", start)
        last = parse_date("end", end) if end else first
        return first, last + dt.timedelta(days=1)
    begins = parse_datetime("start", start)
    if end is not None:
        return begins, parse_datetime("end", end)
    return begins, begins + dt.timedelta(minutes=minutes or 60)


def _when(appointment: Appointment) -> str:
    if appointment.all_day and appointment.start_date and appointment.end_date:
        last = appointment.end_date - dt.timedelta(days=1)
        return f"{appointment.start_date} (all day)" + (
            f" – {last}" if last != appointment.start_date else ""
        )
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(appointment.time_zone)
    begins, ends = appointment.start_at.astimezone(zone), appointment.end_at.astimezone(zone)
    return f"{begins:%Y-%m-%d %H:%M}–{ends:%H:%M}"


@appointments.command("add")
def add(
    title: Annotated[str, typer.Argument(help="What it is, e.g. 'Family portrait'.")],
    start: Start,
    end: Annotated[str | None, typer.Option(help="End; or give --minutes.")] = None,
    minutes: Annotated[int | None, typer.Option(help="Length when --end is not given.")] = None,
    all_day: Annotated[bool, typer.Option("--all-day", help="Dates, not times.")] = False,
    type: Annotated[str, typer.Option("--type", help="Appointment type.")] = "Session",
    client: Annotated[str | None, typer.Option(help="Client number or exact name.")] = None,
    photographer: Photographer = None,
    assistant: Assistant = None,
    user: Other = None,
    resource: Resources = None,
    status: Annotated[AppointmentStatus, typer.Option()] = AppointmentStatus.CONFIRMED,
    location: Annotated[str | None, typer.Option()] = None,
    notes: Annotated[str | None, typer.Option()] = None,
    time_zone: Annotated[str | None, typer.Option(help="Default: the studio's.")] = None,
    allow_double_booking: AllowDouble = False,
) -> None:
    """Book an appointment; a double booking is refused unless --allow-double-booking."""
    from studiosync.studio import appointments as service
    from studiosync.studio.double_booking import refuse_double_booking

    first, last = _span(start, end, minutes, all_day)
    with transaction() as session:
        appointment = service.create_appointment(
            session,
            title=title,
            start=first,
            end=last,
            all_day=all_day,
            type=type,
            client=client,
            status=status,
            location=location,
            notes=notes,
            users=_people(photographer, assistant, user),
            resources=resource or [],
            time_zone=time_zone,
        )
        if not allow_double_booking:
            refuse_double_booking(session, appointment)
        done(f"Appointment {appointment.id} booked: {appointment.title}, {_when(appointment)}.")


@appointments.command("list")
def list_appointments(
    user: Annotated[str | None, typer.Option(help="Only this user's.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="From this date.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Up to this date (excluded).")] = None,
) -> None:
    """List appointments in time order."""
    from studiosync.studio import appointments as service
    from studiosync.syncstate.series_marks import series_marks

    begins = parse_datetime("from", start).astimezone(dt.UTC) if start else None
    ends = parse_datetime("to", end).astimezone(dt.UTC) if end else None
    with transaction() as session:
        found = service.list_appointments(session, user=user, start=begins, end=ends)
        series = series_marks(session, found)
        rows = [
            (
                a.id,
                _when(a),
                a.title,
                a.client.name if a.client else "",
                ", ".join(f"{x.user.login} ({x.role.value})" for x in a.assignments),
                ", ".join(r.name for r in a.resources),
                a.status.value,
                a.origin.value + (f" · {series[a.id].short}" if a.id in series else ""),
            )
            for a in found
        ]
    table(
        "Appointments",
        ("#", "When", "Title", "Client", "Assigned", "Resources", "Status", "From"),
        rows,
    )


@appointments.command("edit")
def edit(
    number: Annotated[int, typer.Argument(help="The appointment's number.")],
    title: Annotated[str | None, typer.Option()] = None,
    start: Annotated[str | None, typer.Option()] = None,
    end: Annotated[str | None, typer.Option()] = None,
    type: Annotated[str | None, typer.Option("--type")] = None,
    client: Annotated[str | None, typer.Option(help="'' removes the client.")] = None,
    photographer: Photographer = None,
    assistant: Assistant = None,
    user: Other = None,
    resource: Resources = None,
    status: Annotated[AppointmentStatus | None, typer.Option()] = None,
    location: Annotated[str | None, typer.Option()] = None,
    notes: Annotated[str | None, typer.Option()] = None,
    allow_double_booking: AllowDouble = False,
) -> None:
    """Change an appointment; any of --photographer/--assistant/--user replaces who is assigned."""
    from studiosync.studio import appointments as service
    from studiosync.studio.double_booking import refuse_double_booking
    from studiosync.studio.validation import UNCHANGED

    reassign = any(x is not None for x in (photographer, assistant, user))
    with transaction() as session:
        current = service.get_appointment(session, number)
        parse = parse_date if current.all_day else parse_datetime
        new_start = parse("start", start) if start else None
        new_end = parse("end", end) if end else None
        if current.all_day and isinstance(new_end, dt.date):
            new_end = new_end + dt.timedelta(days=1)
        appointment = service.update_appointment(
            session,
            number,
            title=title,
            start=new_start,
            end=new_end,
            type=type,
            client=UNCHANGED if client is None else (client or None),
            status=status,
            location=UNCHANGED if location is None else location,
            notes=UNCHANGED if notes is None else notes,
            users=_people(photographer, assistant, user) if reassign else None,
            resources=resource,
        )
        if not allow_double_booking:
            refuse_double_booking(session, appointment)
        done(f"Appointment {appointment.id} saved (version {appointment.version}).")


@appointments.command("cancel")
def cancel(number: Annotated[int, typer.Argument()]) -> None:
    """Cancel an appointment (it is removed from Google calendars)."""
    from studiosync.studio import appointments as service

    with transaction() as session:
        service.cancel_appointment(session, number)
    done(f"Appointment {number} cancelled.")


@appointments.command("delete")
def delete(number: Annotated[int, typer.Argument()]) -> None:
    """Delete an appointment for good."""
    from studiosync.studio import appointments as service

    with transaction() as session:
        service.delete_appointment(session, number)
    done(f"Appointment {number} deleted.")


def register(app: typer.Typer) -> None:
    app.add_typer(appointments, name="appointment")
