"""The server-rendered pages, one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from studiosync.web.pages import (
    api_docs,
    appointments,
    auth,
    clients,
    company_prefs,
    google_prefs,
    groups,
    resources,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    appointments.router,
    users.router,
    resources.router,
    clients.router,
    groups.router,
    google_prefs.router,
    company_prefs.router,
    api_docs.router,
)
