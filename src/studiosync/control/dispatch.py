"""How a round hands its users out: to threads in this process, or (scale-out) to Celery."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Protocol

from sqlalchemy import select

from studiosync.control import records
from studiosync.control.models import UserRun
from studiosync.control.records import Status
from studiosync.control.usersync import UserTurn, run_user
from studiosync.errors import ErrorCode
from studiosync.studio.models import User
from studiosync.sync.result import Level

log = logging.getLogger(__name__)

WAIT_SECONDS = 1.0


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
        waiting = iter(user_run_ids)
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="studiosync-user") as pool:
            handed: dict[Future[Status], int] = {}

            def hand_out() -> None:
                while len(handed) < 2 * self.concurrency and not stop.is_set():
                    user_run_id = next(waiting, None)
                    if user_run_id is None:
                        return
                    handed[pool.submit(run_user, self.turn, user_run_id)] = user_run_id

            hand_out()
            while handed:
                done, _ = wait(handed, timeout=WAIT_SECONDS, return_when=FIRST_COMPLETED)
                for future in done:
                    user_run_id = handed.pop(future)
                    if future.cancelled():
                        continue  # stopped before it began: closed as not finished later
                    if future.exception() is not None:
                        log.error("user run %s failed", user_run_id, exc_info=future.exception())
                        fail_user_run(self.turn, user_run_id)
                if stop.is_set():
                    for future in handed:
                        future.cancel()
                hand_out()


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
