"""Browser tests: the real app served by uvicorn on 127.0.0.1, driven by Debian's Chromium."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_helpers import ADMIN_PASSWORD
from playwright.sync_api import BrowserContext, Page, sync_playwright

from studiosync.context import Studio
from studiosync.control.processor import Processor
from studiosync.notify.testing import SmtpTestServer, running_smtp_server
from studiosync.sandbox.testing import SandboxHandle, running_sandbox
from studiosync.settings import Settings
from studiosync.studio.appointments import Assign, create_appointment
from studiosync.studio.clients import create_client, create_group
from studiosync.studio.models import (
    AppointmentStatus,
    AssignmentRole,
    Origin,
    ResourceKind,
    Role,
)
from studiosync.studio.people import create_resource, create_user
from studiosync.syncstate.runner import sync_user
from studiosync.testing.web import serving_web

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WEEK = dt.date(2026, 5, 4)  # a Monday; the studio is in Europe/London


@pytest.fixture
def backend() -> str:
    """Browser tests are heavy: they run on SQLite only."""
    return "sqlite"


def seed_studio(studio: Studio) -> None:
    """A small believable studio: staff, rooms, clients and a few appointments that week."""
    with studio.transaction() as session:
        create_user(
            session,
            login="ada",
            display_name="Ada Admin",
            role=Role.ADMIN,
            password=ADMIN_PASSWORD,
            email="ada@example.com",
        )
        maya = create_user(
            session,
            login="maya",
            display_name="Maya Lindqvist",
            role=Role.PHOTOGRAPHER,
            password="maya-pass-1",
        )
        theo = create_user(
            session,
            login="theo",
            display_name="Theo Okafor",
            role=Role.PHOTOGRAPHER,
            password="theo-pass-1",
        )
        create_resource(session, kind=ResourceKind.ROOM, name="Studio A")
        create_resource(session, kind=ResourceKind.LOCATION, name="Riverside Park")
        weddings = create_group(session, name="Weddings")
        create_group(session, name="Families & Portraits")
        jane = create_client(
            session,
            name="Jane Doe",
            emails=["jane@example.com"],
            phones=["+44 20 7946 0001"],
            groups=[weddings.id],
        )
        create_client(session, name="Liam Moreau", emails=["liam@example.com"])

        def at(day: int, hour: int, minutes: int = 0) -> dt.datetime:
            return dt.datetime(2026, 5, day, hour - 1, minutes, tzinfo=dt.UTC)  # BST

        create_appointment(
            session,
            title="Wedding consultation",
            start=at(5, 10),
            end=at(5, 11),
            client=jane.id,
            users=[Assign(maya.id, AssignmentRole.PHOTOGRAPHER)],
        )
        create_appointment(
            session,
            title="Engagement shoot",
            start=at(7, 15),
            end=at(7, 17),
            users=[Assign(theo.id, AssignmentRole.PHOTOGRAPHER)],
            status=AppointmentStatus.TENTATIVE,
        )
        create_appointment(
            session,
            title="Dentist",
            start=at(8, 9),
            end=at(8, 10),
            users=[Assign(theo.id)],
            origin=Origin.GOOGLE,
        )


@pytest.fixture
def google() -> Iterator[SandboxHandle]:
    """The sandbox Google, started for the test that asks for it."""
    with running_sandbox() as handle:
        yield handle


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The studio's Google is the sandbox when the test uses one (the ``google`` fixture)."""
    if "google" in request.fixturenames:
        handle: SandboxHandle = request.getfixturevalue("google")
        settings.sandbox_url = handle.base_url
    return settings


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    """A real SMTP server on loopback; what the studio sends lands in its outbox."""
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def processor(studio: Studio, smtp: SmtpTestServer) -> Processor:
    """The front desk's processor (real syncer), checked in; the studio's email set up."""
    smtp.serve(studio, from_address="studio@lumen.example")
    front_desk = Processor(studio=studio, syncer=sync_user, computer="front-desk")
    front_desk.heartbeat(force=True)
    return front_desk


@pytest.fixture
def live_server(studio: Studio) -> Iterator[str]:
    """The web app on 127.0.0.1 on a free port, in a thread, stopped after the test."""
    seed_studio(studio)
    with serving_web(studio) as address:
        yield address


@pytest.fixture
def context(tmp_path: Path) -> Iterator[BrowserContext]:
    """A Chromium with a fresh profile of its own."""
    with sync_playwright() as playwright:
        browser_context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1360, "height": 900},
            bypass_csp=True,  # lets the tests inject the accessibility check
        )
        try:
            yield browser_context
        finally:
            browser_context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def screenshot(page: Page) -> Iterator[Callable[[str], Path]]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    yield take
