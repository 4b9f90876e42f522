"""How a round hands its users out: to threads in this process, or (scale-out) to Celery."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Protocol

from sqlalchemy import select

from studiosync.control import records
from studiosync.control.models import UserRun
from studiosync.control.records import Status
from studiosync.control.usersync import UserTurn, run_users
from studiosync.errors import ErrorCode
from studiosync.studio.models import User
from studiosync.sync.result import Level

log = logging.getLogger(__name__)

WAIT_SECONDS = 1.0
BATCH = 10
"""Users a thread takes at a time in a big round (a small round hands them out one by one)."""


class Dispatcher(Protocol):
    """Runs the queued users of a round and returns when they are done (or given up on).

    The round's lease is kept alive meanwhile by the processor (a heartbeat thread)."""

    mode: str

    def dispatch(
        self,
        run_id: int,
        user_run_ids: Sequence[int],
        queue: str,
        stop: threading.Event,
    ) -> None: ...


class ThreadDispatcher:
    """Users synced by a bounded pool of threads in this process.

    Only a few users more than there are threads are handed to the pool at a time, so the
    bookkeeping of a round stays the same size whether it has ten users or ten thousand.
    """

    mode = "threads"

    def __init__(self, turn: UserTurn, concurrency: int = 4) -> None:
        self.turn = turn
        self.concurrency = max(1, concurrency)

    def dispatch(
        self,
        run_id: int,
        user_run_ids: Sequence[int],
        queue: str,
        stop: threading.Event,
    ) -> None:
        if not user_run_ids:
            return
        ids = list(user_run_ids)
        size = max(1, min(BATCH, len(ids) // (4 * self.concurrency)))  # a few: one at a time
        batches = [ids[first : first + size] for first in range(0, len(ids), size)]
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="studiosync-user") as pool:
            hand_out(
                self.turn,
                batches,
                lambda batch: pool.submit(run_users, self.turn, batch),
                2 * self.concurrency,
                stop,
            )


def split(items: Sequence[int], parts: int) -> list[list[int]]:
    """``items`` in at most ``parts`` runs of nearly equal length, in order."""
    size = -(-len(items) // max(1, parts))
    return [list(items[first : first + size]) for first in range(0, len(items), size or 1)]


def hand_out(
    turn: UserTurn,
    batches: Sequence[list[int]],
    submit: Callable[[list[int]], Future[Any]],
    at_once: int,
    stop: threading.Event,
) -> None:
    """Submit batches of user runs, at most ``at_once`` waiting at a time, until all are done.

    A batch that fails outside the syncer has its users recorded as errors; once ``stop`` is
    set nothing more is handed out and batches not yet begun are cancelled (the round closes
    them as not finished).
    """
    waiting = iter(batches)
    handed: dict[Future[Any], list[int]] = {}

    def top_up() -> None:
        while len(handed) < at_once and not stop.is_set():
            batch = next(waiting, None)
            if batch is None:
                return
            handed[submit(batch)] = batch

    top_up()
    while handed:
        done, _ = wait(handed, timeout=WAIT_SECONDS, return_when=FIRST_COMPLETED)
        for future in done:
            batch = handed.pop(future)
            if future.cancelled():
                continue  # stopped before it began: closed as not finished later
            if future.exception() is not None:
                log.error("user run(s) %s failed", batch, exc_info=future.exception())
                for user_run_id in batch:
                    fail_user_run(turn, user_run_id)
        if stop.is_set():
            for future in handed:
                future.cancel()
        top_up()


def fail_user_run(turn: UserTurn, user_run_id: int) -> None:
    """A user whose run broke outside the syncer (the database, say): an error with a code."""
    now = turn.clock.now()
    with turn.studio.transaction() as session:
        row = session.get(UserRun, user_run_id)
        if row is None or row.status not in records.PENDING:
            return
        login = session.scalar(select(User.login).where(User.id == row.user_id))
        row.status = Status.ERROR.value
        row.reason = ErrorCode.CONTROL_SYNCER_FAILED.value
        row.finished_at = now
        records.add_line(
            session,
            row.run_id,
            Level.ERROR,
            ErrorCode.CONTROL_SYNCER_FAILED,
            {"user": login, "error": "the run could not be recorded", "reference": str(row.id)},
            now,
            user_id=row.user_id,
            user_run_id=row.id,
        )


def close_unfinished(turn: UserTurn, run_id: int, queue: str, waited_seconds: float) -> list[int]:
    """Users of the round still queued or running: marked not finished, each with a line."""
    now = turn.clock.now()
    with turn.studio.transaction() as session:
        rows = list(
            session.scalars(
                select(UserRun).where(
                    UserRun.run_id == run_id, UserRun.status.in_([s.value for s in records.PENDING])
                )
            )
        )
        for row in rows:
            login = session.scalar(select(User.login).where(User.id == row.user_id))
            row.status = Status.NOT_FINISHED.value
            row.reason = ErrorCode.CONTROL_USER_NOT_FINISHED.value
            records.add_line(
                session,
                run_id,
                Level.WARNING,
                ErrorCode.CONTROL_USER_NOT_FINISHED,
                {"user": login, "queue": queue, "seconds": round(waited_seconds)},
                now,
                user_id=row.user_id,
                user_run_id=row.id,
            )
        return [row.id for row in rows]
