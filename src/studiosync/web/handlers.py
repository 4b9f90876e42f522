"""Exception handlers: every error becomes worded JSON for the API or a calm page, never a trace."""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from studiosync.errors import ErrorCode, InputError, StudioSyncError
from studiosync.web.deps import is_api, recognise_viewer
from studiosync.web.headers import harden
from studiosync.web.problems import shown, status_for
from studiosync.web.templating import render

log = logging.getLogger(__name__)


def safe_next(target: str | None) -> str:
    """A place inside this site to go back to after logging in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def error_response(request: Request, error: StudioSyncError) -> Response:
    status = status_for(error)
    problem = shown(error)
    headers = retry_after(error)
    if is_api(request):
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(problem.as_json(), status_code=status, headers=headers)
    if error.code is ErrorCode.LOGIN_REQUIRED:
        wanted = request.url.path if request.method == "GET" else "/"
        if request.method == "GET" and request.url.query:
            wanted += "?" + request.url.query
        return RedirectResponse(f"/login?next={quote(safe_next(wanted))}", status_code=303)
    recognise_viewer(request)
    response = render(request, "error.html", status_code=status, problem=problem, status=status)
    response.headers.update(headers)
    return response


def retry_after(error: StudioSyncError) -> dict[str, str]:
    """A Retry-After header for an error that says how long to wait (too many failed logins)."""
    seconds = error.params.get("retry_after")
    return {"Retry-After": str(seconds)} if isinstance(seconds, int) else {}


async def _studio_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StudioSyncError)
    return error_response(request, exc)


def _first_problem(errors: list[dict[str, Any]]) -> tuple[str, str, str, str]:
    first = errors[0] if errors else {}
    location = [str(part) for part in first.get("loc", ())]
    where = location[0] if location else "body"
    field = ".".join(location[1:]) or where
    value = first.get("input")
    shown_value = value if isinstance(value, str | int | float | bool) else "…"
    return where, field, str(shown_value)[:80], str(first.get("msg", "it is not valid"))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    where, field, value, reason = _first_problem(list(exc.errors()))
    if where == "path":
        return error_response(
            request, StudioSyncError(ErrorCode.PAGE_NOT_FOUND, path=request.url.path)
        )
    error = InputError(
        ErrorCode.INVALID_VALUE, field=field, value=value, reason=reason.rstrip(".").lower()
    )
    return error_response(request, error)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    error: StudioSyncError
    if exc.status_code in (404, 405):
        error = StudioSyncError(ErrorCode.PAGE_NOT_FOUND, path=request.url.path)
    else:
        error = InputError(
            ErrorCode.INVALID_VALUE, field="request", value="…", reason=str(exc.detail).lower()
        )
    response = error_response(request, error)
    response.status_code = exc.status_code
    return response


async def _unexpected(request: Request, exc: Exception) -> Response:
    reference = secrets.token_hex(4)
    log.error(
        "unexpected error %s on %s %s",
        reference,
        request.method,
        request.url.path,
        exc_info=exc,
    )
    # answered outside the middleware stack, so the security headers are added here
    return harden(
        error_response(request, StudioSyncError(ErrorCode.UNEXPECTED, reference=reference))
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(StudioSyncError, _studio_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
