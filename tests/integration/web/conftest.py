"""Fixtures for the web tests: a seeded studio, the real app, and browser-like and API clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_helpers import ADMIN_PASSWORD, MAYA_PASSWORD, Api, Browser, Seed, seed_studio

from studiosync.context import Studio
from studiosync.web.app import create_app


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
