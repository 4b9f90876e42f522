"""Benchmark: requests/s the Google sandbox serves for events.list and events.insert.

The server runs in its own process (uvicorn with httptools and uvloop, as `studiosync sandbox`
runs it); this process drives it with 4 concurrent keep-alive HTTP/1.1 clients on raw asyncio
streams, each sending its next request as soon as the last answer is in. Every run is bounded
in time. Run: .venv/bin/python bench/sandbox_throughput.py [--seconds 5] [--clients 4]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import orjson

from studiosync.sandbox.testing import running_sandbox

GOAL = 1500.0
EMAIL = "bench@example.com"
SCOPE = "https://www.googleapis.com/auth/calendar"
SEED_EVENTS = 200


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    failures: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class KeepAliveClient:
    """One HTTP/1.1 connection reused for every request; reads Content-Length bodies."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port, self.token = host, port, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {self.token}\r\nAccept: application/json\r\n"
        )
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        return status, await self.reader.readexactly(length)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def drive(
    name: str,
    base_url: str,
    token: str,
    clients: int,
    seconds: float,
    make: Callable[[int], tuple[str, str, bytes]],
    expect: int,
) -> Result:
    parts = urlsplit(base_url)
    assert parts.hostname is not None and parts.port is not None
    pool = [KeepAliveClient(parts.hostname, parts.port, token) for _ in range(clients)]
    await asyncio.gather(*(client.open() for client in pool))
    counter = itertools.count()
    done = failures = 0
    deadline = time.perf_counter() + seconds

    async def worker(client: KeepAliveClient) -> None:
        nonlocal done, failures
        while time.perf_counter() < deadline:
            method, path, body = make(next(counter))
            status, _ = await client.request(method, path, body)
            done += 1
            failures += status != expect

    started = time.perf_counter()
    await asyncio.gather(*(worker(client) for client in pool))
    elapsed = time.perf_counter() - started
    await asyncio.gather(*(client.close() for client in pool))
    return Result(name, done, elapsed, failures)


def insert_body(n: int) -> bytes:
    day, hour = 1 + n % 28, 8 + n % 10
    return orjson.dumps(
        {
            "summary": f"Bench appointment {n}",
            "start": {"dateTime": f"2031-03-{day:02d}T{hour:02d}:00:00Z"},
            "end": {"dateTime": f"2031-03-{day:02d}T{hour:02d}:45:00Z"},
            "extendedProperties": {"private": {"appointment": str(n)}},
        }
    )


async def run(
    base_url: str, token: str, clients: int, seconds: float, sync_token: str
) -> list[Result]:
    events = "/calendar/v3/calendars/primary/events"
    return [
        await drive(
            f"events.list (default page: all {SEED_EVENTS} events)",
            base_url,
            token,
            clients,
            seconds,
            lambda n: ("GET", events, b""),
            200,
        ),
        await drive(
            f"events.list (page of 50 of {SEED_EVENTS} events)",
            base_url,
            token,
            clients,
            seconds,
            lambda n: ("GET", events + "?maxResults=50", b""),
            200,
        ),
        await drive(
            "events.list (incremental, syncToken, no changes)",
            base_url,
            token,
            clients,
            seconds,
            lambda n: ("GET", f"{events}?syncToken={sync_token}", b""),
            200,
        ),
        await drive(
            "events.insert",
            base_url,
            token,
            clients,
            seconds,
            lambda n: ("POST", events, insert_body(n)),
            200,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measurement")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections")
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="SQLite state file for the server (default: in memory)",
    )
    options = parser.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    with running_sandbox(in_process=False, data=options.data) as google:
        google.create_account(EMAIL)
        token = google.issue_tokens(EMAIL, [SCOPE])["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=google.base_url, headers=headers) as client:
            for n in range(SEED_EVENTS):
                client.post(
                    "/calendar/v3/calendars/primary/events",
                    content=insert_body(n),
                    headers={"Content-Type": "application/json"},
                ).raise_for_status()
            sync_token = client.get(
                "/calendar/v3/calendars/primary/events", params={"maxResults": 2500}
            ).json()["nextSyncToken"]
        google.clear_stats()
        results = asyncio.run(
            run(google.base_url, token, options.clients, options.seconds, sync_token)
        )
        served = google.stats()["total"]
    print(
        f"Google sandbox throughput: {options.clients} concurrent keep-alive clients, "
        f"{options.seconds:g} s per measurement, server in its own process, state "
        f"{options.data or 'in memory'}"
    )
    print(f"{'operation':<52} {'requests':>9} {'req/s':>9}  goal {GOAL:,.0f}/s")
    for result in results:
        verdict = "ok" if result.rate >= GOAL else "BELOW GOAL"
        print(
            f"{result.name:<52} {result.requests:>9,} {result.rate:>9,.0f}  {verdict}"
            + (f"  ({result.failures} unexpected statuses)" if result.failures else "")
        )
    print(f"requests counted by the sandbox's /_sandbox/stats: {served:,}")


if __name__ == "__main__":
    main()
