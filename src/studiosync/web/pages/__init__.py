"""The server-rendered pages, one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from studiosync.web.pages import (
    api_docs,
    appointments,
    auth,
    clients,
    company_google,
    company_prefs,
    control_center,
    dav_account,
    google_account,
    google_prefs,
    google_setup,
    groups,
    hubs,
    outbox,
    resources,
    studio_overview,
    sync_history,
    troubleshooter,
    user_prefs,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    appointments.router,
    users.router,
    resources.router,
    clients.router,
    groups.router,
    google_account.router,
    dav_account.router,
    google_prefs.router,
    google_setup.router,
    company_google.router,
    company_prefs.router,
    user_prefs.router,
    hubs.router,
    studio_overview.router,
    control_center.router,
    sync_history.router,
    troubleshooter.router,
    outbox.router,
    api_docs.router,
)
