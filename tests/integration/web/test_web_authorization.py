"""Who may call what: every route of the app is crawled as nobody, as a user and as an admin.

A route missing from POLICY fails the test: a new page or API call must say who may use it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount
from web_helpers import ADMIN_PASSWORD, MAYA_PASSWORD, Api, Browser, Seed

from studiosync.context import Studio
from studiosync.control import jobs, records
from studiosync.control.eligibility import Candidate
from studiosync.control.models import GOOGLE_SYNC_JOB
from studiosync.studio.appointments import Assign, create_appointment

PUBLIC = "anyone"
USER = "any logged-in user"
ADMIN = "administrators"
OWNER = "the user named in the address, or administrators"
PARTICIPANT = "the users who took part in that run, or administrators"

POLICY: dict[tuple[str, str], str] = {
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("POST", "/api/token"): PUBLIC,
    ("DELETE", "/api/token"): USER,  # revokes the token it is called with: crawled last
    ("GET", "/"): USER,
    ("GET", "/docs"): USER,
    ("GET", "/openapi.json"): USER,
    ("GET", "/appointments"): USER,
    ("GET", "/appointments/new"): USER,
    ("POST", "/appointments/new"): USER,
    ("GET", "/appointments/{appointment_id}/edit"): USER,
    ("POST", "/appointments/{appointment_id}/edit"): USER,
    ("POST", "/appointments/{appointment_id}/cancel"): USER,
    ("GET", "/preferences/google"): USER,
    ("POST", "/preferences/google"): USER,
    ("GET", "/preferences/google/{login}"): OWNER,
    ("POST", "/preferences/google/{login}"): OWNER,
    ("POST", "/preferences/google/{login}/authenticate"): OWNER,
    ("POST", "/preferences/google/{login}/remove-account"): OWNER,
    ("POST", "/preferences/google/{login}/calendar"): OWNER,
    ("POST", "/preferences/google/{login}/sync-now"): OWNER,
    ("POST", "/preferences/google/{login}/caldav"): OWNER,
    ("POST", "/preferences/google/{login}/caldav/remove"): OWNER,
    ("GET", "/preferences/google-callback"): USER,  # finishes only one's own link (or admin)
    ("GET", "/control-center"): ADMIN,
    ("POST", "/control-center/jobs/{job_key}/enable"): ADMIN,
    ("POST", "/control-center/jobs/{job_key}/disable"): ADMIN,
    ("POST", "/control-center/jobs/{job_key}/schedule"): ADMIN,
    ("POST", "/control-center/jobs/{job_key}/computer"): ADMIN,
    ("POST", "/control-center/jobs/{job_key}/run-now"): ADMIN,
    ("GET", "/control-center/runs"): USER,  # a user: their own runs; ?user=other is 403
    ("GET", "/control-center/runs/{run_id}"): PARTICIPANT,
    ("GET", "/control-center/logs"): USER,  # the same rule as the runs
    ("GET", "/control-center/conflicts"): USER,  # the same rule as the runs
    ("GET", "/troubleshooter"): USER,  # a user: their own checks; ?user=other is 403
    ("GET", "/users"): ADMIN,
    ("GET", "/users/new"): ADMIN,
    ("POST", "/users/new"): ADMIN,
    ("GET", "/users/{user_id}/edit"): ADMIN,
    ("POST", "/users/{user_id}/edit"): ADMIN,
    ("POST", "/users/{user_id}/deactivate"): ADMIN,
    ("POST", "/users/{user_id}/reactivate"): ADMIN,
    ("GET", "/resources"): ADMIN,
    ("GET", "/resources/new"): ADMIN,
    ("POST", "/resources/new"): ADMIN,
    ("GET", "/resources/{resource_id}/edit"): ADMIN,
    ("POST", "/resources/{resource_id}/edit"): ADMIN,
    ("POST", "/resources/{resource_id}/delete"): ADMIN,
    ("GET", "/clients"): ADMIN,
    ("GET", "/clients/new"): ADMIN,
    ("POST", "/clients/new"): ADMIN,
    ("GET", "/clients/{client_id}/edit"): ADMIN,
    ("POST", "/clients/{client_id}/edit"): ADMIN,
    ("POST", "/clients/{client_id}/delete"): ADMIN,
    ("GET", "/groups"): ADMIN,
    ("POST", "/groups/new"): ADMIN,
    ("GET", "/groups/{group_id}/edit"): ADMIN,
    ("POST", "/groups/{group_id}/edit"): ADMIN,
    ("POST", "/groups/{group_id}/delete"): ADMIN,
    ("GET", "/preferences/company"): ADMIN,
    ("POST", "/preferences/company"): ADMIN,
    ("GET", "/preferences/company/email"): ADMIN,
    ("POST", "/preferences/company/email"): ADMIN,
    ("POST", "/preferences/company/email/test"): ADMIN,
    ("GET", "/maintenance"): USER,  # the menu headings: each lists what the viewer may open
    ("GET", "/maintenance/general"): USER,
    ("GET", "/maintenance/client"): USER,
    ("GET", "/maintenance/preferences"): USER,
    ("GET", "/utilities"): USER,
    ("GET", "/preferences/user"): USER,
    ("POST", "/preferences/user"): USER,
    ("GET", "/preferences/company/google"): ADMIN,
    ("POST", "/preferences/company/google"): ADMIN,
    ("GET", "/preferences/google-setup"): USER,
    ("GET", "/preferences/google-setup/{login}"): OWNER,
    ("POST", "/preferences/google-setup/{login}/options"): OWNER,
    ("POST", "/preferences/google-setup/{login}/test-appointment"): OWNER,
    ("GET", "/preferences/google/{login}/remove-account"): OWNER,
    ("GET", "/control-center/jobs"): ADMIN,
    ("GET", "/outbox"): ADMIN,
    ("GET", "/api/me"): USER,
    ("GET", "/api/appointments"): USER,
    ("POST", "/api/appointments"): USER,
    ("GET", "/api/appointments/{appointment_id}"): USER,
    ("PATCH", "/api/appointments/{appointment_id}"): USER,
    ("POST", "/api/appointments/{appointment_id}/cancel"): USER,
    ("DELETE", "/api/appointments/{appointment_id}"): USER,
    ("GET", "/api/google"): USER,
    ("PATCH", "/api/google"): USER,
    ("GET", "/api/users/{user_id}/google"): OWNER,
    ("PATCH", "/api/users/{user_id}/google"): OWNER,
    ("POST", "/api/users/{user_id}/google/sync-now"): OWNER,
    # Google calls it: a channel id and its secret token, not a login, decide (404 otherwise)
    ("POST", "/api/google/notifications"): PUBLIC,
    ("GET", "/api/google/account"): USER,
    ("GET", "/api/users/{user_id}/google/account"): OWNER,
    ("POST", "/api/google/link"): USER,
    ("POST", "/api/users/{user_id}/google/link"): OWNER,
    ("GET", "/api/google/calendars"): USER,
    ("GET", "/api/users/{user_id}/google/calendars"): OWNER,
    ("PUT", "/api/google/calendar"): USER,
    ("PUT", "/api/users/{user_id}/google/calendar"): OWNER,
    ("DELETE", "/api/google/account"): USER,
    ("DELETE", "/api/users/{user_id}/google/account"): OWNER,
    ("GET", "/api/caldav"): USER,
    ("GET", "/api/users/{user_id}/caldav"): OWNER,
    ("PUT", "/api/users/{user_id}/caldav"): OWNER,
    ("DELETE", "/api/users/{user_id}/caldav"): OWNER,
    ("GET", "/api/users/{user_id}/caldav/calendars"): OWNER,
    ("PUT", "/api/users/{user_id}/caldav/calendar"): OWNER,
    ("GET", "/api/control/jobs"): ADMIN,
    ("PATCH", "/api/control/jobs/{job_key}"): ADMIN,
    ("POST", "/api/control/jobs/{job_key}/run-now"): ADMIN,
    ("GET", "/api/control/computers"): ADMIN,
    ("GET", "/api/control/runs"): ADMIN,
    ("GET", "/api/control/runs/{run_id}"): PARTICIPANT,
    ("GET", "/api/control/user-runs"): USER,  # a user: their own; ?user_id=other is 403
    ("GET", "/api/control/logs"): USER,  # the same rule
    ("GET", "/api/control/conflicts"): USER,  # the same rule
    ("GET", "/api/doctor"): USER,
    ("GET", "/api/users/{user_id}/doctor"): OWNER,
    ("GET", "/api/users"): ADMIN,
    ("POST", "/api/users"): ADMIN,
    ("GET", "/api/users/{user_id}"): ADMIN,
    ("PATCH", "/api/users/{user_id}"): ADMIN,
    ("GET", "/api/resources"): ADMIN,
    ("POST", "/api/resources"): ADMIN,
    ("GET", "/api/resources/{resource_id}"): ADMIN,
    ("PATCH", "/api/resources/{resource_id}"): ADMIN,
    ("DELETE", "/api/resources/{resource_id}"): ADMIN,
    ("GET", "/api/clients"): ADMIN,
    ("POST", "/api/clients"): ADMIN,
    ("GET", "/api/clients/{client_id}"): ADMIN,
    ("PATCH", "/api/clients/{client_id}"): ADMIN,
    ("DELETE", "/api/clients/{client_id}"): ADMIN,
    ("GET", "/api/groups"): ADMIN,
    ("POST", "/api/groups"): ADMIN,
    ("GET", "/api/groups/{group_id}"): ADMIN,
    ("PATCH", "/api/groups/{group_id}"): ADMIN,
    ("DELETE", "/api/groups/{group_id}"): ADMIN,
    ("GET", "/api/company"): ADMIN,
    ("PATCH", "/api/company"): ADMIN,
    ("GET", "/api/company/email"): ADMIN,
    ("PATCH", "/api/company/email"): ADMIN,
    ("POST", "/api/company/email/test"): ADMIN,
    ("GET", "/api/company/google"): ADMIN,
    ("PATCH", "/api/company/google"): ADMIN,
    ("GET", "/preferences/company/google/preview"): ADMIN,
}
PUBLIC_MOUNTS = {"/static", "/static/swagger-ui"}
ORDER = {"GET": 0, "POST": 1, "PATCH": 1, "PUT": 1, "DELETE": 2}
Endpoint = tuple[str, str]


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every (method, path) the app answers, from its route table; unknown kinds fail."""
    found: list[Endpoint] = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.route, Mount):
            assert context.path in PUBLIC_MOUNTS, f"unexpected mount {context.path}"
            continue
        assert isinstance(context.route, APIRoute), f"unexpected route {context.path}: classify it"
        methods = set(context.methods or ())
        found += [(method, context.path) for method in sorted(methods - {"HEAD"})]
    last = ("DELETE", "/api/token")
    return sorted(found, key=lambda item: (item == last, ORDER.get(item[0], 1), item[1]))


@pytest.fixture
def others_things(studio: Studio, seed: Seed) -> dict[str, str]:
    """Path values naming things of Theo (user B), as Maya (user A) would try them."""
    with studio.transaction() as session:
        start = dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC)
        appointment = create_appointment(
            session, title="Theo's shoot", start=start, end=start + dt.timedelta(hours=1),
            users=[Assign(seed.theo_id)],
        )  # fmt: skip
        appointment_id = appointment.id
        run = records.start_run(session, jobs.get_job(session).id, "front-desk", "threads", start)
        records.add_users(session, run.id, [Candidate(seed.theo_id, "theo")], start)
        records.finish_run(session, run.id, start + dt.timedelta(seconds=3))
        run_id = run.id
    return {
        "run_id": str(run_id),
        "job_key": GOOGLE_SYNC_JOB,
        "appointment_id": str(appointment_id),
        "user_id": str(seed.theo_id),
        "login": "theo",
        "resource_id": str(seed.room_id),
        "client_id": str(seed.client_id),
        "group_id": str(seed.group_id),
    }


def url_of(path: str, values: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"add a test value for the path parameter {name!r}"
        return values[name]

    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, path)


class Caller:
    """Calls any route the way its kind expects: pages with a form and token, API with JSON."""

    def __init__(self, client: TestClient, token: str | None = None) -> None:
        self.browser = Browser(client)
        self.api = Api(client, token)

    def call(self, method: str, path: str, values: dict[str, str]) -> httpx.Response:
        url = url_of(path, values)
        if path.startswith("/api/"):
            body = {} if method in ("POST", "PATCH", "PUT") else None
            return self.api.call(method, url, body, follow_redirects=False)
        if method == "GET":
            return self.browser.get(url)
        return self.browser.post(url, {})


def shown(caller: Caller, answer: httpx.Response) -> int:
    """The status of the page a GET ends on; a redirect must not lead back to the login."""
    if answer.status_code == 303:
        target = answer.headers["location"]
        assert not target.startswith("/login"), target
        return caller.browser.get(target).status_code
    return answer.status_code


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def test_every_route_has_a_policy(app: FastAPI) -> None:
    routes = set(endpoints(app))
    assert sorted(routes - POLICY.keys()) == [], "say who may use these routes in POLICY"
    assert sorted(POLICY.keys() - routes) == [], "these routes no longer exist"


def test_nobody_logged_in_is_sent_to_log_in(
    app: FastAPI, client: TestClient, others_things: dict[str, str]
) -> None:
    nobody = Caller(client)
    for method, path in endpoints(app):
        answer = nobody.call(method, path, others_things)
        where = f"{method} {path}"
        assert answer.status_code < 500, where
        if POLICY[(method, path)] == PUBLIC:
            continue
        if path.startswith("/api/"):
            assert answer.status_code == 401, where
            assert answer.json()["error"]["code"] == "access.login_required", where
        else:
            assert answer.status_code == 303, where
            assert answer.headers["location"].startswith("/login"), where


def test_a_user_cannot_reach_admin_areas_or_another_users_things(
    app: FastAPI, client: TestClient, others_things: dict[str, str]
) -> None:
    token = Api.logged_in(client, "maya", MAYA_PASSWORD).token
    maya = Caller(client, token)
    maya.browser.login("maya", MAYA_PASSWORD)
    for method, path in endpoints(app):
        rule = POLICY[(method, path)]
        if rule == PUBLIC:
            continue
        answer = maya.call(method, path, others_things)
        where = f"{method} {path}"
        assert answer.status_code < 500, where
        if rule in (ADMIN, OWNER, PARTICIPANT):
            assert answer.status_code == 403, where
        else:
            assert answer.status_code not in (401, 403), where
            if method == "GET":
                assert shown(maya, answer) == 200, where


def test_an_administrator_reaches_everything(
    app: FastAPI, client: TestClient, others_things: dict[str, str]
) -> None:
    token = Api.logged_in(client, "ada", ADMIN_PASSWORD).token
    ada = Caller(client, token)
    ada.browser.login("ada", ADMIN_PASSWORD)
    for method, path in endpoints(app):
        if POLICY[(method, path)] == PUBLIC:
            continue
        answer = ada.call(method, path, others_things)
        where = f"{method} {path}"
        assert answer.status_code < 500, where
        assert answer.status_code not in (401, 403), where
        if method == "GET":
            assert shown(ada, answer) == 200, where
