"""The one mapping from Google's HTTP answers and transport failures to studiosync's errors."""

from __future__ import annotations

import json
import socket
import ssl
from typing import Any

from studiosync.errors import (
    AccessDeniedError,
    AuthError,
    ErrorCode,
    PreconditionFailedError,
    ProviderError,
    QuotaExceededError,
    RateLimitedError,
    RemoteDuplicateError,
    RemoteNotFoundError,
    SyncTokenExpiredError,
    TransientError,
)

RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded", "usageLimits"}
TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    socket.timeout,
    ssl.SSLError,
    OSError,
)


def _reasons(content: bytes | str | None) -> tuple[set[str], str]:
    """The reasons and status Google put in its JSON error body."""
    try:
        body: dict[str, Any] = json.loads(content or b"{}")
    except ValueError:
        return set(), ""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return set(), ""
    reasons = {str(item.get("reason")) for item in error.get("errors") or () if item.get("reason")}
    for detail in error.get("details") or ():
        if isinstance(detail, dict) and detail.get("reason"):
            reasons.add(str(detail["reason"]))
    return reasons, str(error.get("status") or "")


def error_from_response(
    status: int, content: bytes | str | None, *, what: str, kind: str = "calendar"
) -> ProviderError:
    """The studiosync error for one Google answer; ``what`` names the item for the log."""
    reasons, state = _reasons(content)
    reason = f"HTTP {status} " + (",".join(sorted(reasons)) or "")
    item = {"item": what, "event_id": what, "reason": reason.strip()}
    if status == 400 and ("EXPIRED_SYNC_TOKEN" in reasons or state == "FAILED_PRECONDITION"):
        return SyncTokenExpiredError(ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED, kind=kind, **item)
    if status == 401:
        return AuthError(
            ErrorCode.GOOGLE_REAUTH_NEEDED, google_email="this account", user="USER", **item
        )
    if status == 429 or (status == 403 and reasons & RATE_REASONS):
        return RateLimitedError(ErrorCode.PROVIDER_RATE_LIMITED, status=status, **item)
    if status == 403 and reasons & QUOTA_REASONS:
        return QuotaExceededError(ErrorCode.PROVIDER_QUOTA_EXCEEDED, **item)
    if status == 403:
        return AccessDeniedError(ErrorCode.PROVIDER_FORBIDDEN, **item)
    if status == 404:
        return RemoteNotFoundError(ErrorCode.PROVIDER_ITEM_NOT_FOUND, **item)
    if status == 409:
        return RemoteDuplicateError(ErrorCode.PROVIDER_DUPLICATE_ID, **item)
    if status == 410 and "deleted" in reasons:
        return RemoteNotFoundError(ErrorCode.PROVIDER_ITEM_NOT_FOUND, gone=True, **item)
    if status == 410:
        return SyncTokenExpiredError(ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED, kind=kind, **item)
    if status == 412:
        return PreconditionFailedError(ErrorCode.PROVIDER_ETAG_MISMATCH, **item)
    if status >= 500:
        return TransientError(ErrorCode.PROVIDER_UNAVAILABLE, status=status, **item)
    return ProviderError(ErrorCode.PROVIDER_BAD_REQUEST, status=status, **item)


def error_from_transport(failure: BaseException, *, what: str) -> TransientError:
    """A dropped connection, reset, timeout or TLS failure: try again later."""
    return TransientError(
        ErrorCode.PROVIDER_UNAVAILABLE, item=what, event_id=what, reason=type(failure).__name__
    )
