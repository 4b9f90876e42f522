"""The consent page: renders the sign-in + Allow/Deny form and Google-style error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from studiosync.sandbox.scopes import DESCRIPTIONS

_environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


def consent_page(
    *,
    consent: str,
    client_id: str,
    scopes: list[str],
    email: str,
    action: str,
    error: str | None = None,
) -> HTMLResponse:
    """The sign-in and consent form for one pending authorization request."""
    listed: list[dict[str, Any]] = [
        {"name": scope, "description": DESCRIPTIONS.get(scope, scope)} for scope in scopes
    ]
    html = _environment.get_template("consent.html").render(
        title="Sign in",
        fatal=False,
        consent=consent,
        client_id=client_id,
        scopes=listed,
        email=email,
        action=action,
        error=error,
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def error_page(status: int, error: str, description: str) -> HTMLResponse:
    """Google's 'Access blocked' style page for requests it will not send back to the client."""
    html = _environment.get_template("consent.html").render(
        title="Access blocked: authorization error",
        fatal=True,
        status=status,
        error=error,
        description=description,
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
