"""Helpers of the web tests: seeding a studio, a browser-like client, an API client, page text."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi.testclient import TestClient

from studiosync.accounts.sandbox_signin import sign_in
from studiosync.context import Studio
from studiosync.studio.clients import create_client, create_group
from studiosync.studio.models import ResourceKind, Role
from studiosync.studio.people import create_resource, create_user

ADMIN_PASSWORD = "admin-pass-1"
MAYA_PASSWORD = "maya-pass-1"
THEO_PASSWORD = "theo-pass-1"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Seed:
    """The records every web test starts with."""

    admin_id: int
    maya_id: int
    theo_id: int
    room_id: int
    group_id: int
    client_id: int


def seed_studio(studio: Studio) -> Seed:
    with studio.transaction() as session:
        admin = create_user(
            session, login="ada", display_name="Ada Admin", role=Role.ADMIN,
            password=ADMIN_PASSWORD, email="ada@example.com",
        )  # fmt: skip
        maya = create_user(
            session, login="maya", display_name="Maya Lindqvist", role=Role.PHOTOGRAPHER,
            password=MAYA_PASSWORD, email="maya@example.com",
        )  # fmt: skip
        theo = create_user(
            session, login="theo", display_name="Theo Okafor", role=Role.PHOTOGRAPHER,
            password=THEO_PASSWORD,
        )  # fmt: skip
        room = create_resource(session, kind=ResourceKind.ROOM, name="Studio A")
        group = create_group(session, name="Weddings")
        client = create_client(
            session, name="Jane Doe", emails=["jane@example.com"], groups=[group.id]
        )
        return Seed(admin.id, maya.id, theo.id, room.id, group.id, client.id)


class Browser:
    """A TestClient that behaves like a person's browser: cookies, form posts with the token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(url, follow_redirects=False, **kwargs)

    def csrf(self) -> str:
        """The form token of this browser session, as a page shows it."""
        page = self.client.get("/login", follow_redirects=True)
        found = CSRF_INPUT.search(page.text)
        assert found, "every page with a form carries the CSRF token"
        return found.group(1)

    def post(
        self, url: str, data: dict[str, Any] | None = None, *, token: bool = True
    ) -> httpx.Response:
        form = dict(data or {})
        if token:
            form.setdefault("csrf_token", self.csrf())
        return self.client.post(url, data=form, follow_redirects=False)

    def login(self, login: str, password: str) -> httpx.Response:
        answer = self.post("/login", {"login": login, "password": password})
        assert answer.status_code == 303, answer.text
        return answer


class Api:
    """A JSON API client holding one user's bearer token."""

    def __init__(self, client: TestClient, token: str | None = None) -> None:
        self.client = client
        self.token = token

    @classmethod
    def logged_in(cls, client: TestClient, login: str, password: str) -> Api:
        answer = client.post("/api/token", json={"login": login, "password": password})
        assert answer.status_code == 200, answer.text
        return cls(client, answer.json()["access_token"])

    def call(self, method: str, url: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self.client.request(method, url, json=body, headers=headers, **kwargs)


def field_error(page: str, field: str) -> str:
    """The worded error shown next to a form field ('' when there is none)."""
    found = re.search(
        rf'<p class="field-error" id="{re.escape(field)}-error"[^>]*>(.*?)</p>', page, re.S
    )
    return page_text(found.group(1)) if found else ""


def alerts(page: str) -> str:
    """The text of the problem boxes above a form."""
    boxes = re.findall(r'<div class="alert" role="alert">(.*?)</div>', page, re.S)
    return " ".join(page_text(box) for box in boxes)


def page_text(fragment: str) -> str:
    """What a person reads in an HTML fragment: tags dropped, entities decoded, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def consent_answer(consent_url: str, email: str, password: str, *, allow: bool = True) -> str:
    """Sign in on the sandbox's consent page; the callback address (path and query) it sends to."""
    answer = sign_in(consent_url, email, password, allow=allow)
    return "/preferences/google-callback?" + urlencode(answer)


def section_text(page: str) -> str:
    """What a person reads in the Google account section of a Google tab."""
    found = re.search(r'<section class="card google-account".*?</section>', page, re.S)
    return page_text(found.group(0)) if found else ""
