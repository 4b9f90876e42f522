"""Users synced by several processes of this computer, so a round uses every core.

The thread dispatcher keeps one process busy (Python runs one thread at a time there); a
round of thousands of quiet users is mostly such work. Here users go in small batches to a
pool of worker processes, each with its own connection to the studio and a few threads of its
own, under the same per-user locks and with the same records as the thread dispatcher. The
pool lives as long as the dispatcher (started on the first round), so rounds pay no start-up.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from studiosync.clock import SystemClock
from studiosync.context import Studio, open_studio
from studiosync.control.config import ControlSettings
from studiosync.control.dispatch import hand_out, split
from studiosync.control.syncer import load_syncer
from studiosync.control.usersync import UserTurn, run_users
from studiosync.settings import Settings

BATCH = 40  # users per task at most: enough to amortise the hand-over, few for balance

_turn: UserTurn | None = None
_threads: ThreadPoolExecutor | None = None
_share_among = 1


def _start_worker(settings: dict[str, Any], syncer: str, worker: str, threads: int) -> None:
    """In each worker process: open the studio, load the syncer, start its threads."""
    global _turn, _threads, _share_among
    studio = open_studio(Settings.model_validate(settings), keep_files_private=False)
    _turn = UserTurn(
        studio=studio,
        syncer=load_syncer(syncer),
        clock=SystemClock(),
        worker=worker,
        stale_after=ControlSettings().lock_stale_after,
    )
    _threads = ThreadPoolExecutor(threads, thread_name_prefix="studiosync-user")
    _share_among = threads


def _run_batch(user_run_ids: list[int]) -> list[str]:
    """In a worker process: run a batch of queued users, shared among its threads; their
    statuses."""
    assert _turn is not None and _threads is not None
    turn = _turn
    shares = split(user_run_ids, _share_among)
    done = _threads.map(lambda share: run_users(turn, share), shares)
    return [status.value for statuses in done for status in statuses]


class ProcessDispatcher:
    """Users synced by ``processes`` worker processes of ``threads`` threads each."""

    mode = "processes"

    def __init__(self, studio: Studio, turn: UserTurn, processes: int, threads: int) -> None:
        self.studio = studio
        self.turn = turn
        self.processes = max(1, processes)
        self.threads = max(1, threads)
        self._pool: ProcessPoolExecutor | None = None
        self._guard = threading.Lock()

    def _ready_pool(self) -> ProcessPoolExecutor:
        with self._guard:
            if self._pool is None:
                settings = self.studio.settings.model_dump(mode="json")
                self._pool = ProcessPoolExecutor(
                    self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    initargs=(settings, _syncer_path(self.turn), self.turn.worker, self.threads),
                )
            return self._pool

    def dispatch(
        self,
        run_id: int,
        user_run_ids: Sequence[int],
        queue: str,
        stop: threading.Event,
    ) -> None:
        if not user_run_ids:
            return
        pool = self._ready_pool()
        size = max(1, min(BATCH, -(-len(user_run_ids) // (2 * self.processes))))  # spread few
        ids = list(user_run_ids)
        batches = [ids[first : first + size] for first in range(0, len(ids), size)]
        at_once = 2 * self.processes
        hand_out(self.turn, batches, lambda batch: pool.submit(_run_batch, batch), at_once, stop)

    def close(self) -> None:
        with self._guard:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None


def _syncer_path(turn: UserTurn) -> str:
    """The syncer's import path, for the worker processes to load it again."""
    syncer = turn.syncer
    path = getattr(syncer, "import_path", None)
    if isinstance(path, str):
        return path
    module, name = getattr(syncer, "__module__", ""), getattr(syncer, "__qualname__", "")
    if not module or not name or "<" in name:
        raise ValueError("the processes dispatcher needs a syncer importable by module:name")
    return f"{module}:{name}"
