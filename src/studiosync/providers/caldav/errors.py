"""The one mapping from CalDAV/CardDAV answers and transport failures to studiosync's errors."""

from __future__ import annotations

import re

from studiosync.errors import (
    AccessDeniedError,
    AuthError,
    ErrorCode,
    PreconditionFailedError,
    ProviderError,
    RateLimitedError,
    RemoteDuplicateError,
    RemoteNotFoundError,
    SyncTokenExpiredError,
    TransientError,
)

SYNC_TOKEN_PRECONDITION = "valid-sync-token"  # noqa: S105 - an XML element name
"""RFC 6578: the element a server names when it no longer knows a sync token."""


def error_for_status(
    status: int,
    body: str,
    *,
    what: str,
    server: str,
    writing: bool = False,
    creating: bool = False,
    kind: str = "calendar",
) -> ProviderError:
    """The studiosync error for one refused request; ``what`` names the item for the log.

    ``creating`` marks a PUT with ``If-None-Match: *``: its 412 means the resource exists (the
    duplicate Google answers with 409). A refused sync token is a 403 (Radicale), 409 or 412
    (Xandikos) naming ``valid-sync-token``.
    """
    item = {"item": what, "event_id": what, "reason": f"HTTP {status}", "server": server}
    if SYNC_TOKEN_PRECONDITION in body and status in (400, 403, 409, 412):
        return SyncTokenExpiredError(ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED, kind=kind, **item)
    if status == 401:
        return AuthError(ErrorCode.DAV_AUTH_FAILED, **item)
    if status == 403 and writing:
        return AccessDeniedError(ErrorCode.DAV_READ_ONLY, calendar=what, **item)
    if status == 403:
        return AccessDeniedError(ErrorCode.PROVIDER_FORBIDDEN, **item)
    if status in (404, 410):
        return RemoteNotFoundError(ErrorCode.PROVIDER_ITEM_NOT_FOUND, gone=status == 410, **item)
    if status == 412 and creating:
        return RemoteDuplicateError(ErrorCode.PROVIDER_DUPLICATE_ID, **item)
    if status == 412:
        return PreconditionFailedError(ErrorCode.PROVIDER_ETAG_MISMATCH, **item)
    if status == 429:
        return RateLimitedError(ErrorCode.PROVIDER_RATE_LIMITED, status=status, **item)
    if status >= 500:
        return TransientError(ErrorCode.PROVIDER_UNAVAILABLE, status=status, **item)
    return ProviderError(ErrorCode.PROVIDER_BAD_REQUEST, status=status, **item)


def unreachable(failure: BaseException, *, server: str, what: str = "") -> TransientError:
    """A refused connection, reset, timeout or TLS failure: the server cannot be reached."""
    return TransientError(
        ErrorCode.DAV_UNREACHABLE, server=server, item=what or server, reason=_root_cause(failure)
    )


_SYSTEM_ERROR = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


def _root_cause(failure: BaseException) -> str:
    """The operating system's own words under the HTTP library's wrapping ("Name or service not
    known", "Connection refused"), else the error's kind and text."""
    text = str(failure)
    found = _SYSTEM_ERROR.search(text)
    if found:
        return found.group(1).strip()
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return "certificate verify failed"
    return f"{type(failure).__name__}: {text}"


def calendar_gone(calendar: str, server: str) -> RemoteNotFoundError:
    """The chosen calendar (or address book) no longer exists."""
    return RemoteNotFoundError(ErrorCode.DAV_CALENDAR_GONE, calendar=calendar, server=server)
