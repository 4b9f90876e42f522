"""Shared by the API routers: turning records into response shapes, and PATCH's 'not given'."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from studiosync.studio.models import Appointment, Client, Resource, User
from studiosync.studio.validation import UNCHANGED
from studiosync.web.api.schemas import (
    ERROR_RESPONSES,
    AppointmentOut,
    AssignmentOut,
    ClientOut,
    ResourceOut,
    UserOut,
)
from studiosync.web.deps import api_admin, api_user


def api_router(prefix: str, tag: str, *, admin: bool) -> APIRouter:
    """A router under /api/ whose every call needs a token (of an administrator if ``admin``)."""
    return APIRouter(
        prefix="/api" + prefix,
        tags=[tag],
        responses=ERROR_RESPONSES,
        dependencies=[Depends(api_admin if admin else api_user)],
    )


def given(model: BaseModel, name: str) -> Any:
    """The field's value when the caller sent it (null included), else UNCHANGED."""
    return getattr(model, name) if name in model.model_fields_set else UNCHANGED


def sent(model: BaseModel, name: str) -> Any:
    """The field's value when sent and not null, else None (the service's 'leave it')."""
    value = getattr(model, name)
    return value if name in model.model_fields_set else None


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        login=user.login,
        display_name=user.display_name,
        email=user.email,
        role=user.role,
        active=user.active,
    )


def resource_out(resource: Resource) -> ResourceOut:
    return ResourceOut(id=resource.id, name=resource.name, kind=resource.kind)


def client_out(client: Client) -> ClientOut:
    return ClientOut(
        id=client.id,
        name=client.name,
        emails=client.emails,
        phones=list(client.phones),
        address=client.address,
        notes=client.notes,
        groups=[group.id for group in client.groups],
    )


def appointment_out(appointment: Appointment) -> AppointmentOut:
    return AppointmentOut(
        id=appointment.id,
        title=appointment.title,
        type=appointment.type,
        client_id=appointment.client_id,
        all_day=appointment.all_day,
        start=appointment.start_at.astimezone(dt.UTC),
        end=appointment.end_at.astimezone(dt.UTC),
        start_date=appointment.start_date,
        end_date=appointment.end_date,
        time_zone=appointment.time_zone,
        status=appointment.status,
        location=appointment.location,
        notes=appointment.notes,
        origin=appointment.origin,
        users=[
            AssignmentOut(user_id=a.user_id, login=a.user.login, role=a.role)
            for a in appointment.assignments
        ],
        resources=[resource.id for resource in appointment.resources],
        version=appointment.version,
    )
