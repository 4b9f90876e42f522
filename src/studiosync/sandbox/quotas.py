"""Per-user and per-project request quotas over a sliding minute, answered as Google does."""

from __future__ import annotations

from collections import deque

from studiosync.sandbox.clock import SandboxClock
from studiosync.sandbox.config import SandboxConfig
from studiosync.sandbox.errors import GoogleError, api_error, error_info

WINDOW_SECONDS = 60.0


class Quotas:
    """Counts API calls per account and per OAuth client; off while the limits are None."""

    def __init__(self, config: SandboxConfig, clock: SandboxClock) -> None:
        self.config = config
        self.clock = clock
        self._windows: dict[str, deque[float]] = {}

    def reset(self) -> None:
        self._windows.clear()

    def check(self, email: str, client_id: str, api: str, daily_exceeded: bool) -> None:
        """Count one call, or raise the error Google gives when a limit is reached."""
        if daily_exceeded:
            raise self._daily_error(api)
        config = self.config
        if config.quota_user_per_minute is None and config.quota_project_per_minute is None:
            return
        now = self.clock.time()
        user_window = self._window(f"user:{email}", now)
        project_window = self._window(f"project:{client_id}", now)
        user_limit, project_limit = config.quota_user_per_minute, config.quota_project_per_minute
        if project_limit is not None and len(project_window) >= project_limit:
            raise self._rate_error(api, per_user=False)
        if user_limit is not None and len(user_window) >= user_limit:
            raise self._rate_error(api, per_user=True)
        user_window.append(now)
        project_window.append(now)

    def _window(self, key: str, now: float) -> deque[float]:
        window = self._windows.setdefault(key, deque())
        horizon = now - WINDOW_SECONDS
        while window and window[0] <= horizon:
            window.popleft()
        return window

    def _rate_error(self, api: str, *, per_user: bool) -> GoogleError:
        if api == "people":
            return _people_exhausted(
                "Read requests per minute per user" if per_user else "Read requests per minute"
            )
        if self.config.quota_status == 429:
            return api_error(429, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits")
        if per_user:
            return api_error(
                403, "userRateLimitExceeded", "User Rate Limit Exceeded", domain="usageLimits"
            )
        return api_error(403, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits")

    def _daily_error(self, api: str) -> GoogleError:
        if api == "people":
            return _people_exhausted("Daily requests per user")
        return api_error(
            403, "quotaExceeded", "Calendar usage limits exceeded.", domain="usageLimits"
        )


def _people_exhausted(limit: str) -> GoogleError:
    message = (
        f"Quota exceeded for quota metric 'Read requests' and limit '{limit}' "
        "of service 'people.googleapis.com'."
    )
    return api_error(
        429,
        "rateLimitExceeded",
        message,
        domain="global",
        details=[
            error_info("RATE_LIMIT_EXCEEDED", "googleapis.com", service="people.googleapis.com")
        ],
    )
