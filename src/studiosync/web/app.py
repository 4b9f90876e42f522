"""The web application factory: middleware, static files, error handlers and one router per area."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from studiosync.clock import Clock, SystemClock
from studiosync.context import Studio, open_studio
from studiosync.settings import Settings
from studiosync.web import handlers
from studiosync.web.api import ROUTERS as API_ROUTERS
from studiosync.web.deps import WebState, csrf_guard
from studiosync.web.headers import SecurityHeadersMiddleware
from studiosync.web.pages import ROUTERS as PAGE_ROUTERS
from studiosync.web.pages.api_docs import SWAGGER_ASSETS_URL, swagger_assets
from studiosync.web.security import SESSION_COOKIE, ApiTokens, WebKeys
from studiosync.web.sessions import SessionPolicy
from studiosync.web.templating import STATIC_DIR
from studiosync.web.throttle import LoginThrottle

API_DESCRIPTION = (
    "The studio's data as JSON: users, resources, clients, client groups, appointments, "
    "each user's Google options and the company preferences. Get a token with "
    "`POST /api/token` (login and password), then send `Authorization: Bearer TOKEN`."
)


def create_app(
    studio: Studio | None = None,
    *,
    settings: Settings | None = None,
    secure_cookies: bool = False,
    extra_routers: tuple[APIRouter, ...] = (),
    clock: Clock | None = None,
) -> FastAPI:
    """The studiosync web application for ``studio`` (opened from ``settings`` when not given).

    ``secure_cookies`` marks the login cookie HTTPS-only on every request; without it the
    cookie is Secure whenever the request came over HTTPS, directly or as a trusted proxy
    (``Settings.trusted_proxies``) says with X-Forwarded-Proto.
    ``extra_routers`` are added after the built-in areas (one router per area).
    ``clock`` is the time logins are checked against (tests move it).
    """
    opened = studio or open_studio(settings)
    keys = WebKeys.from_settings(opened.settings)
    policy = SessionPolicy.from_settings(opened.settings)
    clock = clock or SystemClock()
    state = WebState(
        studio=opened,
        keys=keys,
        tokens=ApiTokens(keys, int(policy.api_lifetime.total_seconds())),
        policy=policy,
        throttle=LoginThrottle(opened.sessions, clock),
        clock=clock,
        owns_studio=studio is None,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if state.owns_studio:
            opened.close()

    app = FastAPI(
        title="studiosync",
        summary="Photography studio back office with two-way Google Calendar sync.",
        description=API_DESCRIPTION,
        version="1",
        docs_url=None,  # /docs and /openapi.json are pages that need a login (pages/api_docs.py)
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        dependencies=[Depends(csrf_guard)],
    )
    app.state.web = state
    app.add_middleware(
        SessionMiddleware,
        secret_key=keys.session,
        session_cookie=SESSION_COOKIE,
        max_age=int(policy.absolute.total_seconds()),
        same_site="lax",
        https_only=secure_cookies,
    )
    app.add_middleware(SecurityHeadersMiddleware, always_secure=secure_cookies)
    # outermost: the client's address and scheme, as told only by a trusted reverse proxy
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=opened.settings.trusted_proxies)
    app.mount(SWAGGER_ASSETS_URL, StaticFiles(directory=swagger_assets()), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    handlers.install(app)
    for router in (*PAGE_ROUTERS, *API_ROUTERS, *extra_routers):
        app.include_router(router)
    return app
