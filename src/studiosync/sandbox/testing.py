"""Run a sandbox for tests, benchmarks and demos: `with running_sandbox() as google: ...`."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from studiosync.sandbox.config import SandboxConfig
from studiosync.sandbox.context import Sandbox
from studiosync.sandbox.server import AnnouncingServer, base_url_of, bind, uvicorn_config

DEFAULT_PASSWORD = "correct horse battery staple"  # noqa: S105 - sandbox test accounts only
CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar"
CONTACTS_SCOPE = "https://www.googleapis.com/auth/contacts"


class SandboxError(RuntimeError):
    """The sandbox did not start, or an admin call was refused."""


class SandboxHandle:
    """A running sandbox: its base URL and small helpers over the admin API."""

    def __init__(self, base_url: str, sandbox: Sandbox | None = None) -> None:
        self.base_url = base_url
        self.sandbox = sandbox
        self.http = httpx.Client(base_url=base_url, timeout=30.0)

    @property
    def token_uri(self) -> str:
        return self.base_url + "/token"

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, "/_sandbox" + path, json=body)
        if response.status_code >= 400:
            raise SandboxError(f"{method} /_sandbox{path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    # accounts and calendars
    def create_account(
        self, email: str, password: str = DEFAULT_PASSWORD, **extra: Any
    ) -> dict[str, Any]:
        """An account with its primary calendar; ``calendars=[{...}]`` adds more."""
        result: dict[str, Any] = self.admin(
            "POST", "/accounts", {"email": email, "password": password, **extra}
        )
        return result

    def add_calendar(
        self, email: str, summary: str, access_role: str = "owner", **extra: Any
    ) -> dict[str, Any]:
        result: dict[str, Any] = self.admin(
            "POST",
            f"/accounts/{email}/calendars",
            {"summary": summary, "accessRole": access_role, **extra},
        )
        return result

    def share_calendar(self, calendar_id: str, email: str, access_role: str) -> dict[str, Any]:
        result: dict[str, Any] = self.admin(
            "POST", f"/calendars/{calendar_id}/share", {"email": email, "accessRole": access_role}
        )
        return result

    # OAuth
    def issue_tokens(
        self, email: str, scopes: Sequence[str] = (CALENDAR_SCOPE,), **extra: Any
    ) -> dict[str, Any]:
        """access_token, refresh_token, expires_in, client_id/secret: no consent page needed."""
        result: dict[str, Any] = self.admin(
            "POST", f"/accounts/{email}/tokens", {"scopes": list(scopes), **extra}
        )
        return result

    def credentials(self, email: str, scopes: Sequence[str] = (CALENDAR_SCOPE,)) -> Any:
        """google-auth Credentials for ``email`` whose refreshes go to this sandbox."""
        from studiosync.providers.google.services import make_credentials

        tokens = self.issue_tokens(email, scopes)
        return make_credentials(
            access_token=tokens["access_token"],
            refresh_token=tokens["refresh_token"],
            client_id=tokens["client_id"],
            client_secret=tokens.get("client_secret", "secret"),
            scopes=list(scopes),
            base_url=self.base_url,
        )

    def calendar_service(self, email: str, scopes: Sequence[str] = (CALENDAR_SCOPE,)) -> Any:
        from studiosync.providers.google.services import build_calendar

        return build_calendar(self.credentials(email, scopes), self.base_url)

    def people_service(self, email: str, scopes: Sequence[str] = (CONTACTS_SCOPE,)) -> Any:
        from studiosync.providers.google.services import build_people

        return build_people(self.credentials(email, scopes), self.base_url)

    def revoke_account(self, email: str) -> int:
        return int(self.admin("POST", f"/accounts/{email}/revoke")["revoked"])

    def change_password(self, email: str, password: str) -> int:
        return int(
            self.admin("POST", f"/accounts/{email}/password", {"password": password})["revoked"]
        )

    def set_daily_limit_exceeded(self, email: str, exceeded: bool = True) -> None:
        self.admin("POST", f"/accounts/{email}/quota", {"daily_limit_exceeded": exceeded})

    # failures, time, settings
    def expire_sync_tokens(self) -> None:
        self.admin("POST", "/sync-tokens/expire")

    def add_fault(self, **spec: Any) -> int:
        """e.g. add_fault(path="/calendar/v3/*", status=503, count=3); returns the rule id."""
        return int(self.admin("POST", "/faults", spec)["id"])

    def clear_faults(self) -> None:
        self.admin("DELETE", "/faults")

    def channels(self) -> dict[str, Any]:
        """Live push channels and the log of notifications sent (``deliveries``)."""
        result: dict[str, Any] = self.admin("GET", "/channels")
        return result

    def add_notification_rule(self, **spec: Any) -> int:
        """e.g. add_notification_rule(action="drop", count=1); returns the rule id."""
        return int(self.admin("POST", "/notification-rules", spec)["id"])

    def clear_notification_rules(self) -> None:
        self.admin("DELETE", "/notification-rules")

    def configure(self, **settings: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.admin("POST", "/config", settings)
        return result

    def advance_clock(self, seconds: float) -> None:
        self.admin("POST", "/clock", {"advance_seconds": seconds})

    def set_clock(self, now: datetime, *, freeze: bool = False) -> None:
        self.admin("POST", "/clock", {"now": now.isoformat(), "freeze": freeze})

    def real_clock(self) -> None:
        self.admin("POST", "/clock", {"real": True})

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self.admin("GET", "/stats")
        return result

    def count(self, method: str, path: str, status: int | None = None) -> int:
        """How many requests matched this method, path template and (optionally) status."""
        return sum(
            row["count"]
            for row in self.stats()["requests"]
            if row["method"] == method
            and row["path"] == path
            and (status is None or row["status"] == status)
        )

    def clear_stats(self) -> None:
        self.admin("DELETE", "/stats")

    def reset(self) -> None:
        self.admin("POST", "/reset")

    def close(self) -> None:
        self.http.close()


@contextmanager
def running_sandbox(
    *,
    data: Path | None = None,
    in_process: bool = True,
    startup_timeout: float = 20.0,
    **options: Any,
) -> Iterator[SandboxHandle]:
    """A sandbox on 127.0.0.1 and a free port, stopped on exit.

    ``options`` are SandboxConfig fields (token_ttl=..., quota_user_per_minute=...). In-process
    runs uvicorn in a background thread; ``in_process=False`` runs `python -m studiosync.sandbox`
    in a child process (what restarts and benchmarks need).
    """
    if in_process:
        with _thread_sandbox(SandboxConfig(**options), data, startup_timeout) as handle:
            yield handle
    else:
        with _process_sandbox(options, data, startup_timeout) as handle:
            yield handle


@contextmanager
def _thread_sandbox(
    config: SandboxConfig, data: Path | None, timeout: float
) -> Iterator[SandboxHandle]:
    sandbox = Sandbox(config, data)
    sock = bind("127.0.0.1", 0)
    ready = threading.Event()
    server = AnnouncingServer(uvicorn_config(sandbox, fast=True), ready.set)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="google-sandbox", daemon=True
    )
    thread.start()
    if not ready.wait(timeout):
        server.should_exit = True
        thread.join(5)
        sock.close()
        raise SandboxError("the sandbox did not start in time")
    handle = SandboxHandle(base_url_of(sock), sandbox)
    try:
        yield handle
    finally:
        handle.close()
        server.should_exit = True
        thread.join(10)
        sock.close()
        sandbox.close()


def _cli_args(options: dict[str, Any], data: Path | None) -> list[str]:
    names = {
        "token_ttl": "--token-ttl",
        "client_id": "--client-id",
        "client_secret": "--client-secret",
        "quota_user_per_minute": "--quota-user-rpm",
        "quota_project_per_minute": "--quota-project-rpm",
        "quota_status": "--quota-status",
    }
    args = ["--host", "127.0.0.1", "--port", "0"]
    if data is not None:
        args += ["--data", str(data)]
    for key, value in options.items():
        if key == "ragged_pages":
            args += ["--ragged-pages"] if value else []
        elif key == "redirect_uris":
            for uri in value:
                args += ["--redirect-uri", uri]
        elif key in names:
            args += [names[key], str(value)]
        else:
            raise SandboxError(f"option {key} cannot be passed to a sandbox process")
    return args


@contextmanager
def _process_sandbox(
    options: dict[str, Any], data: Path | None, timeout: float
) -> Iterator[SandboxHandle]:
    command = [sys.executable, "-m", "studiosync.sandbox", *_cli_args(options, data)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        base_url = _await_announcement(process, timeout)
        handle = SandboxHandle(base_url)
        try:
            yield handle
        finally:
            handle.close()
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _await_announcement(process: subprocess.Popen[str], timeout: float) -> str:
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if "listening on " in line and not found:
                found.append(line.rsplit("listening on ", 1)[1].strip())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    while not found and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    if not found:
        error = process.stderr.read() if process.poll() is not None and process.stderr else ""
        raise SandboxError(f"the sandbox process did not start: {error.strip()}")
    return found[0]
