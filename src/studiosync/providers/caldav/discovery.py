"""Finding an account's principal, calendar home and address-book home from a server URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import caldav
import requests
from caldav.elements import cdav
from caldav.lib import error as caldav_error

from studiosync.errors import AuthError, ErrorCode, ProviderError
from studiosync.providers.caldav.errors import unreachable
from studiosync.providers.caldav.http import CARDDAV, DAV, XML, DavHttp, server_of

WELL_KNOWN = {"caldav": "/.well-known/caldav", "carddav": "/.well-known/carddav"}
ADDRESSBOOK_HOME = """<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">
  <D:prop><CR:addressbook-home-set/></D:prop>
</D:propfind>"""


@dataclass(frozen=True)
class Account:
    """Where one account's collections live (absolute URLs)."""

    principal: str
    calendar_home: str
    addressbook_home: str | None


def _well_known(http: DavHttp, url: str, service: str) -> str:
    """Where ``/.well-known/<service>`` points, followed by hand: requests turns a redirected
    PROPFIND into a GET (on 302, as Xandikos answers), so the redirect is read, not followed."""
    parts = urlsplit(url)
    if parts.path.strip("/"):
        return url
    probe = urljoin(url, WELL_KNOWN[service])
    for _hop in range(5):
        answer = http.send(
            "PROPFIND", probe, "", {"Depth": "0", "Content-Type": XML}, redirects=False
        )
        if answer.status in (301, 302, 303, 307, 308) and answer.location:
            probe = urljoin(probe, answer.location)
            continue
        if answer.status == 401:
            raise http.error(answer, probe)
        return probe if answer.status == 207 else url
    return url


def _client(http: DavHttp, url: str) -> caldav.DAVClient:
    return caldav.DAVClient(
        url=url, auth=http.auth, ssl_verify_cert=http.verify, timeout=int(http.timeout)
    )


def _refused(failure: caldav_error.DAVError, url: str) -> ProviderError:
    reason = str(failure.reason)
    if isinstance(failure, caldav_error.AuthorizationError) and "orbidden" not in reason:
        return AuthError(ErrorCode.DAV_AUTH_FAILED, server=server_of(url), reason=reason)
    return ProviderError(ErrorCode.DAV_NOT_A_SERVER, server=server_of(url), reason=reason)


def discover(http: DavHttp, url: str) -> Account:
    """The account behind ``http``'s credentials on the server at ``url`` (RFC 6764 + 4791).

    ``url`` may be the bare server (``https://caldav.example.com``: the well-known URI is asked)
    or any URL on it, such as the principal. The caldav library finds the
    current-user-principal and its calendar-home-set; a server that names neither is not a
    CalDAV server for this account (``DAV_NOT_A_SERVER``).
    """
    start = _well_known(http, url, "caldav")
    client = _client(http, start)
    try:
        principal = client.principal()  # type: ignore[no-untyped-call]
        home: Any = principal.get_property(cdav.CalendarHomeSet())
        if not home:
            raise ProviderError(
                ErrorCode.DAV_NOT_A_SERVER, server=server_of(url), reason="no calendar home"
            )
        calendar_home = str(principal.calendar_home_set.url)
        principal_url = str(principal.url)
    except caldav_error.DAVError as failure:
        raise _refused(failure, start) from None
    except requests.RequestException as failure:
        raise unreachable(failure, server=server_of(url)) from None
    finally:
        client.close()
    return Account(principal_url, calendar_home, _addressbook_home(http, principal_url))


def _addressbook_home(http: DavHttp, principal: str) -> str | None:
    """The principal's addressbook-home-set (RFC 6352), or ``None`` when it names none."""
    entries, _token = http.multistatus("PROPFIND", principal, ADDRESSBOOK_HOME, "0")
    for entry in entries:
        found = entry.props.get(f"{CARDDAV}addressbook-home-set")
        href = found.findtext(f"{DAV}href") if found is not None else None
        if href:
            return urljoin(principal, href.strip())
    return None
