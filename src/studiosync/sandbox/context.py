"""The sandbox's parts in one object, plus the request helpers every API module shares."""

from __future__ import annotations

import copy
from collections import Counter, deque
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request

from studiosync.sandbox.auth import Authenticator, Caller
from studiosync.sandbox.channels import Channels
from studiosync.sandbox.clock import SandboxClock
from studiosync.sandbox.config import SandboxConfig
from studiosync.sandbox.errors import GoogleError, api_error, bad_request, not_found
from studiosync.sandbox.events_model import check_writable_error
from studiosync.sandbox.faults import Faults
from studiosync.sandbox.models import WRITE_ROLES, Calendar, Membership
from studiosync.sandbox.persistence import open_persistence
from studiosync.sandbox.quotas import Quotas
from studiosync.sandbox.store import Store
from studiosync.sandbox.tokens import OAuthService


class Stats:
    """Requests counted by method, path template and status (admin calls are not counted).

    Writes to events are also kept one by one with their query parameters (the last
    ``KEPT_WRITES``), so a test can see what each one asked Google to do, such as whether
    guests are e-mailed (``sendUpdates``).
    """

    KEPT_WRITES = 10_000
    WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str, int]] = Counter()
        self.writes: deque[dict[str, Any]] = deque(maxlen=self.KEPT_WRITES)

    def record(self, method: str, template: str, status: int, query: str = "") -> None:
        self.counts[(method, template, status)] += 1
        if method in self.WRITES and "/events" in template:
            params = dict(parse_qsl(query, keep_blank_values=True))
            self.writes.append(
                {"method": method, "path": template, "status": status, "query": params}
            )

    def clear(self) -> None:
        self.counts.clear()
        self.writes.clear()

    def report(self) -> dict[str, Any]:
        rows = [
            {"method": method, "path": path, "status": status, "count": count}
            for (method, path, status), count in sorted(self.counts.items())
        ]
        return {
            "total": sum(self.counts.values()),
            "requests": rows,
            "writes": list(self.writes),
        }


class Sandbox:
    """Configuration, clock, state and the services built on them, for one server."""

    def __init__(
        self,
        config: SandboxConfig | None = None,
        data_path: Path | None = None,
        clock: SandboxClock | None = None,
    ) -> None:
        self.config = config or SandboxConfig()
        self._initial_config = copy.deepcopy(self.config)
        self.clock = clock or SandboxClock()
        self.store = Store(open_persistence(data_path), self.clock)
        self.quotas = Quotas(self.config, self.clock)
        self.faults = Faults()
        self.stats = Stats()
        self.oauth = OAuthService(self.store, self.config)
        self.authenticate = Authenticator(self.store, self.quotas)
        self.channels = Channels(self.clock)
        self.store.on_events_changed = self.channels.changed

    def reset(self) -> None:
        """Back to an empty sandbox with the settings it was started with."""
        self.config.update(asdict(self._initial_config))
        self.store.reset()
        self.quotas.reset()
        self.faults.clear()
        self.stats.clear()
        self.channels.reset()
        self.clock.reset()

    def close(self) -> None:
        self.channels.close()
        self.store.persistence.close()

    def calendar_for(
        self, caller: Caller, calendar_id: str, *, write: bool = False
    ) -> tuple[Calendar, Membership]:
        """The calendar as the caller may use it: 404 if not in their list, 403 if read-only."""
        real_id = caller.email if calendar_id == "primary" else calendar_id
        membership = self.store.membership(caller.email, real_id)
        calendar = self.store.calendars.get(real_id)
        if membership is None or calendar is None:
            raise not_found()
        if membership.access_role == "freeBusyReader" or (
            write and membership.access_role not in WRITE_ROLES
        ):
            raise (
                check_writable_error()
                if write
                else api_error(
                    403, "requiredAccessLevel", "You need to have reader access to this calendar."
                )
            )
        return calendar, membership


def base_url(request: Request) -> str:
    """The URL clients reach this server at (scheme, host and port as they sent them)."""
    host = request.headers.get("host") or "127.0.0.1"
    return f"{request.url.scheme}://{host}"


async def read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise api_error(400, "parseError", "Parse Error") from error


def query_int(
    request: Request,
    name: str,
    default: int,
    *,
    low: int = 1,
    high: int | None = None,
    clamp: bool = False,
) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise bad_request(
            f"Invalid value '{raw}'. Values must match the following regular expression: '-?\\d+'",
            location=name,
        ) from error
    if value < low:
        raise bad_request(f"Invalid value '{raw}' for {name}.", location=name)
    if high is not None and value > high:
        if clamp:
            return high
        raise bad_request(f"Invalid value '{raw}' for {name}.", location=name)
    return value


def query_bool(request: Request, name: str) -> bool:
    raw = request.query_params.get(name)
    if raw is None:
        return False
    lowered = raw.lower()
    if lowered not in ("true", "false"):
        raise bad_request(f"Invalid boolean value: '{raw}'.", location=name)
    return lowered == "true"


def if_match_fails(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-match")
    return wanted is not None and wanted.strip() not in ("*", etag)


def precondition_failed() -> GoogleError:
    return api_error(
        412, "conditionNotMet", "Precondition Failed", location="If-Match", location_type="header"
    )
