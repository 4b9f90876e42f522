"""Scale-out: rounds hand users to real Celery workers over a real Redis, on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from control_world import ScriptedSyncer, add_user, ready_job
from sqlalchemy import select

from studiosync.clock import SystemClock
from studiosync.context import Studio
from studiosync.control import records
from studiosync.control.eligibility import Candidate
from studiosync.control.models import Job, UserRun
from studiosync.control.processor import Processor
from studiosync.control.queues import queue_for
from studiosync.control.scaleout import (
    TASK_NAME,
    CeleryDispatcher,
    make_celery,
    require_shared_database,
)
from studiosync.errors import ConfigError, ErrorCode
from studiosync.settings import Settings
from studiosync.testing.redis import RedisServer, running_redis

HERE = Path(__file__).parent
CLOCK = SystemClock()
pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.parametrize("backend", ["postgres"], indirect=True),
]


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture
def settings(settings: Settings, redis: RedisServer, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("STUDIOSYNC_BROKER_URL", redis.url(1))
    monkeypatch.setenv("STUDIOSYNC_ROUND_TIMEOUT_SECONDS", "20")
    return settings.model_copy(update={"broker_url": redis.url(1)})


StartWorker = Callable[..., None]


@pytest.fixture
def workers(settings: Settings, tmp_path: Path) -> Iterator[StartWorker]:
    """Starts `studiosync worker` processes (waiting until each is ready); stops them after."""
    with ExitStack() as stack:

        def start(computer: str, *queues: str) -> None:
            stack.enter_context(_worker(settings, tmp_path, computer, queues))

        yield start


@contextmanager
def _worker(
    settings: Settings, trace: Path, computer: str, queues: tuple[str, ...]
) -> Iterator[None]:
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": settings.resolved_database_url,
        "STUDIOSYNC_BROKER_URL": settings.broker_url or "",
        "STUDIOSYNC_COMPUTER_NAME": computer,
        "STUDIOSYNC_SYNCER": "control_syncers:traced_and_slow",
        "CONTROL_TEST_TRACE_DIR": str(trace),
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "studiosync", "worker", "--concurrency", "1"]
    for queue in queues:
        command += ["--queue", queue]
    log = trace / f"worker-{computer}.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield
    finally:
        process.terminate()  # Celery's warm shutdown
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _spans(trace: Path, user_id: int) -> list[tuple[float, float]]:
    lines = (trace / f"user-{user_id}.log").read_text().split()
    times = [float(value) for value in lines[1::3]]
    return list(zip(times[0::2], times[1::2], strict=True))


def _workers_of(studio: Studio, run_id: int) -> dict[int, str | None]:
    with studio.transaction() as session:
        rows = session.scalars(select(UserRun).where(UserRun.run_id == run_id))
        return {row.user_id: row.worker for row in rows}


def test_a_round_hands_each_user_to_a_worker_of_the_designated_computer(
    studio: Studio, workers: StartWorker, tmp_path: Path
) -> None:
    with studio.transaction() as session:
        users = [add_user(session, f"user{number}") for number in range(4)]
        ready_job(session, computer="any", due=CLOCK.now())
    workers("box-a")  # listens on its own queue and the shared one
    workers("box-b")
    processor = Processor.from_settings(studio, ScriptedSyncer(), computer="scheduler")
    assert isinstance(processor.dispatcher, CeleryDispatcher)

    shared = processor.tick()
    assert shared is not None
    assert (shared.status, shared.users_ok) == ("ok", 4)
    assert all(len(_spans(tmp_path, user)) == 1 for user in users)
    assert set(_workers_of(studio, shared.run_id).values()) <= {"box-a/worker", "box-b/worker"}

    with studio.transaction() as session:
        ready_job(session, computer="box-a", due=CLOCK.now())
    assert processor.tick() is None  # the job is box-a's now, not this computer's
    on_box_a = Processor.from_settings(studio, ScriptedSyncer(), computer="box-a")
    pinned = on_box_a.tick()
    assert pinned is not None and pinned.users_ok == 4
    assert set(_workers_of(studio, pinned.run_id).values()) == {"box-a/worker"}


def test_a_round_for_a_computer_with_no_worker_ends_with_users_not_finished(
    studio: Studio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIOSYNC_ROUND_TIMEOUT_SECONDS", "1")
    with studio.transaction() as session:
        add_user(session, "maya")
        ready_job(session, computer="any", due=CLOCK.now())
    outcome = Processor.from_settings(studio, ScriptedSyncer(), computer="scheduler").tick()
    assert outcome is not None and outcome.status == "error"
    with studio.transaction() as session:
        row = session.scalars(select(UserRun).where(UserRun.run_id == outcome.run_id)).one()
    assert (row.status, row.reason) == ("not_finished", ErrorCode.CONTROL_USER_NOT_FINISHED.value)


def test_the_user_lock_holds_across_worker_processes(
    studio: Studio,
    workers: StartWorker,
    tmp_path: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONTROL_TEST_SYNC_SECONDS", "1.5")  # long enough to surely overlap
    with studio.transaction() as session:
        maya = add_user(session, "maya")
        job_id = session.query(Job).one().id
        runs: list[int] = []
        for _ in range(2):  # two rounds that both want maya (one overran its time, say)
            run = records.start_run(session, job_id, "scheduler", "celery", CLOCK.now())
            runs += records.add_users(session, run.id, [Candidate(maya, "maya")], CLOCK.now())
    queues = [queue_for("box-a"), queue_for("box-b")]
    workers("box-a", queues[0])  # each worker on its own queue: both surely run at once
    workers("box-b", queues[1])
    app = make_celery(settings.broker_url or "")
    for user_run_id, queue in zip(runs, queues, strict=True):
        app.send_task(TASK_NAME, args=[user_run_id], queue=queue)

    deadline = time.monotonic() + 30
    while _statuses(studio, runs).count("queued") + _statuses(studio, runs).count("running"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert sorted(_statuses(studio, runs)) == ["ok", "skipped"]
    assert len(_spans(tmp_path, maya)) == 1  # synced once; the other worker saw the lock


def test_scale_out_refuses_a_sqlite_database(studio: Studio, tmp_path: Path) -> None:
    sqlite = studio.settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}/x.db"})
    with pytest.raises(ConfigError) as refused:
        require_shared_database(sqlite)
    assert refused.value.code is ErrorCode.CONTROL_SCALE_OUT_NEEDS_POSTGRES


def _statuses(studio: Studio, user_run_ids: list[int]) -> list[str]:
    with studio.transaction() as session:
        return list(session.scalars(select(UserRun.status).where(UserRun.id.in_(user_run_ids))))
