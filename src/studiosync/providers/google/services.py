"""Calendar v3 and People v1 clients of google-api-python-client, against Google or any base URL.

A sync round signs in as thousands of accounts, so nothing is done per account that can be done
once: each API's service is built from its discovery document once per base URL, then bound to
each account's own authorised transport (a shallow copy), and keep-alive connections are kept
per thread, so the next account synced on that thread reuses them.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import types
from collections.abc import Sequence
from typing import Any

import google_auth_httplib2  # type: ignore[import-untyped]
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import Resource, build_from_document
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


class ThreadPooledHttp(httplib2.Http):  # type: ignore[misc]
    """httplib2's client whose keep-alive connections belong to the calling thread.

    Each account has its own client (its own token), but the connections to a host are shared
    by every client used on that thread, one request at a time, so they outlive one account.
    """

    _pools = threading.local()

    @property
    def connections(self) -> dict[str, Any]:
        pools: dict[float | None, dict[str, Any]] = self._pools.__dict__.setdefault(
            "by_timeout", {}
        )
        return pools.setdefault(self.timeout, {})

    @connections.setter
    def connections(self, _value: dict[str, Any]) -> None:
        """httplib2 starts (and closes) by replacing its dict: the thread's pool stays."""

    def _conn_request(
        self, conn: Any, request_uri: str, method: str, body: Any, headers: Any
    ) -> Any:
        """A kept connection the server has closed while it sat idle is opened anew first:
        sending on it would fail before the server read anything (httplib2 only recovers when
        the failure comes on the read)."""
        if conn.sock is not None and _closed_by_peer(conn.sock):
            conn.close()
        return super()._conn_request(conn, request_uri, method, body, headers)


def _closed_by_peer(sock: socket.socket) -> bool:
    """An idle keep-alive socket never has anything to read: if it does, that is the end of
    the stream (or a reset) from the server."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def authorized_http(credentials: Credentials, timeout: float = DEFAULT_TIMEOUT) -> Any:
    """An httplib2 transport that adds the bearer token and refreshes it on 401."""
    return google_auth_httplib2.AuthorizedHttp(credentials, http=ThreadPooledHttp(timeout=timeout))


_templates: dict[tuple[str, str, str | None], Any] = {}
_collections: dict[tuple[int, str], Any] = {}
_templates_lock = threading.Lock()


def _template(api: str, version: str, base_url: str | None) -> Any:
    """The API's service, built once per base URL (its own transport is never used)."""
    key = (api, version, base_url.rstrip("/") + "/" if base_url else None)
    with _templates_lock:
        if key not in _templates:
            document = discovery_document(api, version, base_url)
            _templates[key] = build_from_document(document, http=httplib2.Http())
        return _templates[key]


def _collection_template(template: Any, name: str) -> Any:
    """A collection of a template service (Calendar's ``events``, say), built once."""
    key = (id(template), name)
    with _templates_lock:
        if key not in _collections:
            _collections[key] = getattr(template, name)()
        return _collections[key]


def _bound(template: Any, http: Any) -> Any:
    """A service like ``template`` whose requests go through ``http``: a cheap shallow copy.

    googleapiclient's methods read the transport from ``self._http`` when they are called, so
    rebinding them to a copy with another transport is all it takes; collections
    (``events()``...) are bound the same way from their own templates, never built again.
    """
    service = Resource.__new__(Resource)
    service.__dict__.update(template.__dict__)
    service._http = http
    service._credentials_validated = False
    service._dynamic_attrs = list(template._dynamic_attrs)
    for name in template._dynamic_attrs:
        method = template.__dict__[name]
        if not isinstance(method, types.MethodType) or method.__self__ is not template:
            continue  # new_batch_http_request: a plain function; its requests bring the transport
        if getattr(method.__func__, "__is_resource__", False):
            service.__dict__[name] = _collection(template, name, http)
        else:
            service.__dict__[name] = types.MethodType(method.__func__, service)
    return service


def _collection(template: Any, name: str, http: Any) -> Any:
    def collection() -> Any:
        return _bound(_collection_template(template, name), http)

    collection.__doc__ = "A collection resource."
    collection.__is_resource__ = True  # type: ignore[attr-defined]
    return collection


def _build(
    api: str, version: str, credentials: Credentials, base_url: str | None, timeout: float
) -> Any:
    return _bound(_template(api, version, base_url), authorized_http(credentials, timeout))


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
