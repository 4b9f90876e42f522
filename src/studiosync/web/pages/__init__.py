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
    google_account,
    google_prefs,
    groups,
    resources,
    sync_history,
    troubleshooter,
    users,
)
from studiosync.web.templating import NavItem, add_nav_item

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    appointments.router,
    users.router,
    resources.router,
    clients.router,
    groups.router,
    google_account.router,
    google_prefs.router,
    company_prefs.router,
    company_google.router,
    control_center.router,
    sync_history.router,
    troubleshooter.router,
    api_docs.router,
)
add_nav_item(NavItem("Control Center", "/control-center", "control", admin_only=True))
add_nav_item(NavItem("Sync log", "/control-center/runs", "sync-log", hidden_for_admins=True))
add_nav_item(NavItem("Troubleshooter", "/troubleshooter", "troubleshooter"))
