"""Jinja2 pages: the template folder, what every page knows, and short notices after a change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy import select

from studiosync.studio.models import Company
from studiosync.studio.when import in_words
from studiosync.web.menu import MENU, Crumb, crumbs_for, in_path
from studiosync.web.security import CSRF_FIELD, new_csrf_token

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
FLASH_KEY = "flash"
DEMO_OUTBOX_HOST = "127.0.0.1"  # the demo's local outbox (embedded.running_outbox)


def demo_outbox(request: Request) -> Path | None:
    """The folder the demo studio files its emails in, while the Email tab points at it."""
    if "demo_outbox" in request.scope:
        found: Path | None = request.scope["demo_outbox"]
        return found
    web = getattr(request.app.state, "web", None)
    folder: Path | None = None
    if web is not None and (web.studio.settings.data_dir / "outbox").is_dir():
        with web.studio.sessions() as session:
            host = session.scalar(select(Company.smtp_host).order_by(Company.id).limit(1))
        folder = web.studio.settings.data_dir / "outbox" if host == DEMO_OUTBOX_HOST else None
    request.scope["demo_outbox"] = folder
    return folder


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
        "studio_zone": getattr(request.state, "studio_zone", "UTC"),
        "menu": MENU,
        "demo": demo_outbox(request) is not None,
    }


@pass_context
def _studio_time(context: Context, value: dt.datetime | str, time_only: bool = False) -> str:
    """A moment in the studio's time zone, in words: "Thu 3 Dec, 11:00"."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return in_words(moment, context.get("studio_zone") or "UTC", time_only=time_only)


def _day(value: dt.date | None) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}" if value else ""


templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[_page_context])
templates.env.filters["day"] = _day
templates.env.filters["studio_time"] = _studio_time
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True
templates.env.globals.update(crumbs_for=crumbs_for, in_path=in_path, Crumb=Crumb)


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
