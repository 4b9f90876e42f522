"""Every answer carries the security headers; cookies are Secure whenever the site is HTTPS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from test_web_authorization import (  # the route crawler and the things it names
    Caller,
    endpoints,
    others_things,  # noqa: F401 - a fixture
)
from web_helpers import ADMIN_PASSWORD, Api, Browser, Seed

from studiosync.context import Studio
from studiosync.web.app import create_app
from studiosync.web.security import SESSION_COOKIE
from studiosync.web.templating import TEMPLATES_DIR

EXPECTED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def assert_hardened(answer: httpx.Response, where: str) -> None:
    for name, value in EXPECTED.items():
        assert answer.headers.get(name) == value, f"{where}: {name}"
    policy = answer.headers.get("content-security-policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives.get("frame-ancestors") == ["'none'"], where
    assert directives.get("script-src") == ["'self'"], where  # no inline script, no eval
    assert directives.get("default-src") == ["'self'"], where
    if answer.headers.get("content-type", "").startswith("text/html"):
        for tag in re.findall(r"<script\b[^>]*>", answer.text):
            assert "src=" in tag, f"{where}: inline script the policy would block"
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", answer.text), f"{where}: on* handler"


@pytest.fixture
def crash_router() -> APIRouter:
    router = APIRouter()

    @router.get("/crash-for-test")
    def crash() -> None:
        raise RuntimeError("boom")

    return router


@pytest.fixture
def app(studio: Studio, seed: Seed, crash_router: APIRouter) -> FastAPI:
    return create_app(studio, extra_routers=(crash_router,))


def test_every_route_answers_with_the_security_headers(
    app: FastAPI,
    others_things: dict[str, str],  # noqa: F811 - the fixture imported above
) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        ada = Caller(client, Api.logged_in(client, "ada", ADMIN_PASSWORD).token)
        ada.browser.login("ada", ADMIN_PASSWORD)
        crawled = 0
        for method, path in endpoints(app):
            if method != "GET" or path == "/crash-for-test":
                continue
            answer = ada.call(method, path, others_things)
            assert_hardened(answer, f"GET {path}")
            if answer.status_code == 303:  # e.g. / goes to the week
                assert not answer.headers["location"].startswith("/login"), path
                answer = ada.browser.get(answer.headers["location"])
                assert_hardened(answer, f"GET {path}, then where it leads")
            assert answer.status_code == 200, f"GET {path}"
            crawled += 1
        assert crawled > 30
        others = {
            "static file": client.get("/static/style.css"),
            "docs script": client.get("/static/api-docs.js"),
            "swagger asset": client.get("/static/swagger-ui/swagger-ui.css"),
            "missing static": client.get("/static/nothing.css"),
            "unknown page": client.get("/no/such/page"),
            "unknown API": client.get("/api/no/such/call"),
            "API refusal": client.get("/api/me"),
            "login page": TestClient(app).get("/login"),
            "redirect": client.post("/logout", follow_redirects=False),
            "crash": client.get("/crash-for-test"),
        }
        for where, answer in others.items():
            assert_hardened(answer, where)
        assert others["crash"].status_code == 500
        assert others["unknown page"].status_code == 404


def test_no_template_has_inline_script_or_event_handlers() -> None:
    for template in Path(TEMPLATES_DIR).rglob("*.html"):
        text = template.read_text()
        for found in re.finditer(r"<script\b[^>]*>", text):
            assert "src=" in found.group(0), f"{template.name}: inline <script>"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{template.name}: an on* handler"
        assert "javascript:" not in text, template.name


def session_cookie(answer: httpx.Response) -> SimpleCookie:
    header = next(v for k, v in answer.headers.multi_items() if k == "set-cookie")
    cookie = SimpleCookie()
    cookie.load(header)
    assert SESSION_COOKIE in cookie
    return cookie


def login_answer(client: TestClient, **headers: str) -> httpx.Response:
    browser = Browser(client)
    form = {"login": "ada", "password": ADMIN_PASSWORD, "csrf_token": browser.csrf()}
    answer = client.post("/login", data=form, headers=headers, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer


@pytest.fixture
def proxied_app(studio: Studio, seed: Seed) -> Iterator[FastAPI]:
    studio.settings.trusted_proxies = ["10.1.0.0/16"]
    yield create_app(studio)


def test_cookies_are_secure_over_https_or_when_a_trusted_proxy_says_so(
    proxied_app: FastAPI,
) -> None:
    with TestClient(proxied_app, base_url="https://studio.example") as direct:
        assert session_cookie(login_answer(direct))[SESSION_COOKIE]["secure"]
    with TestClient(proxied_app, client=("10.1.2.3", 40000)) as proxy:
        answer = login_answer(proxy, **{"X-Forwarded-Proto": "https"})
        assert session_cookie(answer)[SESSION_COOKIE]["secure"]
        plain = login_answer(proxy)
        assert not session_cookie(plain)[SESSION_COOKIE]["secure"]
    with TestClient(proxied_app, client=("198.51.100.7", 40000)) as stranger:
        spoofed = login_answer(stranger, **{"X-Forwarded-Proto": "https"})
        assert not session_cookie(spoofed)[SESSION_COOKIE]["secure"]


def test_secure_cookies_can_be_required_everywhere(studio: Studio, seed: Seed) -> None:
    with TestClient(create_app(studio, secure_cookies=True)) as client:
        assert session_cookie(client.get("/login"))[SESSION_COOKIE]["secure"]
