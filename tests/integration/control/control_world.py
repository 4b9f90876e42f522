"""Building blocks for Control Center tests: users in every state, a scripted syncer, a token
endpoint stand-in, and the processor wired to a fake clock."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy.orm import Session

from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.clock import FakeClock
from studiosync.context import Studio
from studiosync.control.models import Job
from studiosync.control.processor import Processor
from studiosync.studio.models import GoogleSettings, User
from studiosync.studio.people import create_user
from studiosync.sync.result import RunResult

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def add_user(
    session: Session,
    login: str,
    *,
    enabled: bool = True,
    linked: bool = True,
    reauth: bool = False,
    calendar: str | None = "primary",
    warnings_email: str | None = None,
    email_warnings: bool = True,
    detailed_logs: bool = False,
    detailed_every: str = "day",
    populate: bool = False,
) -> int:
    """A user with a Google tab in the given state (written directly, as old data may be)."""
    user: User = create_user(session, login=login)
    user.google = GoogleSettings(
        enabled=enabled,
        calendar_id=calendar,
        populate_google=populate,
        populate_studio=populate,
        two_way=True,
        download_tentative=False,
        import_contacts=False,
        email_warnings=email_warnings,
        warnings_email=warnings_email if warnings_email is not None else f"{login}@studio.test",
        email_detailed_logs=detailed_logs,
        detailed_logs_every=detailed_every,
    )
    if linked:
        session.add(
            GoogleAccount(
                user_id=user.id,
                google_email=f"{login}@gmail.test",
                refresh_token_encrypted="-",
                scopes=[],
                status=AccountStatus.NEEDS_REAUTH if reauth else AccountStatus.LINKED,
            )
        )
    session.flush()
    return user.id


def ready_job(session: Session, *, computer: str = "any", due: dt.datetime = START) -> None:
    job = session.query(Job).one()
    job.computer = computer
    job.enabled = True
    job.next_run_at = due
    session.flush()


Behaviour = Callable[[Studio, int], RunResult]


@dataclass
class ScriptedSyncer:
    """A syncer whose answer per user is scripted; it counts calls and overlapping runs."""

    script: dict[int, Behaviour] = field(default_factory=dict)
    delay: float = 0.0
    calls: Counter[int] = field(default_factory=Counter)
    running: Counter[int] = field(default_factory=Counter)
    most_at_once_per_user: int = 0
    most_at_once: int = 0
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, studio: Studio, user_id: int) -> RunResult:
        with self._guard:
            self.calls[user_id] += 1
            self.running[user_id] += 1
            self.most_at_once_per_user = max(self.most_at_once_per_user, self.running[user_id])
            self.most_at_once = max(self.most_at_once, sum(self.running.values()))
        try:
            if self.delay:
                time.sleep(self.delay)
            behaviour = self.script.get(user_id)
            if behaviour is None:
                result = RunResult(user_id=user_id)
                result.counts.pushed_new = 1
                return result
            return behaviour(studio, user_id)
        finally:
            with self._guard:
                self.running[user_id] -= 1


def make_processor(
    studio: Studio, syncer: ScriptedSyncer, clock: FakeClock, **options: object
) -> Processor:
    options.setdefault("computer", "desk-1")
    options.setdefault("jitter", lambda limit: 0.0)
    options.setdefault("probe_timeout", 1.0)
    return Processor(studio=studio, syncer=syncer, clock=clock, **options)  # type: ignore[arg-type]


class _TokenEndpoint(BaseHTTPRequestHandler):
    """Answers like Google's token endpoint does to a bare GET: 405, which proves it is there."""

    def do_GET(self) -> None:
        body = b'{"error": "invalid_request"}'
        self.send_response(405)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def token_endpoint() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 standing in for Google's token endpoint; its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/token"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
