"""The embedded studio in one process: sandbox Google, linked demo users, processor, web."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import select

from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.models import GoogleAccount
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.clock import SystemClock
from studiosync.context import Studio
from studiosync.control import jobs
from studiosync.control.processor import Processor
from studiosync.errors import ConfigError, ErrorCode
from studiosync.private_files import (
    FOLDER_MODE,
    OUTBOX,
    SANDBOX_STATE,
    create_private_file,
    keep_private,
    write_private_file,
)
from studiosync.sandbox.config import SandboxConfig
from studiosync.sandbox.context import Sandbox
from studiosync.sandbox.server import AnnouncingServer, base_url_of, bind, uvicorn_config
from studiosync.sandbox.testing import SandboxError, SandboxHandle
from studiosync.studio.company import get_company, set_email_settings
from studiosync.studio.demo import DEMO_PASSWORD, STAFF
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.studio.models import SmtpSecurity, User
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
    state = studio.settings.data_dir / SANDBOX_STATE
    create_private_file(state)  # SQLite gives its -wal and -shm the same mode
    sandbox = Sandbox(SandboxConfig(), state)
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
    """The Calendar Sync Processor job: on this computer, every minute, due now."""
    clock = SystemClock()
    with studio.transaction() as session:
        jobs.set_computer(session, computer)
        jobs.set_schedule(session, SCHEDULE, clock.now())
        jobs.enable(session, clock.now())
        jobs.run_now(session, clock.now())


class _Outbox:
    """An aiosmtpd handler that files every message it gets into a folder, one .eml each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
        write_private_file(self.folder / f"{stamp}.eml", envelope.original_content or b"")
        return "250 Message filed in the outbox"


@contextmanager
def running_outbox(studio: Studio, port: int) -> Iterator[Path | None]:
    """When the Email tab is empty, send the demo's emails to a local outbox folder."""
    with studio.transaction() as session:
        configured = bool(get_company(session).smtp_host)
    if configured:
        yield None
        return
    folder = studio.settings.data_dir / OUTBOX
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    keep_private(studio.settings)
    controller = Controller(_Outbox(folder), hostname="127.0.0.1", port=port)
    try:
        controller.start()
    except (OSError, RuntimeError):
        yield None  # the port is taken: the demo runs without email, and its logs say so
        return
    with studio.transaction() as session:
        set_email_settings(
            session,
            studio.box,
            host="127.0.0.1",
            port=port,
            security=SmtpSecurity.NONE,
            from_address="studio@studio.example",
        )
    try:
        yield folder
    finally:
        controller.stop()
        with studio.transaction() as session:  # the demo outbox is gone once we stop
            set_email_settings(session, studio.box, host=None, port=None)


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
