"""Pages: log in and log out (the only pages open without a login)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studiosync.errors import AccessError, ErrorCode
from studiosync.studio.models import User
from studiosync.studio.passwords import hash_password, verify_password
from studiosync.web import sessions
from studiosync.web.deps import (
    FINGERPRINT_KEY,
    SESSION_KEY,
    USER_KEY,
    Db,
    client_address,
    studio_name,
    web_state,
)
from studiosync.web.handlers import retry_after, safe_next
from studiosync.web.problems import shown, status_for
from studiosync.web.security import new_csrf_token
from studiosync.web.templating import notice, redirect, render

router = APIRouter(tags=["pages: log in"], include_in_schema=False)
_TIMING_DECOY = hash_password("a password no user has")


def check_login(db: Session, login: str, password: str) -> User:
    """The active user with this login and password; every other case is the same refusal."""
    name = login.strip()
    user = (
        db.scalar(select(User).where(func.lower(User.login) == name.lower()))
        if name and len(name) <= 64
        else None
    )
    if user is None or not user.password_hash:
        verify_password(_TIMING_DECOY, password)  # the same work whether or not the user exists
        raise AccessError(ErrorCode.LOGIN_FAILED)
    if not verify_password(user.password_hash, password) or not user.active:
        raise AccessError(ErrorCode.LOGIN_FAILED)
    return user


def authenticate(request: Request, db: Session, login: str, password: str) -> User:
    """``check_login`` behind the throttle: refused while waiting, failures counted and logged."""
    throttle, address = web_state(request).throttle, client_address(request)
    throttle.check(address, login)
    try:
        user = check_login(db, login, password)
    except AccessError:
        throttle.failed(address, login)
        raise
    throttle.succeeded(address, login)
    return user


@router.get("/login")
def login_page(request: Request, db: Db, next: str = "/") -> Response:
    request.state.studio_name = studio_name(db)
    return render(request, "login.html", next=safe_next(next), login="", problem=None)


@router.post("/login")
def log_in(
    request: Request,
    db: Db,
    login: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        user = authenticate(request, db, login, password)
    except AccessError as error:
        request.state.studio_name = studio_name(db)
        page = render(
            request,
            "login.html",
            status_code=status_for(error),
            next=safe_next(next),
            login=login[:64],
            problem=shown(error),
        )
        page.headers.update(retry_after(error))
        return page
    state = web_state(request)
    now = state.clock.now()
    sessions.close_session(db, request.session.get(SESSION_KEY))
    sessions.purge_ended(db, now, state.policy)
    request.session.clear()  # a fresh session (and CSRF token) for the logged-in user
    request.session[USER_KEY] = user.id
    request.session[FINGERPRINT_KEY] = state.keys.password_fingerprint(user)
    request.session[SESSION_KEY] = sessions.open_session(db, user.id, sessions.BROWSER, now)
    new_csrf_token(request.session)
    return redirect(safe_next(next))


@router.post("/logout")
def log_out(request: Request, db: Db) -> Response:
    """End the login here and on the server: the cookie, even if kept, no longer works."""
    sessions.close_session(db, request.session.get(SESSION_KEY))
    request.session.clear()
    notice(request, "You are logged out.")
    return redirect("/login")
