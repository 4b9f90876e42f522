"""The studio's files are private to the account that runs studiosync, and the troubleshooter
says so when they are not: folders 0700, database (-wal, -shm), key and outbox 0600."""

from __future__ import annotations

import json
import os
import smtplib
import stat
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import text

from studiosync.context import Studio, open_studio
from studiosync.embedded import running_outbox, serving_sandbox
from studiosync.notify.testing import unused_port
from studiosync.settings import Settings

STUDIOSYNC = str(Path(sys.executable).with_name("studiosync"))


def mode(path: Path) -> str:
    return f"{stat.S_IMODE(path.stat().st_mode):04o}"


def studiosync(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDIOSYNC_DATA_DIR": str(data_dir), "COLUMNS": "250"}
    env.pop("STUDIOSYNC_DATABASE_URL", None)
    return subprocess.run(
        [STUDIOSYNC, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_init_makes_private_files_and_doctor_names_a_loosened_one(tmp_path: Path) -> None:
    data = tmp_path / "studio"
    assert studiosync(data, "init").returncode == 0
    assert (mode(data), mode(data / "studiosync.db"), mode(data / "secret.key")) == (
        "0700",
        "0600",
        "0600",
    )
    opened = open_studio(Settings(data_dir=data, database_url=f"sqlite:///{data}/studiosync.db"))
    try:
        with opened.engine.connect():  # held open: the -wal and -shm files stay
            with opened.transaction() as session:
                session.execute(text("UPDATE company SET name = 'Private Studio'"))
            assert mode(data / "studiosync.db-wal") == mode(data / "studiosync.db-shm") == "0600"
    finally:
        opened.close()

    (data / "studiosync.db").chmod(0o644)  # restored from a backup as anyone-can-read
    data.chmod(0o755)
    found = studiosync(data, "doctor", "--offline", "--json")

    checks = {check["check"]: check for check in json.loads(found.stdout)["studio"]}
    private = checks["private_files"]
    assert private["verdict"] == "warn"
    assert f"{data / 'studiosync.db'} (0644)" in private["cause"]
    assert f"{data} (0755)" in private["cause"]
    assert f"chmod 700 {data} && chmod 600 {data / 'studiosync.db'}" in private["fix"]
    assert mode(data) == "0755"  # the troubleshooter reports, it changes nothing

    assert studiosync(data, "user", "list").returncode == 0  # any other command puts them right
    assert (mode(data), mode(data / "studiosync.db")) == ("0700", "0600")
    again = json.loads(studiosync(data, "doctor", "--offline", "--json").stdout)
    assert {c["check"]: c["verdict"] for c in again["studio"]}["private_files"] == "ok"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_outbox_and_the_emails_filed_in_it_are_private(
    studio: Studio, settings: Settings
) -> None:
    old = settings.data_dir / "outbox"
    old.mkdir(mode=0o755)
    (old / "20261201-090000-000000.eml").write_bytes(b"Subject: from an older version\n\n")
    (old / "20261201-090000-000000.eml").chmod(0o644)
    port = unused_port()
    with running_outbox(studio, port) as folder:
        assert folder == old
        message = EmailMessage()
        message["From"], message["To"] = "studio@studio.example", "maya@studio.example"
        message["Subject"] = "Google Sync: 1 warning"
        message.set_content("Client details live here.")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(message)
    filed = sorted(old.iterdir())
    assert len(filed) == 2
    assert mode(old) == "0700"
    assert [mode(path) for path in filed] == ["0600", "0600"]


def test_the_embedded_sandbox_keeps_the_demo_calendars_private(
    studio: Studio, settings: Settings
) -> None:
    with serving_sandbox(studio, "127.0.0.1", unused_port()) as sandbox:
        sandbox.create_account("maya@sandbox.example")
        state = settings.data_dir / "sandbox.db"
        assert mode(state) == "0600"
        assert mode(Path(f"{state}-wal")) == "0600"
