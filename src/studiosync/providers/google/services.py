"""Calendar v3 and People v1 clients of google-api-python-client, against Google or any base URL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import google_auth_httplib2  # type: ignore[import-untyped]
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build_from_document
from googleapiclient.discovery_cache import get_static_doc

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 - a URL
DEFAULT_TIMEOUT = 60.0


def discovery_document(api: str, version: str, base_url: str | None = None) -> dict[str, Any]:
    """The discovery document googleapiclient ships, its root moved to ``base_url`` if given.

    Moving ``rootUrl`` moves every method and the batch URL (rootUrl + batchPath) with it.
    """
    raw = get_static_doc(api, version)
    if raw is None:
        raise LookupError(f"no shipped discovery document for {api} {version}")
    document: dict[str, Any] = json.loads(raw)
    if base_url:
        root = base_url.rstrip("/") + "/"
        document["rootUrl"] = root
        document["mtlsRootUrl"] = root
        document["baseUrl"] = root + document.get("servicePath", "")
    return document


def authorized_http(credentials: Credentials, timeout: float = DEFAULT_TIMEOUT) -> Any:
    """An httplib2 transport that adds the bearer token and refreshes it on 401."""
    return google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=timeout))


def _build(
    api: str, version: str, credentials: Credentials, base_url: str | None, timeout: float
) -> Any:
    document = discovery_document(api, version, base_url)
    return build_from_document(document, http=authorized_http(credentials, timeout))


def build_calendar(
    credentials: Credentials, base_url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> Any:
    """A Calendar v3 service; real Google unless ``base_url`` (e.g. the sandbox) is given."""
    return _build("calendar", "v3", credentials, base_url, timeout)


def build_people(
    credentials: Credentials, base_url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> Any:
    """A People v1 service; real Google unless ``base_url`` (e.g. the sandbox) is given."""
    return _build("people", "v1", credentials, base_url, timeout)


def token_uri(base_url: str | None = None) -> str:
    """Where refresh requests go: Google's token endpoint, or ``{base_url}/token``."""
    return base_url.rstrip("/") + "/token" if base_url else GOOGLE_TOKEN_URI


def make_credentials(
    *,
    access_token: str | None,
    refresh_token: str | None,
    client_id: str,
    client_secret: str,
    scopes: Sequence[str] | None = None,
    base_url: str | None = None,
) -> Credentials:
    """google-auth user credentials whose refreshes go to Google or to ``base_url``."""
    return Credentials(  # type: ignore[no-untyped-call]
        token=access_token,
        refresh_token=refresh_token,
        token_uri=token_uri(base_url),
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(scopes) if scopes else None,
    )
