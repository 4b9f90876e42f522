"""The sandbox clock seam: real time plus an offset, or frozen, settable from tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class SandboxClock:
    """Wall-clock time as the sandbox sees it; tests move it to expire tokens without sleeping."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._frozen: float | None = None

    def time(self) -> float:
        """Seconds since the epoch, sandbox time."""
        if self._frozen is not None:
            return self._frozen
        return time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> None:
        if self._frozen is not None:
            self._frozen += seconds
        else:
            self._offset += seconds

    def set(self, moment: datetime, *, freeze: bool = False) -> None:
        target = moment.timestamp()
        if freeze:
            self._frozen = target
        else:
            self._frozen = None
            self._offset = target - time.time()

    def reset(self) -> None:
        self._offset = 0.0
        self._frozen = None

    @property
    def frozen(self) -> bool:
        return self._frozen is not None


def rfc3339(moment: datetime) -> str:
    """Google's timestamp style: UTC, milliseconds, trailing Z."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
