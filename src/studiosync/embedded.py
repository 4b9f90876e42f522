"""The embedded studio in one process: sandbox Google, linked demo users, processor, web."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select

from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.models import GoogleAccount
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.control import jobs
from studiosync.control.clock import SystemClock
from studiosync.control.processor import Processor
from studiosync.errors import ConfigError, ErrorCode
from studiosync.sandbox.config import SandboxConfig
from studiosync.sandbox.context import Sandbox
from studiosync.sandbox.server import AnnouncingServer, base_url_of, bind, uvicorn_config
from studiosync.sandbox.testing import SandboxError, SandboxHandle
from studiosync.studio.demo import DEMO_PASSWORD, STAFF
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.studio.models import User
from studiosync.syncstate.runner import sync_user

SCHEDULE = "every 1 minute"


@dataclass(frozen=True)
class DemoAccount:
    login: str
    google_email: str


def demo_google_email(login: str) -> str:
    return f"{login}@sandbox.example"


@contextmanager
def serving_sandbox(studio: Studio, host: str, port: int) -> Iterator[SandboxHandle]:
    """The sandbox Google on host:port, its state kept in the data directory across runs."""
    try:
        sock = bind(host, port)
    except OSError as error:
        raise ConfigError(
            ErrorCode.SETTINGS_INVALID,
            reason=f"the sandbox cannot listen on {host}:{port} ({error.strerror or error}); "
            "choose another --sandbox-port",
        ) from error
    sandbox = Sandbox(SandboxConfig(), studio.settings.data_dir / "sandbox.db")
    ready = threading.Event()
    server = AnnouncingServer(uvicorn_config(sandbox), ready.set)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="sandbox", daemon=True
    )
    thread.start()
    ready.wait(30)
    try:
        yield SandboxHandle(base_url_of(sock), sandbox)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        sandbox.close()


def link_demo_users(studio: Studio, google: SandboxHandle) -> list[DemoAccount]:
    """Each demo photographer and assistant gets a sandbox account, linked and syncing."""
    endpoints = google_endpoints(studio.settings)
    linked: list[DemoAccount] = []
    for login, _name, _role in STAFF:
        email = demo_google_email(login)
        with contextlib.suppress(SandboxError):  # made on an earlier run, and kept
            google.create_account(email, DEMO_PASSWORD)
        with studio.transaction() as session:
            user = session.scalar(select(User).where(User.login == login))
            if user is None:
                continue
            known = session.get(GoogleAccount, user.id) is not None
        if not known:
            link_on_sandbox(studio, endpoints, login, email, DEMO_PASSWORD)
            with studio.transaction() as session:
                google_settings(session, login).calendar_id = email
                set_google_settings(
                    session,
                    login,
                    enabled=True,
                    warnings_email=f"{login}@studio.example",
                    two_way=True,
                    populate_google=True,
                    email_detailed_logs=True,
                )
        linked.append(DemoAccount(login, email))
    return linked


def schedule_processor(studio: Studio, computer: str) -> None:
    """The Google Sync Processor job: on this computer, every minute, due now."""
    clock = SystemClock()
    with studio.transaction() as session:
        jobs.set_computer(session, computer)
        jobs.set_schedule(session, SCHEDULE, clock.now())
        jobs.enable(session, clock.now())
        jobs.run_now(session, clock.now())


@contextmanager
def running_processor(studio: Studio) -> Iterator[Processor]:
    processor = Processor.from_settings(studio, sync_user)
    processor.heartbeat(force=True)
    schedule_processor(studio, processor.computer)
    stop = threading.Event()
    thread = threading.Thread(
        target=processor.serve,
        args=(stop,),
        kwargs={"poll_seconds": 2.0},
        name="processor",
        daemon=True,
    )
    thread.start()
    try:
        yield processor
    finally:
        stop.set()
        thread.join(30)
