"""Fixtures for the web tests: a seeded studio, the real app, and browser-like and API clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_helpers import ADMIN_PASSWORD, MAYA_PASSWORD, Api, Browser, Seed, seed_studio

from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle, running_sandbox
from studiosync.settings import Settings
from studiosync.web.app import create_app


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The studio's Google is the sandbox when the test uses one (the ``google`` fixture);
    otherwise a port nothing listens on."""
    if "google" in request.fixturenames:
        handle: SandboxHandle = request.getfixturevalue("google")
        settings.sandbox_url = handle.base_url
    else:
        settings.sandbox_url = "http://127.0.0.1:9/"
    return settings


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxHandle]:
    """One sandbox Google for the tests that need one (started only if one asks)."""
    with running_sandbox() as handle:
        yield handle


@pytest.fixture
def google(sandbox_server: SandboxHandle) -> SandboxHandle:
    """The sandbox Google, emptied for this test; a module's ``settings`` points at it."""
    sandbox_server.reset()
    return sandbox_server


@pytest.fixture
def seed(studio: Studio) -> Seed:
    return seed_studio(studio)


@pytest.fixture
def app(studio: Studio, seed: Seed) -> FastAPI:
    return create_app(studio)


@pytest.fixture
def browser(app: FastAPI) -> Iterator[Browser]:
    with TestClient(app) as client:
        yield Browser(client)


@pytest.fixture
def admin(browser: Browser) -> Browser:
    browser.login("ada", ADMIN_PASSWORD)
    return browser


@pytest.fixture
def maya(app: FastAPI) -> Iterator[Browser]:
    with TestClient(app) as client:
        person = Browser(client)
        person.login("maya", MAYA_PASSWORD)
        yield person


@pytest.fixture
def api_client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def admin_api(api_client: TestClient) -> Api:
    return Api.logged_in(api_client, "ada", ADMIN_PASSWORD)


@pytest.fixture
def maya_api(api_client: TestClient) -> Api:
    return Api.logged_in(api_client, "maya", MAYA_PASSWORD)
