"""A throw-away Redis server on 127.0.0.1 (Debian's redis-server, daemonized in a temp folder)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from studiosync.testing.postgres import free_port

START_TIMEOUT_SECONDS = 10.0


class RedisUnavailableError(RuntimeError):
    """redis-server is not installed on this machine."""


@dataclass
class RedisServer:
    """A running server; ``url(db)`` gives a redis:// URL for one of its databases."""

    port: int
    directory: Path

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1.0) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RedisUnavailableError(f"{name} not found: install Debian's 'redis-server' package")
    return found


@contextmanager
def running_redis() -> Iterator[RedisServer]:
    """Start a fresh server (no persistence) in a temporary folder; stop and remove it after."""
    server = _binary("redis-server")
    directory = Path(tempfile.mkdtemp(prefix="studiosync-redis-"))
    port = free_port()
    pid_file = directory / "redis.pid"
    subprocess.run(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--daemonize",
            "yes",
            "--dir",
            str(directory),
            "--pidfile",
            str(pid_file),
            "--logfile",
            str(directory / "redis.log"),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
        capture_output=True,
    )
    running = RedisServer(port=port, directory=directory)
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not running.ping():
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not answer on port {port}")
            time.sleep(0.05)
        yield running
    finally:
        _stop(running, pid_file)
        shutil.rmtree(directory, ignore_errors=True)


def _stop(running: RedisServer, pid_file: Path) -> None:
    """Ask the server to shut down; if it will not, end the process named in its pid file."""
    try:
        with socket.create_connection(("127.0.0.1", running.port), timeout=1.0) as connection:
            connection.sendall(b"SHUTDOWN NOSAVE\r\n")
            connection.recv(64)
    except OSError:
        pass
    deadline = time.monotonic() + 5.0
    while running.ping() and time.monotonic() < deadline:
        time.sleep(0.05)
    if running.ping() and pid_file.exists():
        os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)
