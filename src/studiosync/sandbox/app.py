"""The sandbox ASGI app: routing, error answers, injected faults and request statistics."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import unquote

from starlette.routing import Match, Route, Router
from starlette.types import Message, Receive, Scope, Send

from studiosync.sandbox.admin import AdminApi
from studiosync.sandbox.batch import BatchApi, InnerRequest, InnerResponse, error_answer
from studiosync.sandbox.calendars_api import CalendarsApi
from studiosync.sandbox.context import Sandbox
from studiosync.sandbox.errors import GoogleError, api_error
from studiosync.sandbox.events_api import EventsApi
from studiosync.sandbox.events_listing import EventListing
from studiosync.sandbox.faults import Fault
from studiosync.sandbox.oauth_api import OAuthApi
from studiosync.sandbox.people_api import PeopleApi
from studiosync.sandbox.routes import admin_routes, api_routes

logger = logging.getLogger(__name__)
DROPPED = 0  # the status recorded in stats for a connection the sandbox dropped on purpose


async def _unknown_path(scope: Scope, receive: Receive, send: Send) -> None:
    await api_error(404, "notFound", "Not Found").response()(scope, receive, send)


class SandboxApp:
    """ASGI entry point: admin calls go straight through; API calls meet faults and are counted."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        batch = BatchApi(self.dispatch_inner)
        self.routes: list[Route] = api_routes(
            EventsApi(sandbox),
            EventListing(sandbox),
            CalendarsApi(sandbox),
            PeopleApi(sandbox),
            batch,
            OAuthApi(sandbox),
        )
        self.router = Router(routes=self.routes, default=_unknown_path)
        self.admin = Router(routes=admin_routes(AdminApi(sandbox)), default=_unknown_path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if scope["path"].startswith("/_sandbox/"):
            await self._respond(self.admin, scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        fault = self.sandbox.faults.pick(method, path) if self.sandbox.faults.rules else None
        if fault is not None:
            handled = await self._apply_fault(fault, scope, receive, send, can_drop=True)
            if handled:
                return
        status = await self._respond(self.router, scope, receive, send)
        query = scope.get("query_string", b"").decode("latin-1")
        self.sandbox.stats.record(method, self._template(scope), status, query)

    async def _respond(self, router: Router, scope: Scope, receive: Receive, send: Send) -> int:
        status = 0

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await router(scope, receive, capture)
        except GoogleError as error:
            await error.response()(scope, receive, capture)
        except Exception:
            if status:
                raise
            logger.exception("sandbox handler failed on %s %s", scope["method"], scope["path"])
            await api_error(500, "backendError", "Backend Error").response()(
                scope, receive, capture
            )
        return status

    def _template(self, scope: Scope) -> str:
        route = scope.get("route")
        if isinstance(route, Route):
            return route.path
        for candidate in self.routes:
            match, _ = candidate.matches(scope)
            if match is Match.FULL:
                return candidate.path
        return "(unknown)"

    async def _apply_fault(
        self, fault: Fault, scope: Scope, receive: Receive, send: Send, *, can_drop: bool
    ) -> bool:
        """Delay, drop or fail the request as the rule says; True if the request is answered."""
        if fault.delay_ms:
            await asyncio.sleep(fault.delay_ms / 1000)
        template = self._template(scope)
        if fault.drop_connection and can_drop:
            self.sandbox.stats.record(scope["method"], template, DROPPED)
            await _drop(receive, send)
            return True
        if fault.status or fault.drop_connection:
            error = (
                fault.error() if fault.status else api_error(503, "backendError", "Backend Error")
            )
            await error.response()(scope, receive, send)
            self.sandbox.stats.record(scope["method"], template, error.status)
            return True
        return False

    async def dispatch_inner(self, call: InnerRequest) -> InnerResponse:
        """Run one call of a batch through faults, routing and stats, capturing its answer."""
        path, _, query = call.target.partition("?")
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": call.method,
            "scheme": "http",
            "path": unquote(path),
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [
                (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in call.headers
            ],
            "client": ("127.0.0.1", 0),
            "server": ("127.0.0.1", 0),
        }
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": call.body, "more_body": False}

        answer = InnerResponse(500, [], b"")

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer.status = message["status"]
                answer.headers = [
                    (k.decode("latin-1"), v.decode("latin-1"))
                    for k, v in message.get("headers", [])
                ]
            elif message["type"] == "http.response.body":
                answer.body += message.get("body", b"")

        fault = (
            self.sandbox.faults.pick(call.method, scope["path"])
            if self.sandbox.faults.rules
            else None
        )
        if fault is not None and await self._apply_fault(
            fault, scope, receive, collect, can_drop=False
        ):
            return answer
        try:
            status = await self._respond(self.router, scope, receive, collect)
        except Exception:  # one failed call must not sink the whole batch
            logger.exception("batch call failed: %s %s", call.method, scope["path"])
            return error_answer(api_error(500, "backendError", "Backend Error"))
        self.sandbox.stats.record(call.method, self._template(scope), status, query)
        return answer

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.sandbox.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _drop(receive: Receive, send: Send) -> None:
    """Close the client's connection without answering (a reset, as a flaky network does)."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is not None and hasattr(transport, "abort"):
        transport.abort()
        while (await receive())["type"] != "http.disconnect":
            pass
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"kind"', "more_body": True})
    raise ConnectionAbortedError("connection dropped by a sandbox fault")


def create_app(sandbox: Sandbox | None = None) -> SandboxApp:
    """The ASGI app for ``sandbox`` (a fresh in-memory one when not given)."""
    return SandboxApp(sandbox or Sandbox())
