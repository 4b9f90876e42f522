"""The Control Center commands as a person runs them: worded refusals, exit codes, signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from control_world import add_user
from sqlalchemy import func, select

from studiosync import cli as root
from studiosync.cli import common
from studiosync.context import Studio
from studiosync.control.models import Run
from studiosync.notify.testing import running_smtp_server, unused_port
from studiosync.settings import Settings, get_settings
from studiosync.studio.company import set_email_settings

HERE = Path(__file__).parent
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@dataclass
class Result:
    code: int
    out: str
    err: str


Run_ = Callable[..., Result]


def _env(settings: Settings) -> dict[str, str]:
    return {
        "STUDIOSYNC_DATA_DIR": str(settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": settings.resolved_database_url,
        "STUDIOSYNC_SANDBOX_URL": str(settings.sandbox_url),
        "STUDIOSYNC_COMPUTER_NAME": "desk-1",
        "STUDIOSYNC_SYNCER": "control_syncers:warns_about_one_event",
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }


@pytest.fixture
def cli(
    settings: Settings,
    studio: Studio,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Run_:
    """The command line's own entry point and error handler, run in this process (fast)."""
    for name, value in _env(settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(common.console, "_width", 200)
    monkeypatch.setattr(root.err_console, "_width", 200)

    def run(*args: str) -> Result:
        get_settings.cache_clear()
        monkeypatch.setattr(sys, "argv", ["studiosync", *args])
        try:
            root.main()
            code = 0
        except SystemExit as finished:
            code = int(finished.code or 0)
        out, err = capsys.readouterr()
        get_settings.cache_clear()
        return Result(code, " ".join(out.split()), " ".join(err.split()))

    return run


@sqlite_only
def test_setting_up_the_job_refuses_bad_input_with_the_fix(cli: Run_) -> None:
    listed = cli("job", "list")
    assert listed.code == 0
    assert "Calendar Sync Processor" in listed.out and "Every 5 minutes" in listed.out
    assert "not chosen" in listed.out

    refused = cli("job", "enable")
    assert refused.code == 2
    assert "No computer is chosen" in refused.err and "studiosync job computer" in refused.err

    unknown = cli("job", "computer", "attic-pc")
    assert unknown.code == 2 and "Unknown computer" in unknown.err

    too_often = cli("job", "schedule", "every 20 seconds")
    assert too_often.code == 2 and "more than once a minute" in too_often.err
    never = cli("job", "schedule", "0 9 30 2 *")
    assert never.code == 2 and "never run" in never.err

    assert cli("computer", "register").code == 0
    assert "desk-1" in cli("computer", "list").out
    assert cli("job", "computer", "desk-1").code == 0
    scheduled = cli("job", "schedule", "*/10 8-18 * * 1-5")
    assert scheduled.code == 0
    assert "Every 10 minutes, between 08:00 and 18:59, Monday through Friday" in scheduled.out
    assert cli("job", "enable").code == 0
    shown = cli("job", "list").out
    assert "desk-1" in shown and "online" in shown and "yes" in shown


@sqlite_only
def test_run_now_here_then_read_the_logs(cli: Run_, studio: Studio) -> None:
    with studio.transaction() as session:
        add_user(session, "maya")
    ran = cli("job", "run-now", "--here")
    assert ran.code == 0, ran.err
    assert "Round 1: warning" in ran.out

    warnings = cli("logs", "--level", "warning", "--user", "maya")
    assert warnings.code == 0
    assert "⚠ A Google event was put aside: “Dentist”, Thu 3 Dec 2026, all day" in warnings.out
    assert "What to do: Open the event in Google Calendar" in warnings.out
    assert "Email is not set up" in warnings.out  # the Email tab is empty: named, not fatal
    assert "Run: studiosync company email --host SERVER" in warnings.out  # a command, here
    assert "Where: Maintenance > Preferences" not in warnings.out
    assert "Round" in cli("logs", "runs").out
    assert "No log lines match." in cli("logs", "--run", "99").out
    bad_since = cli("logs", "--since", "last tuesday")
    assert bad_since.code == 2 and "30m, 2h or 7d" in bad_since.err
    assert "Removed 0 round(s)" in cli("logs", "prune").out

    disabled = cli("job", "run-now")
    assert disabled.code == 2 and "The job is disabled" in disabled.err


@sqlite_only
def test_email_test_sends_or_names_the_smtp_problem(cli: Run_, studio: Studio) -> None:
    not_set = cli("email", "test", "owner@example.com")
    assert not_set.code == 1 and "Email is not set up" in not_set.err

    with running_smtp_server() as server:
        server.serve(studio, from_address="studio@example.com")
        sent = cli("email", "test", "owner@example.com")
        assert sent.code == 0, sent.err
        [message] = server.wait_for_messages(1)
        assert message.recipients == ("owner@example.com",)

    with studio.transaction() as session:
        set_email_settings(session, studio.box, port=unused_port())
    refused = cli("email", "test", "owner@example.com")
    assert refused.code == 1 and "The mail server refused the connection" in refused.err

    with studio.transaction() as session:
        set_email_settings(session, studio.box, host="no-such-host.invalid")
    unknown = cli("email", "test", "owner@example.com")
    assert unknown.code == 1 and "cannot be found" in unknown.err


@sqlite_only
def test_the_processor_runs_until_told_to_stop(
    settings: Settings, studio: Studio, cli: Run_
) -> None:
    with studio.transaction() as session:
        add_user(session, "maya")
    assert cli("computer", "register").code == 0
    assert cli("job", "computer", "any").code == 0
    assert cli("job", "enable").code == 0
    once = cli("processor", "--once")
    assert once.code == 0 and "Round 1" in once.out
    assert "Nothing due" in cli("processor", "--once").out

    process = subprocess.Popen(
        [sys.executable, "-m", "studiosync", "processor", "--poll", "0.2"],
        env={**os.environ, **_env(settings)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert cli("job", "run-now").code == 0
        deadline = time.monotonic() + 30
        while _rounds(studio) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _rounds(studio) == 2
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Processor stopped." in out


def _rounds(studio: Studio) -> int:
    with studio.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(Run)) or 0)
