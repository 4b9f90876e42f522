"""Jinja2 pages: the template folder, what every page knows, and short notices after a change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from studiosync.web.security import CSRF_FIELD, new_csrf_token

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
FLASH_KEY = "flash"


@dataclass(frozen=True)
class NavItem:
    """One entry of the menu at the top of every page."""

    label: str
    href: str
    area: str
    admin_only: bool = False
    hidden_for_admins: bool = False  # e.g. a user's own view of what administrators see whole

    def shown_to(self, admin: bool) -> bool:
        return (admin or not self.admin_only) and not (admin and self.hidden_for_admins)


NAV_ITEMS: list[NavItem] = [
    NavItem("Appointments", "/appointments", "appointments"),
    NavItem("Clients", "/clients", "clients", admin_only=True),
    NavItem("Client groups", "/groups", "groups", admin_only=True),
    NavItem("Users", "/users", "users", admin_only=True),
    NavItem("Resources", "/resources", "resources", admin_only=True),
    NavItem("My Google tab", "/preferences/google", "google"),
    NavItem("Company", "/preferences/company", "company", admin_only=True),
]


def add_nav_item(item: NavItem) -> None:
    """Let a new area (Control Center, troubleshooter, ...) appear in the menu."""
    if all(existing.href != item.href for existing in NAV_ITEMS):
        NAV_ITEMS.append(item)


def _page_context(request: Request) -> dict[str, Any]:
    """Every page gets: who is logged in, the form token, and the notices waiting to be shown."""
    me = getattr(request.state, "viewer", None)
    notices = request.session.pop(FLASH_KEY, []) if "session" in request.scope else []
    return {
        "me": me,
        "is_admin": bool(me and me.is_admin),
        "csrf_field": CSRF_FIELD,
        "csrf_token": new_csrf_token(request.session) if "session" in request.scope else "",
        "notices": notices if isinstance(notices, list) else [],
        "studio_name": getattr(request.state, "studio_name", "studiosync"),
        "nav_items": NAV_ITEMS,
    }


def _day(value: dt.date | None) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}" if value else ""


templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[_page_context])
templates.env.filters["day"] = _day
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    response: HTMLResponse = templates.TemplateResponse(
        request, name, context, status_code=status_code
    )
    return response


def notice(request: Request, message: str) -> None:
    """A one-line confirmation shown at the top of the next page."""
    waiting = request.session.get(FLASH_KEY)
    request.session[FLASH_KEY] = [*(waiting if isinstance(waiting, list) else []), message]


def redirect(url: str) -> RedirectResponse:
    """After a successful form post: go to a page (303, so the browser GETs it)."""
    return RedirectResponse(url, status_code=303)
