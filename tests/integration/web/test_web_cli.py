"""`studiosync web` as a person starts it: a real process serving the pages on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
from web_helpers import Seed

from studiosync.context import Studio
from studiosync.settings import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def environment(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": settings.resolved_database_url,
        "NO_COLOR": "1",
    }


def test_studiosync_web_serves_the_login_page(
    settings: Settings, studio: Studio, seed: Seed
) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "studiosync", "web", "--port", str(port), "--log-level", "warning"],
        env=environment(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        answer = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer is not None, process.stderr.read() if process.stderr else ""
        assert answer.status_code == 200
        assert "Test Studio" in answer.text and 'name="csrf_token"' in answer.text
        assert httpx.get(f"http://127.0.0.1:{port}/users").status_code == 303
        assert answer.headers["x-frame-options"] == "DENY"
        wrong = {"login": "ada", "password": "not-it"}
        assert httpx.post(f"http://127.0.0.1:{port}/api/token", json=wrong).status_code == 401
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out
    failed = [line for line in err.splitlines() if "Failed login as 'ada'" in line]
    assert len(failed) == 1, err
    assert " WARNING studiosync.web.logins: Failed login as 'ada' from 127.0.0.1 (" in failed[0]
    assert "not-it" not in err


def test_a_port_in_use_is_worded(settings: Settings, studio: Studio) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "studiosync", "web", "--port", str(port)],
            env=environment(settings),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
