"""The main job as a new user runs it: `studiosync run` on the embedded defaults.

One process with the demo studio, the sandbox Google, the processor and the web pages: the
demo appointments reach the sandbox calendars, a booking made with the CLI reaches Google
within seconds, an edit in the Google calendar comes back within seconds, and Ctrl+C stops
everything cleanly.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from studiosync.context import open_studio
from studiosync.sandbox.testing import SandboxHandle
from studiosync.settings import Settings
from studiosync.studio.models import Appointment
from studiosync.testing.installed import command_runner, installed_command
from studiosync.testing.postgres import free_port

MAYA = "maya@sandbox.example"
STARTS_WITHIN = 90.0
PUSHED_WITHIN = 10.0  # seconds; the processor looks every second, the promise is 5 s


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the embedded default


@pytest.fixture
def running(tmp_path: Path) -> Iterator[dict[str, Any]]:
    data = tmp_path / "data"
    ports = {"web": free_port(), "sandbox": free_port(), "outbox": free_port()}
    env = {name: value for name, value in os.environ.items() if not name.startswith("STUDIOSYNC_")}
    env.update(STUDIOSYNC_DATA_DIR=str(data), NO_COLOR="1", COLUMNS="200")
    process = subprocess.Popen(
        [
            str(installed_command()),
            "run",
            "--port",
            str(ports["web"]),
            "--sandbox-port",
            str(ports["sandbox"]),
            "--outbox-port",
            str(ports["outbox"]),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield {"process": process, "data": data, "ports": ports}
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def wait_for(condition: Callable[[], Any], seconds: float) -> float:
    started = time.monotonic()
    while True:
        try:
            if condition():
                return time.monotonic() - started
        except (httpx.HTTPError, OSError):
            pass
        if time.monotonic() - started > seconds:
            pytest.fail(f"not within {seconds} s")
        time.sleep(0.2)


def _events(google: SandboxHandle) -> list[dict[str, Any]]:
    answer = google.calendar_service(MAYA).events().list(calendarId=MAYA).execute()
    return list(answer.get("items", []))


def _location(data: Path, title: str) -> str | None:
    studio = open_studio(Settings(data_dir=data))
    try:
        with studio.transaction() as session:
            found = session.scalar(select(Appointment).where(Appointment.title == title))
            return found.location if found else None
    finally:
        studio.close()


def test_the_embedded_studio_syncs_within_seconds_and_stops_on_ctrl_c(
    running: dict[str, Any],
) -> None:
    process, data, ports = running["process"], running["data"], running["ports"]
    web = f"http://127.0.0.1:{ports['web']}"
    wait_for(lambda: httpx.get(web + "/login").status_code == 200, STARTS_WITHIN)
    google = SandboxHandle(f"http://127.0.0.1:{ports['sandbox']}/")
    wait_for(lambda: len(_events(google)) > 0, STARTS_WITHIN)  # the demo's appointments

    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    cli = command_runner(data)
    booked = cli(
        "appointment", "add", "Rivera family session", "--start", f"{tomorrow} 10:00",
        "--minutes", "60", "--photographer", "maya", "--allow-double-booking",
    )  # fmt: skip
    assert booked.code == 0, booked.text

    def arrived() -> dict[str, Any] | None:
        wanted = [e for e in _events(google) if e.get("summary") == "Rivera family session"]
        return wanted[0] if wanted else None

    wait_for(arrived, PUSHED_WITHIN)
    event = arrived()
    assert event is not None
    google.calendar_service(MAYA).events().patch(
        calendarId=MAYA, eventId=event["id"], body={"location": "Beach, north end"}
    ).execute()
    wait_for(lambda: _location(data, "Rivera family session") == "Beach, north end", PUSHED_WITHIN)

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode in (0, 130), output  # 130: stopped by Ctrl+C, as shells expect
    assert "studiosync is running" in output
    assert "Traceback" not in output
