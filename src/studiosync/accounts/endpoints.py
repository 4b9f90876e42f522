"""Where Google is: the real Google by default, the local sandbox when no client is configured."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from studiosync.settings import Settings

DEFAULT_SANDBOX_URL = "http://127.0.0.1:8765/"
SANDBOX_CLIENT_ID = "studiosync-embedded"
SANDBOX_CLIENT_SECRET = "embedded-sandbox"  # noqa: S105 - the sandbox accepts any client
SCOPES = (
    "https://www.googleapis.com/auth/calendar",
    "https://www.googleapis.com/auth/contacts.readonly",
    "https://www.googleapis.com/auth/userinfo.email",
    "openid",
)
REQUIRED_SCOPES = SCOPES[:2]


@dataclass(frozen=True)
class GoogleEndpoints:
    """The OAuth endpoints, the API base URL and the OAuth client studiosync uses."""

    auth_uri: str
    token_uri: str
    revoke_uri: str
    api_base: str
    client_id: str
    client_secret: str = field(repr=False)
    sandbox: bool

    @property
    def userinfo_uri(self) -> str:
        return self.api_base + "oauth2/v3/userinfo"

    @property
    def on_loopback(self) -> bool:
        host = urlsplit(self.token_uri).hostname or ""
        return host in ("127.0.0.1", "localhost", "::1")


def _slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def google_endpoints(settings: Settings) -> GoogleEndpoints:
    """Real Google when a Google client is configured, else the sandbox (embedded default)."""
    if settings.google_client_id and not settings.sandbox_url:
        return GoogleEndpoints(
            auth_uri=settings.google_auth_uri,
            token_uri=settings.google_token_uri,
            revoke_uri=settings.google_revoke_uri,
            api_base=_slash(settings.google_api_base),
            client_id=settings.google_client_id,
            client_secret=settings.google_client_secret or "",
            sandbox=False,
        )
    base = _slash(settings.sandbox_url or DEFAULT_SANDBOX_URL)
    return GoogleEndpoints(
        auth_uri=base + "o/oauth2/auth",
        token_uri=base + "token",
        revoke_uri=base + "revoke",
        api_base=base,
        client_id=settings.google_client_id or SANDBOX_CLIENT_ID,
        client_secret=settings.google_client_secret or SANDBOX_CLIENT_SECRET,
        sandbox=True,
    )
