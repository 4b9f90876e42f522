"""A healthy Google Sync setup (sandbox Google, real SMTP server) to break one bit at a time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.control import jobs
from studiosync.control.processor import Processor
from studiosync.notify.testing import SmtpTestServer, running_smtp_server
from studiosync.sandbox.testing import SandboxHandle, running_sandbox
from studiosync.settings import Settings
from studiosync.studio import clients, company, people
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.studio.models import ResourceKind, SmtpSecurity
from studiosync.syncstate.runner import sync_user

MAYA = "maya@sandbox.example"


@pytest.fixture
def google() -> Iterator[SandboxHandle]:
    with running_sandbox() as handle:
        yield handle


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    with running_smtp_server(auth=("studio", "mail-pw"), auth_require_tls=False) as server:
        yield server


@pytest.fixture
def settings(settings: Settings, google: SandboxHandle) -> Settings:
    settings.sandbox_url = google.base_url
    return settings


@pytest.fixture
def healthy(studio: Studio, google: SandboxHandle, smtp: SmtpTestServer) -> Studio:
    """maya: linked, calendar chosen, sync and contacts on, synced once; email set up."""
    google.create_account(MAYA, "pw")
    with studio.transaction() as session:
        user_id = people.create_user(session, login="maya").id
        people.create_resource(session, kind=ResourceKind.ROOM, name="Studio A")
        clients.create_group(session, name="Google contacts")
        company.set_email_settings(
            session,
            studio.box,
            host=smtp.host,
            port=smtp.port,
            security=SmtpSecurity.NONE,
            username="studio",
            password="mail-pw",
            from_address="studio@example.com",
        )
    link_on_sandbox(studio, google_endpoints(studio.settings), "maya", MAYA, "pw")
    with studio.transaction() as session:
        set_google_settings(
            session,
            "maya",
            enabled=True,
            warnings_email="maya@example.com",
            import_contacts=True,
            contacts_group="Google contacts",
        )
        google_settings(session, "maya").calendar_id = MAYA
    assert sync_user(studio, user_id).ok
    processor = Processor(studio=studio, syncer=sync_user, computer="front-desk")
    processor.heartbeat(force=True)
    with studio.transaction() as session:
        jobs.set_computer(session, "front-desk")
        jobs.set_schedule(session, "every 5 minutes", processor.clock.now())
        jobs.enable(session, processor.clock.now())
    outcome = processor.run_round(manual=True)
    assert outcome is not None
    return studio
