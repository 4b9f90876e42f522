"""WebDAV requests over one HTTP session (Basic auth in UTF-8) and multistatus answers parsed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

import requests
from requests.auth import HTTPBasicAuth

from studiosync.errors import ProviderError
from studiosync.providers.caldav.errors import error_for_status, unreachable

DAV = "{DAV:}"
CALDAV = "{urn:ietf:params:xml:ns:caldav}"
CARDDAV = "{urn:ietf:params:xml:ns:carddav}"
CS = "{http://calendarserver.org/ns/}"
XML = "application/xml; charset=utf-8"
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, headers that matter, and the body as text."""

    status: int
    text: str
    etag: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class Entry:
    """One ``response`` of a multistatus: its href, its own status, and the properties found."""

    href: str
    status: int | None
    props: Mapping[str, ET.Element] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        found = self.props.get(name)
        return (found.text or "").strip() if found is not None else None


def _status(line: str | None) -> int | None:
    parts = (line or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def parse_multistatus(text: str) -> tuple[list[Entry], str | None]:
    """The responses of a 207 body, and the top-level ``sync-token`` when there is one."""
    root = ET.fromstring(text)  # noqa: S314 - our own server's answer, not untrusted upload
    entries: list[Entry] = []
    for response in root.iter(f"{DAV}response"):
        href = (response.findtext(f"{DAV}href") or "").strip()
        props: dict[str, ET.Element] = {}
        for propstat in response.iter(f"{DAV}propstat"):
            if _status(propstat.findtext(f"{DAV}status")) != 200:
                continue
            for prop in propstat.iter(f"{DAV}prop"):
                for child in prop:
                    props[child.tag] = child
        entries.append(Entry(href, _status(response.findtext(f"{DAV}status")), props))
    token = root.findtext(f"{DAV}sync-token")
    return entries, token.strip() if token else None


class DavHttp:
    """One account's HTTP session to one server; every failure becomes a ``ProviderError``."""

    def __init__(
        self,
        username: str,
        password: str,
        *,
        verify: bool | str = True,
        timeout: float = TIMEOUT_SECONDS,
        session: requests.Session | None = None,
    ) -> None:
        self.auth = HTTPBasicAuth(username.encode(), password.encode())
        self.verify = verify
        self.timeout = timeout
        self.session = session or requests.Session()
        self.requests = 0
        """How many HTTP requests were sent (the benchmark counts them)."""

    def send(
        self,
        method: str,
        url: str,
        body: str = "",
        headers: Mapping[str, str] | None = None,
        *,
        redirects: bool = True,
    ) -> Answer:
        """One request; only a failed connection raises (as ``DAV_UNREACHABLE``)."""
        self.requests += 1
        try:
            response = self.session.request(
                method,
                url,
                data=body.encode() if body else None,
                headers=dict(headers or {}),
                auth=self.auth,
                verify=self.verify,
                timeout=self.timeout,
                allow_redirects=redirects,
            )
        except requests.RequestException as failure:
            raise unreachable(failure, server=server_of(url), what=url) from None
        return Answer(
            response.status_code,
            response.text,
            response.headers.get("ETag"),
            response.headers.get("Location"),
        )

    def check(self, answer: Answer, url: str, *, ok: tuple[int, ...], **how: bool) -> Answer:
        """``answer`` when its status is one of ``ok``; the matching error otherwise."""
        if answer.status in ok:
            return answer
        raise self.error(answer, url, **how)

    def error(self, answer: Answer, url: str, **how: bool) -> ProviderError:
        kind = "contacts" if how.pop("contacts", False) else "calendar"
        return error_for_status(
            answer.status, answer.text, what=url, server=server_of(url), kind=kind, **how
        )

    def multistatus(
        self, method: str, url: str, body: str, depth: str, **how: bool
    ) -> tuple[list[Entry], str | None]:
        """A PROPFIND or REPORT; its entries with hrefs made absolute, and any sync-token."""
        answer = self.send(method, url, body, {"Depth": depth, "Content-Type": XML})
        self.check(answer, url, ok=(207,), **how)
        entries, token = parse_multistatus(answer.text)
        return [Entry(urljoin(url, e.href), e.status, e.props) for e in entries], token


def server_of(url: str) -> str:
    """The scheme and host of a URL: how errors name the server."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def same_url(one: str, other: str) -> bool:
    """Two URLs of one collection (a trailing slash and quoting do not matter)."""
    return unquote(one).rstrip("/") == unquote(other).rstrip("/")
