"""Fixtures for the sandbox conformance suite: one server per run, reset before every test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sandbox_helpers import ANN, CALENDAR, CONTACTS

from studiosync.sandbox.testing import SandboxHandle, running_sandbox


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxHandle]:
    with running_sandbox() as handle:
        yield handle


@pytest.fixture
def google(sandbox_server: SandboxHandle) -> SandboxHandle:
    """The sandbox, emptied: no accounts, no faults, real clock, start-up settings."""
    sandbox_server.reset()
    return sandbox_server


@pytest.fixture
def ann(google: SandboxHandle) -> str:
    google.create_account(ANN, name="Ann Archer")
    return ANN


@pytest.fixture
def calendar(google: SandboxHandle, ann: str) -> Any:
    """A Calendar v3 service of google-api-python-client for Ann, full calendar scope."""
    return google.calendar_service(ann, [CALENDAR])


@pytest.fixture
def api(google: SandboxHandle) -> Iterator[Callable[..., httpx.Client]]:
    """Raw HTTP: api(email, scopes) gives an httpx client carrying that account's bearer token."""
    clients: list[httpx.Client] = []

    def make(email: str = ANN, scopes: list[str] | None = None) -> httpx.Client:
        tokens = google.issue_tokens(email, scopes or [CALENDAR, CONTACTS])
        client = httpx.Client(
            base_url=google.base_url,
            timeout=30.0,
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
