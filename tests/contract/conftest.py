"""The provider contract suite's harness fixture: one entry per provider under test.

A provider joins the suite with one more entry in ``HARNESSES``. A test that a provider cannot
pass for a real reason carries ``@pytest.mark.provider_gap(<harness name or names>, "<reason>")``:
it then runs as a strict xfail on those providers only (a pass is reported as a failure).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from studiosync.providers.memory_store import Semantics
from studiosync.sandbox.testing import SandboxHandle, running_sandbox
from studiosync.testing.contract import MemoryHarness, ProviderHarness
from studiosync.testing.contract_dav import DavHarness
from studiosync.testing.contract_google import GoogleSandboxHarness
from studiosync.testing.dav_servers import DavServer, running_dav_server


def _memory(request: pytest.FixtureRequest) -> ProviderHarness:
    del request
    return MemoryHarness()


def _memory_caldav(request: pytest.FixtureRequest) -> ProviderHarness:
    del request
    return MemoryHarness(Semantics.CALDAV)


def _google(request: pytest.FixtureRequest) -> ProviderHarness:
    return GoogleSandboxHarness(request.getfixturevalue("contract_sandbox"))


def _radicale(request: pytest.FixtureRequest) -> ProviderHarness:
    return DavHarness(request.getfixturevalue("contract_radicale"))


def _xandikos(request: pytest.FixtureRequest) -> ProviderHarness:
    return DavHarness(request.getfixturevalue("contract_xandikos"))


HARNESSES: dict[str, Callable[[pytest.FixtureRequest], ProviderHarness]] = {
    "memory": _memory,
    "memory-caldav": _memory_caldav,
    "google-sandbox": _google,
    "caldav-radicale": _radicale,
    "caldav-xandikos": _xandikos,
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "provider_gap(name, reason): a strict xfail on the named provider only"
    )


@pytest.fixture(scope="session")
def contract_sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox() as handle:
        yield handle


@pytest.fixture(scope="session")
def contract_radicale() -> Iterator[DavServer]:
    """One Radicale for the run; each test's harness makes a calendar of its own."""
    with running_dav_server("radicale") as server:
        yield server


@pytest.fixture(scope="session")
def contract_xandikos() -> Iterator[DavServer]:
    """One Xandikos for the run; each test's harness makes a calendar of its own."""
    with running_dav_server("xandikos") as server:
        yield server


@pytest.fixture(params=list(HARNESSES))
def harness(request: pytest.FixtureRequest) -> Iterator[ProviderHarness]:
    name: str = request.param
    for gap in request.node.iter_markers("provider_gap"):
        names = gap.args[0]
        if name in ((names,) if isinstance(names, str) else names):
            request.applymarker(pytest.mark.xfail(strict=True, reason=gap.args[1]))
    made = HARNESSES[name](request)
    try:
        yield made
    finally:
        made.close()
