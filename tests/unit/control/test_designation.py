"""Which computer runs the job, which queue its users go to, and how log ages are read."""

from __future__ import annotations

import datetime as dt

import pytest

from studiosync.control.computers import computer_name, designated_here
from studiosync.control.queues import SHARED_QUEUE, queue_for
from studiosync.control.syncer import load_syncer
from studiosync.control.views import parse_since
from studiosync.errors import ConfigError, ErrorCode, InputError
from studiosync.settings import Settings

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("designated", "me", "runs_here"),
    [
        ("front-desk", "front-desk", True),
        ("Front-Desk", "front-desk", True),
        (" front-desk ", "FRONT-DESK", True),
        ("front-desk", "back-office", False),
        ("any", "back-office", True),
        ("ANY", "front-desk", True),
        (None, "front-desk", False),
    ],
)
def test_the_job_runs_on_the_chosen_computer_or_any(
    designated: str | None, me: str, runs_here: bool
) -> None:
    assert designated_here(designated, me) is runs_here


def test_the_computer_name_comes_from_the_setting_else_the_host_name() -> None:
    assert computer_name(Settings(computer_name="  studio-mac ")) == "studio-mac"
    assert computer_name(Settings(computer_name=None))  # the host name, whatever it is


def test_each_designated_computer_has_its_own_queue_and_any_shares_one() -> None:
    assert queue_for("any") == SHARED_QUEUE
    assert queue_for(None) == SHARED_QUEUE
    assert queue_for("Front Desk") == "studiosync.computer.front_desk"
    assert queue_for("front desk") == queue_for("FRONT DESK")
    assert queue_for("box-a") != queue_for("box-b")


def test_log_ages_and_dates() -> None:
    assert parse_since("30m", NOW, "UTC") == NOW - dt.timedelta(minutes=30)
    assert parse_since("2h", NOW, "UTC") == NOW - dt.timedelta(hours=2)
    assert parse_since("7d", NOW, "UTC") == NOW - dt.timedelta(days=7)
    assert parse_since("2026-12-01 09:00", NOW, "Europe/Paris") == dt.datetime(
        2026, 12, 1, 8, 0, tzinfo=dt.UTC
    )
    with pytest.raises(InputError) as refused:
        parse_since("yesterday-ish", NOW, "UTC")
    assert refused.value.params["field"] == "since"


@pytest.mark.parametrize(
    "path",
    ["no-colon-here", "studiosync.no_such_module:sync", "studiosync.control.queues:missing"],
)
def test_a_wrong_syncer_path_is_a_clear_config_error(path: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_syncer(path)
    assert refused.value.code is ErrorCode.CONTROL_SYNCER_NOT_CONFIGURED
    assert refused.value.params["syncer"] == path


def test_the_syncer_is_chosen_by_import_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIOSYNC_SYNCER", "studiosync.control.queues:queue_for")
    assert load_syncer() is queue_for
