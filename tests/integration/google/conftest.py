"""A sandbox Google for each test, and a studio whose settings point at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from studiosync.accounts.endpoints import GoogleEndpoints, google_endpoints
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle, running_sandbox
from studiosync.settings import Settings


@pytest.fixture
def google() -> Iterator[SandboxHandle]:
    with running_sandbox() as handle:
        yield handle


@pytest.fixture
def settings(settings: Settings, google: SandboxHandle) -> Settings:
    settings.sandbox_url = google.base_url
    return settings


@pytest.fixture
def endpoints(studio: Studio) -> GoogleEndpoints:
    return google_endpoints(studio.settings)
