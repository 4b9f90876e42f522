"""A sandbox Google for each test, a studio whose settings point at it, and the sync desk."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from google_world import Desk, Linked

from studiosync.accounts.endpoints import GoogleEndpoints, google_endpoints
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle, running_sandbox
from studiosync.settings import Settings


@pytest.fixture(scope="module")
def shared_google() -> Iterator[SandboxHandle]:
    """One sandbox Google for all the tests of a module marked ``shared_sandbox``."""
    with running_sandbox() as handle:
        yield handle


@pytest.fixture
def google(request: pytest.FixtureRequest) -> Iterator[SandboxHandle]:
    """A sandbox Google of this test's own; in a module marked ``shared_sandbox``, the module's
    one, emptied first (no accounts, no faults, real clock, start-up settings)."""
    if request.node.get_closest_marker("shared_sandbox") is None:
        with running_sandbox() as handle:
            yield handle
        return
    shared: SandboxHandle = request.getfixturevalue("shared_google")
    shared.reset()
    yield shared


@pytest.fixture
def settings(settings: Settings, google: SandboxHandle) -> Settings:
    settings.sandbox_url = google.base_url
    return settings


@pytest.fixture
def endpoints(studio: Studio) -> GoogleEndpoints:
    return google_endpoints(studio.settings)


@pytest.fixture
def desk(studio: Studio, google: SandboxHandle, endpoints: GoogleEndpoints) -> Desk:
    return Desk(studio, google, endpoints)


@pytest.fixture
def maya(desk: Desk) -> Linked:
    """maya, linked with two-way sync and synced once (a module may define its own maya)."""
    user = desk.link("maya", two_way=True)
    desk.sync(user)
    return user
