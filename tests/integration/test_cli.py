"""The command line as a person uses it: real processes, worded errors, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from studiosync.context import Studio
from studiosync.settings import Settings
from studiosync.studio.company import get_company
from studiosync.studio.feed import latest_seq
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import Appointment, ResourceKind, User
from studiosync.studio.people import create_resource, create_user


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


def runner(data_dir: Path, database_url: str | None) -> Run:
    env = {**os.environ, "STUDIOSYNC_DATA_DIR": str(data_dir), "COLUMNS": "220", "NO_COLOR": "1"}
    env.pop("STUDIOSYNC_DATABASE_URL", None)
    if database_url:
        env["STUDIOSYNC_DATABASE_URL"] = database_url

    def run(*args: str, stdin: str | None = None) -> Result:
        done = subprocess.run(
            [sys.executable, "-m", "studiosync", *args],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def cli(settings: Settings) -> Run:
    return runner(settings.data_dir, settings.resolved_database_url)


def test_commands_before_init_ask_for_init(tmp_path: Path) -> None:
    cli = runner(tmp_path / "fresh", None)
    result = cli("user", "list")
    assert result.code == 1
    assert "studiosync init" in result.err
    assert cli("init").code == 0
    assert (tmp_path / "fresh" / "studiosync.db").exists()
    assert cli("user", "list").code == 0


def test_demo_data_builds_a_believable_studio_once(cli: Run) -> None:
    first = cli("demo-data")
    assert first.code == 0, first.err
    assert "50" in first.out and "20" in first.out
    again = cli("demo-data")
    assert again.code == 0 and "already there" in again.out
    listed = cli("appointment", "list")
    assert listed.out.count("studio ") >= 50  # the "From" column of every row
    users = cli("user", "list").out
    assert "photographer" in users and "assistant" in users
    assert "Studio A" in cli("resource", "list").out
    assert "Weddings" in cli("group", "list").out


def test_the_whole_back_office_round_trip(cli: Run) -> None:
    assert cli("init", "--name", "Lumen", "--time-zone", "Europe/Paris").code == 0
    assert cli("user", "add", "maya", "--name", "Maya L", "--role", "photographer").code == 0
    assert cli("resource", "add", "Studio A", "--kind", "room").code == 0
    assert cli("group", "add", "Weddings").code == 0
    assert (
        cli("client", "add", "Jane Doe", "--email", "jane@example.com", "--group", "Weddings").code
        == 0
    )
    booked = cli(
        "appointment",
        "add",
        "Portrait",
        "--start",
        "2026-12-01 10:00",
        "--minutes",
        "90",
        "--client",
        "Jane Doe",
        "--photographer",
        "maya",
        "--resource",
        "Studio A",
    )
    assert booked.code == 0, booked.err
    assert "2026-12-01 10:00–11:30" in booked.out
    assert cli("appointment", "edit", "1", "--title", "Portrait session").code == 0
    listed = cli("appointment", "list", "--user", "maya").out
    assert "Portrait session" in listed and "Jane Doe" in listed and "Studio A" in listed
    assert cli("appointment", "cancel", "1").code == 0
    assert "cancelled" in cli("appointment", "list").out
    assert cli("appointment", "delete", "1").code == 0
    assert "Portrait" not in cli("appointment", "list").out
    assert cli("client", "edit", "Jane Doe", "--phone", "+1 555 0100").code == 0
    assert "+1 555 0100" in cli("client", "list", "--group", "Weddings").out
    assert cli("user", "edit", "maya", "--inactive").code == 0
    assert cli("user", "delete", "maya").code == 0
    assert "maya" not in cli("user", "list").out


def test_email_settings_keep_the_password_secret(cli: Run) -> None:
    assert cli("init").code == 0
    saved = cli(
        "company",
        "email",
        "--host",
        "smtp.example.com",
        "--port",
        "587",
        "--security",
        "starttls",
        "--username",
        "studio",
        "--password-stdin",
        "--from",
        "studio@example.com",
        stdin="pa55-word\n",
    )
    assert saved.code == 0, saved.err
    shown = cli("company", "show")
    assert "smtp.example.com" in shown.out and "set" in shown.out
    assert "pa55-word" not in shown.out + shown.err


def test_the_smtp_password_never_travels_as_an_argument_or_in_clear(cli: Run) -> None:
    assert cli("init").code == 0
    typed = cli("company", "email", "--username", "studio", "--password", "pa55-word")
    assert typed.code == 2 and "cannot be typed as part of the command" in typed.err
    assert "--ask-password" in typed.err and "pa55-word" not in typed.out + typed.err

    nameless = cli("company", "email", "--password-stdin", stdin="pa55-word")
    assert nameless.code == 2 and "needs a username" in nameless.err

    clear = ("company", "email", "--host", "mail.lan", "--security", "none", "--username", "s")
    refused = cli(*clear, "--password-stdin", stdin="pa55-word")
    assert refused.code == 2 and "would be sent unprotected" in refused.err
    [row] = [line for line in cli("company", "show").out.splitlines() if "SMTP password" in line]
    assert "not set" in row  # nothing was written

    allowed = cli(*clear, "--password-stdin", "--allow-plaintext", stdin="pa55-word")
    assert allowed.code == 0, allowed.err
    [row] = [line for line in cli("company", "show").out.splitlines() if "SMTP password" in line]
    assert "set" in row and "not set" not in row


def test_google_options_round_trip(cli: Run) -> None:
    assert cli("init").code == 0
    assert cli("user", "add", "maya").code == 0
    assert cli("group", "add", "Google contacts").code == 0
    saved = cli(
        "google",
        "options",
        "maya",
        "--enable",
        "--warnings-email",
        "maya@example.com",
        "--two-way",
        "--contacts",
        "--contacts-group",
        "Google contacts",
    )
    assert saved.code == 0, saved.err
    shown = cli("google", "show", "maya").out
    assert "☑ maya@example.com" in shown and "Google contacts" in shown


def _snapshot(studio: Studio) -> tuple[object, ...]:
    with studio.transaction() as session:
        tab = google_settings(session, "maya")
        return (
            session.scalar(select(func.count()).select_from(Appointment)),
            session.scalar(select(func.count()).select_from(User)),
            latest_seq(session),
            (tab.enabled, tab.import_contacts, tab.warnings_email),
            get_company(session).time_zone,
        )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            [
                "appointment",
                "add",
                "X",
                "--start",
                "2026-12-01 10:00",
                "--end",
                "2026-12-01 09:00",
                "--photographer",
                "maya",
            ],
            "ends before it starts",
        ),
        (
            ["appointment", "add", "X", "--start", "2026-12-01 10:00", "--photographer", "ghost"],
            'There is no user "ghost"',
        ),
        (
            ["appointment", "add", "X", "--start", "2026-12-01 10:00", "--client", "Nobody"],
            'There is no client "Nobody"',
        ),
        (
            [
                "appointment",
                "add",
                "X",
                "--start",
                "2026-12-01 10:00",
                "--photographer",
                "Studio A",
            ],
            "Studio A is a resource (room), not a user",
        ),
        (["appointment", "add", "X", "--start", "tomorrow"], "YYYY-MM-DD HH:MM"),
        (["appointment", "add", "X", "--start", "1899-12-31 10:00"], "from 1900 to 2200"),
        (["appointment", "add", "X", "--start", "2201-01-01 10:00"], "from 1900 to 2200"),
        (["google", "options", "Studio A", "--enable"], "Resources such as locations or rooms"),
        (["google", "options", "maya", "--enable"], "no address is set for warnings"),
        (["google", "options", "maya", "--contacts"], "no existing client group"),
        (["google", "options", "maya", "--privacy", "secret"], "choose full, hide-client or busy"),
        (["user", "add", "maya"], 'Another user already has the login "maya"'),
        (["user", "add", "bad login!"], "letters, digits"),
        (["company", "set", "--time-zone", "Nowhere/Town"], "names no known time zone"),
        (
            ["company", "google-fields", "--summary-template", "{title} – {customer}"],
            "{customer} is not a field; the fields are {title}, {type}, {client}, {room}",
        ),
        (
            ["company", "google-fields", "--notes", "google", "--location", "phone"],
            "choose google, studio or newest",
        ),
    ],
)
def test_bad_input_is_one_clear_message_a_nonzero_exit_and_no_write(
    cli: Run, studio: Studio, args: list[str], words: str
) -> None:
    with studio.transaction() as session:
        create_user(session, login="maya")
        create_resource(session, kind=ResourceKind.ROOM, name="Studio A")
    before = _snapshot(studio)
    result = cli(*args)
    assert result.code == 2, (result.out, result.err)
    assert words in " ".join(result.err.split())
    assert "Fix:" in result.err
    assert "Traceback" not in result.err
    assert _snapshot(studio) == before


def test_a_double_booking_is_refused_unless_allowed(cli: Run, studio: Studio) -> None:
    with studio.transaction() as session:
        create_user(session, login="maya", display_name="Maya")
        create_resource(session, kind=ResourceKind.ROOM, name="Studio A")
    book = ("appointment", "add", "Shoot", "--start", "2026-12-01 10:00", "--minutes", "60",
            "--photographer", "maya")  # fmt: skip
    assert cli(*book).code == 0
    clash = cli("appointment", "add", "Call", "--start", "2026-12-01 10:30", "--minutes", "15",
                "--user", "maya")  # fmt: skip
    assert clash.code == 2
    said = " ".join(clash.err.split())
    assert "Maya is already booked for “Shoot”, Tue 1 Dec, 10:00–11:00" in said
    assert "--allow-double-booking" in said
    allowed = cli("appointment", "add", "Call", "--start", "2026-12-01 10:30", "--minutes", "15",
                  "--user", "maya", "--allow-double-booking")  # fmt: skip
    assert allowed.code == 0, allowed.err


def test_the_google_tab_of_company_preferences_from_the_command_line(
    cli: Run, studio: Studio
) -> None:
    saved = cli(
        "company", "google-fields", "--summary-template", "{title} – {client}", "--title", "newest"
    )
    assert saved.code == 0, saved.err
    shown = " ".join(cli("company", "show").out.replace("│", " ").split())
    assert "Google summary template {title} – {client}" in shown
    assert "Google edits of the title newest (newest edit wins)" in shown
    assert "Google edits of the location google (Google edits accepted)" in shown
    with studio.transaction() as session:
        company = get_company(session)
        assert (company.summary_template, company.google_title) == ("{title} – {client}", "newest")
