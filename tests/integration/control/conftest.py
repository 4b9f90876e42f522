"""Control Center fixtures: settings whose Google token endpoint is a local server; a clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from control_world import START, token_endpoint

from studiosync.clock import FakeClock
from studiosync.settings import Settings


@pytest.fixture(scope="session")
def token_url() -> Iterator[str]:
    with token_endpoint() as url:
        yield url


@pytest.fixture
def settings(settings: Settings, token_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The shared settings, with this computer named and Google (the sandbox) on loopback."""
    monkeypatch.setenv("STUDIOSYNC_SANDBOX_URL", token_url)
    monkeypatch.setenv("STUDIOSYNC_COMPUTER_NAME", "desk-1")
    return settings.model_copy(update={"sandbox_url": token_url, "computer_name": "desk-1"})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)
