"""schemathesis throws generated requests at every /api/ operation in-process: none may get a 5xx.

Bounded on purpose: a few derandomised examples per operation, so a run takes seconds. Each
operation's strategy comes from the app's own OpenAPI document and calls go through ASGI.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from web_helpers import ADMIN_PASSWORD, MAYA_PASSWORD, Api, Seed

from studiosync.context import Studio
from studiosync.web.app import create_app
from studiosync.web.deps import api_user

EXAMPLES_PER_OPERATION = 10
ENDS_THE_SESSION = {"DELETE /api/token"}


def bearer(app: FastAPI, login: str, password: str) -> dict[str, str]:
    with TestClient(app) as client:
        return {"Authorization": f"Bearer {Api.logged_in(client, login, password).token}"}


def fuzz(app: FastAPI, headers: dict[str, str]) -> dict[str, str]:
    """Run every operation's generated cases; the operations that got a 5xx, with the error."""
    schema = schemathesis.openapi.from_dict(app.openapi())
    failures: dict[str, str] = {}
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda operation: operation.label in ENDS_THE_SESSION,
    )  # the calls that end the token's session go last, or every later call would stop at 401
    assert len(operations) >= 30
    for operation in operations:
        operation.app = app

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            run()
        except Exception as failure:  # collect them all, then report every operation at once
            failures[operation.label] = str(failure)[:2000]
    return failures


@pytest.mark.slow
def test_no_generated_request_gets_a_server_error_as_an_administrator(app: FastAPI) -> None:
    assert fuzz(app, bearer(app, "ada", ADMIN_PASSWORD)) == {}


@pytest.mark.slow
def test_no_generated_request_gets_a_server_error_as_a_user(app: FastAPI) -> None:
    assert fuzz(app, bearer(app, "maya", MAYA_PASSWORD)) == {}


def test_the_fuzzing_notices_a_server_error(studio: Studio, seed: Seed) -> None:
    """The harness itself: a call that breaks is reported, with the operation named."""
    broken = APIRouter(prefix="/api", dependencies=[Depends(api_user)])
    calls: list[int] = []

    @broken.get("/broken")
    def explode(number: int = 0) -> dict[str, int]:
        calls.append(number)
        raise RuntimeError("a bug")

    app = create_app(studio, extra_routers=(broken,))
    failures = fuzz(app, bearer(app, "maya", MAYA_PASSWORD))
    assert list(failures) == ["GET /api/broken"]
    assert calls, "generated requests reached the operation"
