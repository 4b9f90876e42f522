"""Pages speak to a studio owner: screens, not commands; words, not jargon."""

from __future__ import annotations

import re

import pytest
from web_helpers import Browser, Seed, field_error, page_text

from studiosync.context import Studio
from studiosync.control.processor import Processor
from studiosync.studio.google_options import set_google_settings
from studiosync.syncstate.runner import sync_user

pytestmark = pytest.mark.usefixtures("google")  # the studio's Google is the sandbox

JOB = "/control-center/jobs/google-sync"
COMMAND = re.compile(r"\bstudiosync\s+(google|sync|job|processor|computer|user|company|email)\b")


def test_the_control_center_says_things_once_and_without_commands(
    admin: Browser, studio: Studio
) -> None:
    empty = page_text(admin.get("/control-center").text)
    assert not COMMAND.search(empty), empty
    Processor(studio=studio, syncer=sync_user, computer="front-desk", probe_timeout=2).heartbeat(
        force=True
    )
    assert admin.post(f"{JOB}/schedule", {"schedule": "every minute"}).status_code == 303
    words = page_text(admin.get("/control-center").text)
    assert "Every minute" in words and "(every minute)" not in words.lower()
    assert not re.search(r"Online\s+online", words), words


def test_a_wrong_schedule_says_what_to_type(admin: Browser) -> None:
    bad = admin.post(f"{JOB}/schedule", {"schedule": "61 * * * *"})
    said = field_error(bad.text, "schedule")
    assert "the minute must be from 0 to 59" in said
    assert "not acceptable" not in said and "out of range" not in said
    assert "Type 'every N minutes'" in said and not COMMAND.search(said)


def test_the_google_tab_names_screens_not_commands(
    maya: Browser, studio: Studio, seed: Seed
) -> None:
    with studio.transaction() as session:
        set_google_settings(session, "maya", enabled=True, warnings_email="maya@example.com")
    for url in ("/preferences/google", "/troubleshooter"):
        text = page_text(maya.get(url).text)
        assert not COMMAND.search(text), (url, text)
        assert " --" not in text and "invalid_grant" not in text, url
