"""A round spread over worker processes: every user once, on several processes, in parallel."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from control_syncers import TRACE_ENV, traced_and_slow
from control_world import add_user, ready_job

from studiosync.clock import SystemClock
from studiosync.context import Studio
from studiosync.control.processes import ProcessDispatcher
from studiosync.control.processor import Processor
from studiosync.control.usersync import UserTurn

USERS = 12


def test_a_round_uses_several_processes_and_syncs_each_user_once(
    studio: Studio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TRACE_ENV, str(tmp_path))
    monkeypatch.setenv("CONTROL_TEST_SYNC_SECONDS", "0.3")
    with studio.transaction() as session:
        ids = [add_user(session, f"photographer{n}") for n in range(USERS)]
        ready_job(session, computer="desk-1")
    turn = UserTurn(studio, traced_and_slow, SystemClock(), "desk-1")
    dispatcher = ProcessDispatcher(studio, turn, processes=2, threads=2)
    processor = Processor(
        studio=studio, syncer=traced_and_slow, computer="desk-1", dispatcher=dispatcher
    )
    try:
        outcome = processor.run_round(manual=True)
    finally:
        dispatcher.close()

    assert outcome is not None and outcome.users_ok == USERS
    traces = {user: (tmp_path / f"user-{user}.log").read_text().split() for user in ids}
    assert all(len(words) == 6 for words in traces.values()), "each user synced exactly once"
    pids = {words[2] for words in traces.values()}
    assert len(pids) == 2 and str(os.getpid()) not in pids
    spans = sorted((float(w[1]), float(w[4])) for w in traces.values())
    overlapping = max(sum(1 for s, e in spans if s <= start < e) for start, _ in spans)
    assert overlapping >= 3, "users ran side by side across the processes"
