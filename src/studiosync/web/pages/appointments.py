"""Pages: the week view (studio or one user) and booking, editing and cancelling appointments."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from studiosync.errors import StudioSyncError
from studiosync.studio import appointments as service
from studiosync.studio.company import get_company
from studiosync.studio.double_booking import refuse_double_booking
from studiosync.studio.models import Appointment, User
from studiosync.studio.people import list_users
from studiosync.studio.validation import find_user
from studiosync.syncstate.series_marks import series_marks
from studiosync.web.deps import CurrentUser, Db, page_user
from studiosync.web.forms import MAX_ID, checked, optional_date, user_key
from studiosync.web.origins import origin_words
from studiosync.web.pages.appointment_form import (
    FIELDS,
    ROLE_LABELS,
    STATUS_LABELS,
    AppointmentForm,
    choices,
)
from studiosync.web.pages.common import form_again
from studiosync.web.problems import FormProblems
from studiosync.web.sync_status import sync_states
from studiosync.web.templating import notice, redirect, render
from studiosync.web.week import bounds, lay_out, monday_of

router = APIRouter(
    tags=["pages: appointments"], include_in_schema=False, dependencies=[Depends(page_user)]
)
AppointmentId = Annotated[int, Path(ge=1, le=MAX_ID)]


def studio_zone(db: Session) -> str:
    return get_company(db).time_zone


def today_in(zone: str) -> dt.date:
    return dt.datetime.now(ZoneInfo(zone)).date()


def week_url(appointment: Appointment, zone: str) -> str:
    day = appointment.start_date or appointment.start_at.astimezone(ZoneInfo(zone)).date()
    return f"/appointments?week={monday_of(day).isoformat()}"


@router.get("/")
def home(me: CurrentUser) -> Response:
    return redirect("/appointments")


@router.get("/appointments")
def week_view(
    request: Request, db: Db, me: CurrentUser, week: str = "", user: str = ""
) -> Response:
    """The week from Monday to Sunday: the whole studio's, or one user's."""
    zone = studio_zone(db)
    today = today_in(zone)
    monday = monday_of(optional_date("week", week[:20]) or today)
    person: User | None = find_user(db, user_key(user)) if user.strip() else None
    start, end = bounds(monday, zone)
    found = service.list_appointments(db, user=person.id if person else None, start=start, end=end)
    return render(
        request,
        "appointments/week.html",
        area="appointments",
        week=lay_out(found, monday, zone, today),
        sync=sync_states(db, found),
        series=series_marks(db, found),
        person=person,
        users=[u for u in list_users(db) if u.active or (person and u.id == person.id)],
        roles=ROLE_LABELS,
        origins=origin_words(db, found),
        this_week=monday_of(today),
    )


def _form_page(
    request: Request,
    db: Session,
    form: AppointmentForm,
    appointment: Appointment | None,
    error: StudioSyncError | None = None,
) -> Response:
    context: dict[str, Any] = {
        "area": "appointments",
        "form": form,
        "appointment": appointment,
        "choices": choices(db, form),
        "chosen_roles": form.roles(),
        "roles": ROLE_LABELS,
        "statuses": STATUS_LABELS,
        "origins": origin_words(db, [appointment]),
        "zone": studio_zone(db),
        "sync": sync_states(db, [appointment]).get(appointment.id, ()) if appointment else (),
        "series": series_marks(db, [appointment]).get(appointment.id) if appointment else None,
    }
    if error is not None:
        return form_again(request, "appointments/form.html", error, FIELDS, **context)
    return render(request, "appointments/form.html", problems=FormProblems.none(), **context)


@router.get("/appointments/new")
def new_appointment(request: Request, db: Db, me: CurrentUser, date: str = "") -> Response:
    day = optional_date("date", date[:20]) or today_in(studio_zone(db))
    form = AppointmentForm(start_date=day.isoformat(), end_date=day.isoformat())
    return _form_page(request, db, form, None)


@router.post("/appointments/new")
def book_appointment(
    request: Request, db: Db, me: CurrentUser, form: Annotated[AppointmentForm, Form()]
) -> Response:
    zone = studio_zone(db)
    try:
        start, end, all_day = form.span(zone)
        appointment = service.create_appointment(
            db,
            title=form.title,
            start=start,
            end=end,
            all_day=all_day,
            time_zone=zone,
            type=form.type,
            client=form.client_id(),
            status=form.appointment_status(),
            location=form.location,
            notes=form.notes,
            users=form.people(),
            resources=form.resource_ids(),
        )
        if not checked(form.allow_double_booking):
            refuse_double_booking(db, appointment)
    except StudioSyncError as error:
        db.rollback()
        return _form_page(request, db, form, None, error)
    notice(request, f"Appointment “{appointment.title}” booked.")
    return redirect(week_url(appointment, zone))


@router.get("/appointments/{appointment_id}/edit")
def edit_appointment_page(
    request: Request, db: Db, me: CurrentUser, appointment_id: AppointmentId
) -> Response:
    appointment = service.get_appointment(db, appointment_id)
    form = AppointmentForm.of(appointment, studio_zone(db))
    return _form_page(request, db, form, appointment)


@router.post("/appointments/{appointment_id}/edit")
def edit_appointment(
    request: Request,
    db: Db,
    me: CurrentUser,
    appointment_id: AppointmentId,
    form: Annotated[AppointmentForm, Form()],
) -> Response:
    zone = studio_zone(db)
    current = service.get_appointment(db, appointment_id)
    try:
        form.version_matches(current)
        start, end, all_day = form.span(zone)
        appointment = service.update_appointment(
            db,
            appointment_id,
            title=form.title,
            start=start,
            end=end,
            all_day=all_day,
            time_zone=None,  # an edit keeps the appointment's own time zone
            type=form.type,
            client=form.client_id(),
            status=form.appointment_status(),
            location=form.location,
            notes=form.notes,
            users=form.people(),
            resources=form.resource_ids(),
        )
        if not checked(form.allow_double_booking):
            refuse_double_booking(db, appointment)
    except StudioSyncError as error:
        db.rollback()
        return _form_page(request, db, form, service.get_appointment(db, appointment_id), error)
    notice(request, f"Appointment “{appointment.title}” saved.")
    return redirect(week_url(appointment, zone))


@router.post("/appointments/{appointment_id}/cancel")
def cancel_appointment(
    request: Request, db: Db, me: CurrentUser, appointment_id: AppointmentId
) -> Response:
    appointment = service.cancel_appointment(db, appointment_id)
    notice(request, f"Appointment “{appointment.title}” cancelled.")
    return redirect(week_url(appointment, studio_zone(db)))
