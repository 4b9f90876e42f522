"""Time as studiosync sees it: one seam for every part, the computer's clock or a hand-moved one.

The engine reads ``now`` and ``monotonic`` and waits with ``sleep`` (pacing, backoff); the
Control Center, the web and the doctor only read ``now``. Tests hand the same ``FakeClock`` to
all of them: it moves when told to, or when someone sleeps on it.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start, never going back (for rates and waits)."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The computer's own clock, in UTC."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class FakeClock:
    """A clock that moves only when told to or slept on; safe to share between threads."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._start = start
        self._elapsed = 0.0
        self._jumped = 0.0
        self.slept = 0.0
        """How long everyone has slept on this clock, in seconds."""
        self._guard = threading.Lock()

    def now(self) -> dt.datetime:
        with self._guard:
            return self._now()

    def _now(self) -> dt.datetime:
        return self._start + dt.timedelta(seconds=self._elapsed + self._jumped)

    def monotonic(self) -> float:
        with self._guard:
            return self._elapsed

    def sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("cannot sleep a negative time")
        with self._guard:
            self._elapsed += seconds
            self.slept += seconds

    def advance(self, **delta: float) -> dt.datetime:
        """Move on by ``dt.timedelta(**delta)``; the new time."""
        with self._guard:
            self._elapsed += dt.timedelta(**delta).total_seconds()
            return self._now()

    def tick(self, seconds: float = 1.0) -> None:
        self.advance(seconds=seconds)

    def set(self, moment: dt.datetime) -> None:
        """Jump to ``moment``, as a computer's clock is set: ``monotonic`` does not move."""
        with self._guard:
            self._jumped = (moment - self._start).total_seconds() - self._elapsed
