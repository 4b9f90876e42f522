"""The troubleshooter on Google's change notifications: every state says what is true."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import update

from studiosync.accounts.models import PushChannel
from studiosync.context import Studio
from studiosync.control.processor import Processor
from studiosync.doctor.findings import Finding, Verdict
from studiosync.doctor.report import diagnose_user
from studiosync.errors import ErrorCode
from studiosync.syncstate.runner import sync_user
from studiosync.testing.postgres import free_port
from studiosync.testing.web import serving_web


def _push(studio: Studio) -> Finding:
    return next(f for f in diagnose_user(studio, "maya").findings if f.check == "push")


def _open_channels(studio: Studio) -> None:
    opened = Processor(studio=studio, syncer=sync_user, computer="front-desk").keep_channels()
    assert opened is not None


def _age_channel(studio: Studio, **values: object) -> None:
    with studio.transaction() as session:
        session.execute(update(PushChannel).values(**values))


def test_without_a_public_address_it_is_a_hint_not_a_problem(healthy: Studio) -> None:
    found = _push(healthy)
    assert found.verdict is Verdict.INFO
    assert "changes made in Google arrive at each scheduled run" in found.note
    assert "STUDIOSYNC_PUBLIC_URL" in found.note


def test_working_notifications_pass(healthy: Studio, monkeypatch: pytest.MonkeyPatch) -> None:
    with serving_web(healthy) as address:
        monkeypatch.setenv("STUDIOSYNC_PUBLIC_URL", address)
        _open_channels(healthy)
        for _ in range(100):  # Google's first message arrives at once
            with healthy.transaction() as session:
                channel = session.query(PushChannel).one()
                if channel.confirmed_at is not None:
                    break
        found = _push(healthy)
    assert found.verdict is Verdict.OK, found
    assert f"Google notifies {address}/api/google/notifications of every change" in found.note


def test_an_address_google_cannot_reach_is_named(
    healthy: Studio, monkeypatch: pytest.MonkeyPatch
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("STUDIOSYNC_PUBLIC_URL", nobody)
    _open_channels(healthy)
    assert _push(healthy).verdict is Verdict.OK  # just opened: the first message may be on its way

    _age_channel(healthy, created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30))
    found = _push(healthy)
    assert found.verdict is Verdict.WARN and found.code is ErrorCode.PUSH_SILENT
    words = found.explanation
    assert words is not None
    assert f"notify {nobody}/api/google/notifications" in words.cause
    assert "its first message never arrived" in words.cause
    assert "firewall" in words.fix

    _age_channel(healthy, expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
    found = _push(healthy)
    assert found.code is ErrorCode.PUSH_EXPIRED
    assert found.explanation is not None and "were not renewed" in found.explanation.cause


def test_a_refused_channel_says_why_in_the_cli(
    healthy: Studio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIOSYNC_PUBLIC_URL", "http://studio.example.com")  # not HTTPS
    _open_channels(healthy)
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(healthy.settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": healthy.settings.resolved_database_url,
        "STUDIOSYNC_SANDBOX_URL": str(healthy.settings.sandbox_url),
    }
    run = subprocess.run(
        [sys.executable, "-m", "studiosync", "doctor", "--user", "maya", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    data = json.loads(run.stdout)
    push = next(c for c in data["users"][0]["checks"] if c["check"] == "push")
    assert push["verdict"] == "warn"
    assert push["code"] == "push.refused"
    assert "http://studio.example.com/api/google/notifications" in push["cause"]
    assert "HTTPS" in push["fix"] and "STUDIOSYNC_PUBLIC_URL=" in push["command"]
    assert "{" not in push["cause"] + push["fix"]
