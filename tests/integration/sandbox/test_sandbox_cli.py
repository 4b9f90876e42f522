"""`studiosync sandbox` on the command line: options, and worded errors for bad starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studiosync.sandbox.testing import SandboxError, running_sandbox


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studiosync.sandbox", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_lists_the_options() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for option in (
        "--host",
        "--port",
        "--data",
        "--token-ttl",
        "--quota-user-rpm",
        "--quota-project-rpm",
        "--quota-status",
        "--client-id",
    ):
        assert option in result.stdout


def test_half_a_fixed_client_is_an_input_error() -> None:
    result = run_cli("--port", "0", "--client-id", "only-the-id")
    assert result.returncode == 2
    assert "--client-secret" in result.stderr


def test_quota_status_must_be_403_or_429() -> None:
    result = run_cli("--port", "0", "--quota-status", "500")
    assert result.returncode == 2


def test_a_data_file_that_is_not_a_database_is_a_worded_error(tmp_path: Path) -> None:
    data = tmp_path / "junk.sqlite"
    data.write_bytes(b"this is not sqlite" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "studiosync.sandbox", "--port", "0", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "cannot use its data file" in result.stderr
    with (
        pytest.raises(SandboxError),
        running_sandbox(data=data, in_process=False, startup_timeout=30),
    ):
        pass


def test_busy_port_is_a_worded_error() -> None:
    with running_sandbox() as google:
        port = google.base_url.rsplit(":", 1)[1]
        result = subprocess.run(
            [sys.executable, "-m", "studiosync.sandbox", "--port", port],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert "cannot start" in result.stderr and "--port 0" in result.stderr.replace("\n", " ")
