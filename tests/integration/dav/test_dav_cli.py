"""`studiosync caldav …` as a studio owner types it: connect, list, choose, show, disconnect."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from dav_helpers import SOON, linked_user, new_user

from studiosync.context import Studio
from studiosync.studio import appointments
from studiosync.studio.appointments import Assign
from studiosync.testing.dav_servers import DavServer
from studiosync.testing.installed import Run, command_runner


@pytest.fixture
def backend() -> str:
    """The command line reads the same database either way: SQLite is enough here."""
    return "sqlite"


@pytest.fixture
def run(studio: Studio, dav_server: DavServer) -> Run:
    extra = {"STUDIOSYNC_DATABASE_URL": studio.settings.resolved_database_url}
    if dav_server.ca_file:
        extra["STUDIOSYNC_DAV_CA_BUNDLE"] = dav_server.ca_file
    return command_runner(studio.settings.data_dir, **extra)


def _link(run: Run, server: DavServer, login: str, password: str | None = None) -> object:
    return run(
        "caldav", "link", login, "--server", server.url, "--username", server.username,
        "--password-stdin", stdin=(server.password if password is None else password) + "\n",
    )  # fmt: skip


def test_connect_choose_show_and_disconnect(
    run: Run, studio: Studio, dav_server: DavServer
) -> None:
    new_user(studio, "maya")
    name = f"Bookings {uuid.uuid4().hex[:6]}"
    dav_server.make_calendar(name)
    tasks = dav_server.make_calendar(f"Tasks {uuid.uuid4().hex[:6]}", components=("VTODO",))

    linked = _link(run, dav_server, "maya")
    assert linked.code == 0, linked.text
    assert f"'maya' is connected to {dav_server.username} at" in linked.out
    assert "studiosync caldav calendars maya" in linked.out

    listed = run("caldav", "calendars", "maya")
    assert listed.code == 0, listed.text
    assert name in listed.out and tasks.rstrip("/").rsplit("/", 1)[-1] not in listed.out

    chosen = run("caldav", "select-calendar", "maya", name)
    assert chosen.code == 0, chosen.text
    assert f"'maya' now syncs with the calendar '{name}'" in chosen.out
    assert "➜" in run("caldav", "calendars", "maya").out

    shown = run("caldav", "show", "maya")
    assert shown.code == 0, shown.text
    assert name in shown.out and dav_server.username in shown.out and "accepted" in shown.out
    every_output = linked.text + listed.text + chosen.text + shown.text
    assert dav_server.password not in every_output

    gone = run("caldav", "unlink", "maya")
    assert gone.code == 0 and "nothing was deleted on the server" in gone.out
    after = run("caldav", "show", "maya")
    assert after.code != 0 and "No CalDAV account is connected" in after.text
    assert "studiosync caldav link maya" in after.text


def test_a_wrong_password_is_refused_with_nothing_kept(
    run: Run, studio: Studio, dav_server: DavServer
) -> None:
    new_user(studio, "theo")
    refused = _link(run, dav_server, "theo", password="not-the-password")
    assert refused.code != 0
    assert "refused the sign-in" in refused.text and "app-specific password" in refused.text
    assert "Traceback" not in refused.text
    assert "No CalDAV account is connected" in run("caldav", "show", "theo").text


def test_mistakes_get_one_clear_message_and_no_traceback(
    run: Run, studio: Studio, dav_server: DavServer
) -> None:
    new_user(studio, "ines")
    nobody = run(
        "caldav", "link", "ines", "--server", "https://127.0.0.1:9/", "--username", "x",
        "--password-stdin", stdin="pw\n",
    )  # fmt: skip
    assert nobody.code != 0 and "cannot be reached" in nobody.text
    typo = run(
        "caldav", "link", "ines", "--server", "not a server", "--username", "x",
        "--password-stdin", stdin="pw\n",
    )  # fmt: skip
    assert typo.code != 0 and "is not the address of a calendar server" in typo.text
    no_password = run(
        "caldav", "link", "ines", "--server", dav_server.url, "--username", dav_server.username
    )
    assert no_password.code != 0 and "password" in no_password.text.lower()
    unknown = _link(run, dav_server, "nobody-here")
    assert unknown.code != 0
    missing = run("caldav", "select-calendar", "ines", "Bookings")
    assert missing.code != 0 and "studiosync caldav link ines" in missing.text
    for result in (nobody, typo, no_password, unknown, missing):
        assert "Traceback" not in result.text, result.text


def test_a_sync_and_its_log_name_the_users_calendar_service_not_google(
    run: Run, studio: Studio, dav_server: DavServer
) -> None:
    linked_user(studio, dav_server, "noor")
    with studio.transaction() as session:
        appointments.create_appointment(
            session,
            title="Garden portraits",
            start=SOON,
            end=SOON + dt.timedelta(hours=1),
            users=[Assign("noor")],
        )
    service = "127.0.0.1"  # the test server's host: iCloud, Fastmail... for those servers

    synced = run("sync", "noor")
    assert synced.code == 0, synced.text
    assert f"To {service}" in synced.out and f"Send to {service}" in synced.out
    assert "Garden portraits" in synced.out

    logged = run("logs", "--user", "noor")
    assert logged.code == 0, logged.text
    assert f"Sent 1 new appointment to {service}." in logged.out
    assert "Google" not in synced.out + logged.out
