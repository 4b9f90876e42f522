"""The JSON API under /api/, one router per area; every call but the token one needs a token."""

from __future__ import annotations

from fastapi import APIRouter

from studiosync.web.api import (
    appointments,
    clients,
    company,
    control,
    dav_account,
    doctor,
    google,
    google_account,
    groups,
    notifications,
    resources,
    token,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    token.router,
    users.me_router,
    users.router,
    resources.router,
    clients.router,
    groups.router,
    appointments.router,
    google.router,
    google_account.router,
    dav_account.router,
    company.router,
    control.router,
    doctor.router,
    notifications.router,
)
