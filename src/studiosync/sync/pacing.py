"""Pacing: a token bucket under the provider's per-user quota, and backoff with jitter."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from studiosync.clock import Clock
from studiosync.errors import ProviderError, RateLimitedError, TransientError
from studiosync.sync.options import Pacing

T = TypeVar("T")


class TokenBucket:
    """Holds up to ``capacity`` tokens and adds ``refill_per_minute`` a minute.

    At most ``capacity + refill_per_minute`` requests go out in any one minute.
    """

    def __init__(self, refill_per_minute: float, capacity: int, clock: Clock) -> None:
        self._rate = refill_per_minute / 60.0
        self._capacity = float(capacity)
        self._tokens = float(capacity)
        self._clock = clock
        self._last = clock.monotonic()

    def _refill(self) -> None:
        now = self._clock.monotonic()
        self._tokens = min(self._capacity, self._tokens + (now - self._last) * self._rate)
        self._last = now

    def acquire(self, count: int = 1) -> None:
        """Wait until ``count`` requests may be sent, then spend them."""
        remaining = max(1, count)
        while remaining > 0:
            chunk = min(remaining, self._capacity)
            self._refill()
            if self._tokens < chunk:
                self._clock.sleep((chunk - self._tokens) / self._rate)
                self._refill()
            self._tokens -= chunk
            remaining -= int(chunk)


class Backoff:
    """Exponential backoff with "equal jitter": half the delay fixed, half random."""

    def __init__(self, base: float, max_delay: float, rng: random.Random) -> None:
        self._base = base
        self._max = max_delay
        self._rng = rng

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1 for the first retry)."""
        ceiling = min(self._max, self._base * 2.0 ** max(0, attempt - 1))
        wait = ceiling / 2 + self._rng.uniform(0, ceiling / 2)
        return max(wait, retry_after or 0.0)


RETRYABLE = (RateLimitedError, TransientError)


def retry_after(error: ProviderError) -> float | None:
    value: object = error.params.get("retry_after")
    if isinstance(value, int | float):
        return float(value)
    return None


class Pacer:
    """Spends quota before each request and waits out rate limits and transient failures."""

    def __init__(self, pacing: Pacing, clock: Clock, rng: random.Random) -> None:
        self.pacing = pacing
        self.clock = clock
        capacity = pacing.burst
        self.bucket = TokenBucket(pacing.requests_per_minute - capacity, capacity, clock)
        self.backoff = Backoff(pacing.base_delay, pacing.max_delay, rng)

    def acquire(self, count: int = 1) -> None:
        self.bucket.acquire(count)

    def wait_before_retry(self, attempt: int, error: ProviderError | None = None) -> None:
        self.clock.sleep(self.backoff.delay(attempt, retry_after(error) if error else None))

    def call(self, request: Callable[[], T]) -> T:
        """Send one request, retrying rate limits and transient failures with backoff.

        After ``max_attempts`` the last error is raised; other errors are raised at once.
        """
        attempt = 0
        while True:
            self.acquire(1)
            try:
                return request()
            except RETRYABLE as error:
                attempt += 1
                if attempt >= self.pacing.max_attempts:
                    raise
                self.wait_before_retry(attempt, error)
