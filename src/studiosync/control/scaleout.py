"""Scale-out mode: Celery over Redis, one task per user, a queue per designated computer."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from celery import Celery
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from studiosync.clock import SystemClock
from studiosync.context import Studio, open_studio
from studiosync.control import records
from studiosync.control.computers import HEARTBEAT_INTERVAL, computer_name, heartbeat
from studiosync.control.config import ControlSettings
from studiosync.control.dispatch import close_unfinished
from studiosync.control.models import UserRun
from studiosync.control.queues import SHARED_QUEUE
from studiosync.control.syncer import load_syncer
from studiosync.control.usersync import UserTurn, run_user
from studiosync.errors import ConfigError, ErrorCode
from studiosync.settings import Settings
from studiosync.sync.result import Level

log = logging.getLogger(__name__)

TASK_NAME = "studiosync.control.sync_user"
POLL_SECONDS = 0.25


def scale_out_enabled(settings: Settings) -> bool:
    return bool(settings.broker_url)


def require_shared_database(settings: Settings) -> None:
    """Workers on other computers must reach the same database: SQLite files are refused."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() != "postgresql":
        raise ConfigError(
            ErrorCode.CONTROL_SCALE_OUT_NEEDS_POSTGRES,
            database=url.render_as_string(hide_password=True),
        )


def make_celery(broker_url: str) -> Celery:
    app = Celery("studiosync", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_default_queue=SHARED_QUEUE,
        task_ignore_result=True,
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
    )
    app.task(name=TASK_NAME, ignore_result=True)(sync_user_task)
    return app


@lru_cache(maxsize=1)
def _worker_turn() -> UserTurn:
    """The studio, syncer and name one worker process uses for all its tasks."""
    studio = open_studio()
    return UserTurn(
        studio=studio,
        syncer=load_syncer(),
        clock=SystemClock(),
        worker=f"{computer_name(studio.settings)}/worker",
        stale_after=ControlSettings().lock_stale_after,
    )


def sync_user_task(user_run_id: int) -> str:
    """The Celery task: run one queued user of a round."""
    return run_user(_worker_turn(), user_run_id).value


class CeleryDispatcher:
    """Sends one task per user to the designated computer's queue, then waits for them."""

    mode = "celery"

    def __init__(self, studio: Studio, app: Celery, turn: UserTurn, timeout: float) -> None:
        self.studio = studio
        self.app = app
        self.turn = turn
        self.timeout = timeout

    def dispatch(
        self,
        run_id: int,
        user_run_ids: Sequence[int],
        queue: str,
        stop: threading.Event,
    ) -> None:
        if not user_run_ids:
            return
        started = time.monotonic()
        try:
            for user_run_id in user_run_ids:
                self.app.send_task(TASK_NAME, args=[user_run_id], queue=queue)
        except Exception as error:  # kombu raises several kinds when Redis is away
            self._broker_down(run_id, error)
            close_unfinished(self.turn, run_id, queue, time.monotonic() - started)
            return
        while self._pending(run_id) and not stop.is_set():
            if time.monotonic() - started > self.timeout:
                break
            time.sleep(POLL_SECONDS)
        close_unfinished(self.turn, run_id, queue, time.monotonic() - started)

    def _pending(self, run_id: int) -> int:
        with self.studio.transaction() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(UserRun)
                    .where(
                        UserRun.run_id == run_id,
                        UserRun.status.in_([status.value for status in records.PENDING]),
                    )
                )
                or 0
            )

    def _broker_down(self, run_id: int, error: Exception) -> None:
        broker = make_url(self.app.conf.broker_url or "redis://").render_as_string(
            hide_password=True
        )
        with self.studio.transaction() as session:
            records.add_line(
                session,
                run_id,
                Level.ERROR,
                ErrorCode.CONTROL_BROKER_UNREACHABLE,
                {"broker": broker, "reason": type(error).__name__},
                self.turn.clock.now(),
            )


def _check_in_forever(settings: Settings) -> None:
    """A worker's computer checks in like a processor's, so "is it on and online" holds."""
    studio = open_studio(settings)
    while True:
        try:
            heartbeat(studio, SystemClock(), name=computer_name(settings))
        except Exception:
            log.exception("heartbeat failed")
        time.sleep(HEARTBEAT_INTERVAL.total_seconds())


def worker_argv(queues: Sequence[str], concurrency: int, name: str) -> list[str]:
    return [
        "worker",
        "--queues",
        ",".join(queues),
        "--concurrency",
        str(concurrency),
        "--pool",
        "threads",
        "--hostname",
        f"studiosync-{name}-%h-{time.time_ns() % 100000}",
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def start_worker(settings: Settings, queues: Sequence[str], concurrency: int) -> Any:
    """Run a Celery worker in this process until it is told to stop (SIGTERM, Ctrl+C)."""
    if not settings.broker_url:
        raise ConfigError(
            ErrorCode.SETTINGS_INVALID,
            reason="STUDIOSYNC_BROKER_URL is not set; a worker needs the Redis broker",
        )
    require_shared_database(settings)
    load_syncer()  # a wrong STUDIOSYNC_SYNCER is refused before any task is taken
    threading.Thread(target=_check_in_forever, args=(settings,), daemon=True).start()
    app = make_celery(settings.broker_url)
    return app.worker_main(worker_argv(queues, concurrency, computer_name(settings)))
