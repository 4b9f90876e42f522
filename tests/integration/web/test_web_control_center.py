"""Utilities > Control Center on the web: the job, computers, rounds, the log, who sees what."""

from __future__ import annotations

import re

import pytest
from web_helpers import Browser, Seed, field_error, page_text

from studiosync.context import Studio
from studiosync.control.models import UserRun
from studiosync.control.processor import Processor
from studiosync.studio.google_options import set_google_settings
from studiosync.syncstate.runner import sync_user

pytestmark = pytest.mark.usefixtures("google")  # the studio's Google is the sandbox

JOB = "/control-center/jobs/google-sync"


@pytest.fixture
def processor(studio: Studio) -> Processor:
    """A processor on 'front-desk' with the real syncer, checked in."""
    runner = Processor(studio=studio, syncer=sync_user, computer="front-desk", probe_timeout=2)
    runner.heartbeat(force=True)
    return runner


def round_with_maya_and_theo(studio: Studio, processor: Processor) -> int:
    """A round in which both have sync on but no account: each skipped with a warning."""
    with studio.transaction() as session:
        for login in ("maya", "theo"):
            set_google_settings(session, login, enabled=True, warnings_email=f"{login}@x.org")
    outcome = processor.run_round(manual=True)
    assert outcome is not None and outcome.users_skipped == 2
    return outcome.run_id


def test_the_job_is_set_up_from_the_page(
    admin: Browser, studio: Studio, processor: Processor
) -> None:
    page = page_text(admin.get("/control-center/jobs").text)
    assert "Calendar Sync Processor" in page and "Disabled" in page
    assert "Every 5 minutes" in page
    assert "front-desk" in page and "Online" in page  # the computers table

    refused = admin.post(f"{JOB}/enable")
    assert refused.status_code == 422
    assert "No computer is chosen to run the job" in field_error(refused.text, "computer")

    bad = admin.post(f"{JOB}/schedule", {"schedule": "every day at noon"})
    assert bad.status_code == 422
    assert "The schedule is not valid" in field_error(bad.text, "schedule")
    assert 'value="every day at noon"' in bad.text, "kept as typed"
    often = admin.post(f"{JOB}/schedule", {"schedule": "every 30 seconds"})
    assert "The schedule runs too often" in field_error(often.text, "schedule")
    assert admin.post(f"{JOB}/schedule", {"schedule": "*/10 7-20 * * mon-fri"}).status_code == 303
    page = page_text(admin.get("/control-center/jobs").text)
    said = "The Calendar Sync Processor job now runs: Every 10 minutes, between 07:00 and 20:59"
    assert said in page

    ghost = admin.post(f"{JOB}/computer", {"computer": "ghost"})
    assert ghost.status_code == 422
    assert 'No computer named "ghost"' in field_error(ghost.text, "computer")
    assert "known: front-desk" in field_error(ghost.text, "computer")
    page = admin.get("/control-center/jobs").text
    assert '<option value="front-desk">front-desk</option>' in page
    assert '<option value="any">any computer that runs a processor</option>' in page
    assert admin.post(f"{JOB}/computer", {"computer": "front-desk"}).status_code == 303

    not_yet = admin.post(f"{JOB}/run-now")
    assert not_yet.status_code == 422
    assert "The job is disabled" in page_text(not_yet.text)
    assert admin.post(f"{JOB}/enable").status_code == 303
    assert admin.post(f"{JOB}/run-now").status_code == 303
    page = page_text(admin.get("/control-center/jobs").text)
    assert "is due now: the processor on front-desk (online) starts it" in page
    assert "due now — waiting for the processor" in page
    assert processor.tick() is not None, "the processor's next check runs the round"
    page = page_text(admin.get("/control-center/jobs").text)
    assert "due now — waiting" not in page
    assert admin.post(f"{JOB}/disable").status_code == 303
    assert "Disabled" in page_text(admin.get("/control-center/jobs").text)


def test_rounds_and_the_log_worded(
    admin: Browser, studio: Studio, processor: Processor, seed: Seed
) -> None:
    run_id = round_with_maya_and_theo(studio, processor)
    runs = admin.get("/control-center/runs").text
    row = re.search(rf'<tr data-run="{run_id}">(.*?)</tr>', runs, re.S)
    assert row, "the round is listed"
    assert "0 ok · 0 with warnings · 0 with errors · 2 skipped" in page_text(row.group(1))
    assert "front-desk" in page_text(row.group(1))

    log = page_text(admin.get(f"/control-center/logs?run={run_id}").text)
    assert "No Google account is linked" in log
    assert "maya has not authenticated a Google account yet" in log
    assert "What to do: Click 'Authenticate My Google Account'" in log
    theo_only = page_text(admin.get("/control-center/logs?user=theo&level=warning").text)
    assert "theo has not" in theo_only and "maya has not" not in theo_only
    errors_only = page_text(admin.get("/control-center/logs?level=error").text)
    assert "No log lines match." in errors_only
    assert admin.get("/control-center/logs?level=loud").status_code == 422
    detail = page_text(admin.get(f"/control-center/runs/{run_id}").text)
    assert "Maya Lindqvist" in detail and "Theo Okafor" in detail
    for page in (page_text(runs), log, detail):  # times in words, never a raw timestamp
        assert "today at " in page or "just now" in page
        assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page), page
    assert admin.get("/control-center/runs/9999").status_code == 404


def test_a_user_sees_only_their_own_history(
    maya: Browser, studio: Studio, processor: Processor, seed: Seed
) -> None:
    run_id = round_with_maya_and_theo(studio, processor)
    assert maya.get("/control-center").status_code == 403
    menu = maya.get("/control-center/runs").text
    nav = re.search(r'<nav aria-label="Main" class="menu">(.*?)</nav>', menu, re.S)
    assert nav and page_text(nav.group(1)) == (
        "Appointments Maintenance Preferences User Preferences Utilities My sync log Troubleshooter"
    )
    mine = page_text(menu)
    assert "Your runs" in mine and f"#{run_id}" in mine
    detail = page_text(maya.get(f"/control-center/runs/{run_id}").text)
    assert "Maya Lindqvist" in detail and "Theo Okafor" not in detail
    assert "'theo'" not in detail
    log = page_text(maya.get("/control-center/logs").text)
    assert "maya has not authenticated" in log and "theo has" not in log
    for url in (
        "/control-center/runs?user=theo",
        "/control-center/logs?user=theo",
        "/control-center/conflicts?user=theo",
    ):
        refused = maya.get(url)
        assert refused.status_code == 403, url
        assert "This is another user's sync history" in page_text(refused.text)
    with studio.transaction() as session:
        session.query(UserRun).filter(UserRun.user_id == seed.maya_id).delete()
    assert maya.get(f"/control-center/runs/{run_id}").status_code == 403
    assert maya.get(f"/control-center/logs?run={run_id}").status_code == 403
