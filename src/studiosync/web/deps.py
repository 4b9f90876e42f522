"""The dependencies every route declares: studio, one transaction per request, who is asking."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.clock import Clock, SystemClock
from studiosync.context import Studio
from studiosync.errors import AccessError, ErrorCode
from studiosync.studio.models import Company, Role, User
from studiosync.web import sessions
from studiosync.web.security import CSRF_FIELD, ApiTokens, WebKeys, csrf_matches
from studiosync.web.templating import notice
from studiosync.web.throttle import LoginThrottle

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
API_PREFIX = "/api/"
USER_KEY = "uid"
FINGERPRINT_KEY = "pw"
SESSION_KEY = "sid"
LOGIN_KEYS = (USER_KEY, FINGERPRINT_KEY, SESSION_KEY)


@dataclass(frozen=True)
class Viewer:
    """Who is looking, as plain data: pages may still show it after the transaction ended."""

    id: int
    login: str
    display_name: str
    is_admin: bool


@dataclass
class WebState:
    """What the application keeps for its whole life: the studio, its web keys, its clock."""

    studio: Studio
    keys: WebKeys = field(repr=False)
    tokens: ApiTokens = field(repr=False)
    policy: sessions.SessionPolicy
    throttle: LoginThrottle = field(repr=False)
    clock: Clock = field(default_factory=SystemClock)
    owns_studio: bool = False


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def current_studio(request: Request) -> Studio:
    return web_state(request).studio


StudioDep = Annotated[Studio, Depends(current_studio)]


def database(studio: StudioDep) -> Iterator[Session]:
    """One transaction per request: committed before the answer goes out, rolled back on error.

    A route that catches an error to show it again calls ``session.rollback()`` first, so
    nothing half-done is committed.
    """
    with studio.sessions() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


Db = Annotated[Session, Depends(database, scope="function")]


def release(db: Session) -> None:
    """End the request's transaction before work that runs its own (Google calls, the doctor).

    Those transactions may save a refreshed token or a re-authentication mark; ending ours first
    means neither waits on the other, and what is read afterwards is fresh.
    """
    db.commit()
    db.expire_all()


def client_address(request: Request) -> str:
    """Where the request came from (as a trusted proxy tells it, see the app's middleware)."""
    return request.client.host if request.client else "an unknown address"


def is_admin(user: User) -> bool:
    return user.role is Role.ADMIN


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path == API_PREFIX[:-1]


def page_user(request: Request, db: Db) -> User:
    """The logged-in user of this browser session; anyone else is sent to the login page.

    The cookie names a session kept in the database: logging out, a new password,
    deactivation and the idle and absolute timeouts end it there, whatever the cookie says.
    """
    state = web_state(request)
    user_id = request.session.get(USER_KEY)
    user = db.get(User, user_id) if isinstance(user_id, int) else None
    try:
        if (
            user is None
            or not user.active
            or request.session.get(FINGERPRINT_KEY) != state.keys.password_fingerprint(user)
        ):
            raise sessions.SessionEndedError("the user or the password changed")
        sessions.check_session(
            db,
            request.session.get(SESSION_KEY),
            user.id,
            sessions.BROWSER,
            state.clock.now(),
            state.policy,
        )
    except sessions.SessionEndedError as ended:
        for key in LOGIN_KEYS:
            request.session.pop(key, None)
        if ended.notice:
            notice(request, ended.notice)
        raise AccessError(ErrorCode.LOGIN_REQUIRED) from None
    request.state.viewer = Viewer(user.id, user.login, user.display_name, is_admin(user))
    request.state.studio_name = studio_name(db)
    request.state.studio_zone = studio_zone_of(db)
    return user


def recognise_viewer(request: Request) -> None:
    """For pages no route answered (404): who is logged in, so the page keeps its menu."""
    if getattr(request.state, "viewer", None) is not None or "session" not in request.scope:
        return
    user_id = request.session.get(USER_KEY)
    if not isinstance(user_id, int):
        return
    state = web_state(request)
    with state.studio.sessions() as db:  # read only: nothing here is committed
        user = db.get(User, user_id)
        if (
            user is None
            or not user.active
            or request.session.get(FINGERPRINT_KEY) != state.keys.password_fingerprint(user)
        ):
            return
        try:
            sessions.check_session(
                db,
                request.session.get(SESSION_KEY),
                user.id,
                sessions.BROWSER,
                state.clock.now(),
                state.policy,
            )
        except sessions.SessionEndedError:
            return
        request.state.viewer = Viewer(user.id, user.login, user.display_name, is_admin(user))
        request.state.studio_name = studio_name(db)
        request.state.studio_zone = studio_zone_of(db)


def studio_zone_of(db: Session) -> str:
    return db.scalar(select(Company.time_zone).order_by(Company.id).limit(1)) or "UTC"


def studio_name(db: Session) -> str:
    return db.scalar(select(Company.name).order_by(Company.id).limit(1)) or "studiosync"


CurrentUser = Annotated[User, Depends(page_user)]


def page_admin(user: CurrentUser) -> User:
    if not is_admin(user):
        raise AccessError(ErrorCode.ADMIN_ONLY, what="This page")
    return user


AdminUser = Annotated[User, Depends(page_admin)]

bearer = HTTPBearer(auto_error=False, description="A token from POST /api/token.")


def api_user(
    request: Request,
    db: Db,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The user named by the bearer token; a changed password or deactivation revokes it."""
    if credentials is None:
        raise AccessError(ErrorCode.LOGIN_REQUIRED)
    state = web_state(request)
    claims = state.tokens.read(credentials.credentials)
    user = db.get(User, claims.user_id)
    if user is None or not user.active:
        raise AccessError(
            ErrorCode.TOKEN_INVALID, reason="its user no longer exists or is inactive"
        )
    if not state.tokens.still_valid_for(user, claims.fingerprint):
        raise AccessError(ErrorCode.TOKEN_INVALID, reason="the password was changed since")
    try:
        sessions.check_session(
            db, claims.session, user.id, sessions.API, state.clock.now(), state.policy
        )
    except sessions.SessionEndedError as ended:
        raise AccessError(ErrorCode.TOKEN_INVALID, reason=ended.reason) from None
    request.state.api_session = claims.session
    request.state.viewer = Viewer(user.id, user.login, user.display_name, is_admin(user))
    return user


ApiUser = Annotated[User, Depends(api_user)]


def api_admin(user: ApiUser) -> User:
    if not is_admin(user):
        raise AccessError(ErrorCode.ADMIN_ONLY, what="This operation")
    return user


ApiAdmin = Annotated[User, Depends(api_admin)]


async def csrf_guard(request: Request) -> None:
    """Every unsafe form post to a page must carry this browser session's CSRF token."""
    if request.method in SAFE_METHODS or is_api(request):
        return
    form = await request.form()
    if not csrf_matches(request.session, form.get(CSRF_FIELD)):
        raise AccessError(ErrorCode.FORM_EXPIRED)
