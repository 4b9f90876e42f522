"""Settings of one sandbox server: token lifetimes, the OAuth client, quotas and paging."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

DEFAULT_CLIENT_ID = "sandbox-client.apps.googleusercontent.com"
DEFAULT_CLIENT_SECRET = "sandbox-client-secret"  # noqa: S105 - a well-known sandbox value


@dataclass
class SandboxConfig:
    """Everything an operator or a test may tune; all of it can change at run time too.

    ``client_id``/``client_secret`` left empty means any client is accepted (open mode); set
    both to accept only that client (others get ``invalid_client``). ``redirect_uris`` limits
    where the consent page may send a fixed client back (loopback URIs match any port).
    Quotas are off while their limit is ``None``. ``refresh_token_ttl`` (seconds) makes
    refresh tokens die that long after they were granted, as Google does for an app whose
    OAuth consent screen is in "Testing" (7 days); ``None``: they live until revoked.
    """

    token_ttl: int = 3600
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    redirect_uris: list[str] = field(default_factory=list)
    quota_user_per_minute: int | None = None
    quota_project_per_minute: int | None = None
    quota_status: int = 403
    people_sync_token_ttl: int = 7 * 24 * 3600
    calendar_sync_token_ttl: int | None = None
    ragged_pages: bool = False
    expansion_horizon_days: int = 730
    refresh_tokens_per_client: int = 100
    refresh_token_ttl: int | None = None

    @property
    def fixed_client(self) -> bool:
        return bool(self.client_id)

    def public(self) -> dict[str, Any]:
        """The settings as JSON, with the client secret left out."""
        data = asdict(self)
        data["client_secret"] = "***" if self.client_secret else None
        return data

    def update(self, changes: dict[str, Any]) -> list[str]:
        """Apply ``changes`` if every key is known and well typed; else return the bad keys."""
        known = {item.name for item in fields(self)}
        bad = [key for key, value in changes.items() if key not in known or not _fits(key, value)]
        if not bad:
            for key, value in changes.items():
                setattr(self, key, value)
        return bad


_OPTIONAL_INTS = {
    "quota_user_per_minute",
    "quota_project_per_minute",
    "calendar_sync_token_ttl",
    "refresh_token_ttl",
}
_OPTIONAL_TEXT = {"client_id", "client_secret"}


def _fits(key: str, value: Any) -> bool:
    if key == "ragged_pages":
        return isinstance(value, bool)
    if key == "redirect_uris":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if key in _OPTIONAL_TEXT:
        return value is None or isinstance(value, str)
    if key == "quota_status":
        return value in (403, 429)
    if value is None:
        return key in _OPTIONAL_INTS
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
