"""The Control Center's clock seam: real time in production, a hand-moved clock in tests."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The computer's own clock, in UTC."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FakeClock:
    """A clock that only moves when told to; safe to share between threads."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._now = start
        self._guard = threading.Lock()

    def now(self) -> dt.datetime:
        with self._guard:
            return self._now

    def advance(self, **delta: float) -> dt.datetime:
        with self._guard:
            self._now += dt.timedelta(**delta)
            return self._now

    def set(self, moment: dt.datetime) -> None:
        with self._guard:
            self._now = moment
