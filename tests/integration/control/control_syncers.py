"""Syncers that processes started by the tests load through STUDIOSYNC_SYNCER."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from studiosync.context import Studio
from studiosync.errors import ErrorCode
from studiosync.sync.result import ItemName, Level, RunResult

TRACE_ENV = "CONTROL_TEST_TRACE_DIR"


def warns_about_one_event(studio: Studio, user_id: int) -> RunResult:
    result = RunResult(user_id=user_id)
    dentist = ItemName("Dentist", dt.date(2026, 12, 3))
    result.add(
        Level.WARNING,
        ErrorCode.SYNC_BAD_EVENT_SKIPPED,
        event_id="evt-cli",
        about=dentist,
        reason="no end",
    )
    result.counts.pushed_new = 2
    return result


def traced_and_slow(studio: Studio, user_id: int) -> RunResult:
    """Writes when it starts and ends each user (monotonic clock, pid) to a trace file."""
    trace = Path(os.environ[TRACE_ENV]) / f"user-{user_id}.log"
    with trace.open("a") as out:
        out.write(f"start {time.monotonic():.6f} {os.getpid()}\n")
    time.sleep(float(os.environ.get("CONTROL_TEST_SYNC_SECONDS", "0.5")))
    with trace.open("a") as out:
        out.write(f"end {time.monotonic():.6f} {os.getpid()}\n")
    result = RunResult(user_id=user_id)
    result.counts.pushed_new = 1
    return result
