"""What changed in a collection since a token: RFC 6578 sync-collection, or ctag + etags.

The token handed to the engine says which way it was made:

* ``sc:<server token>`` — the server's own sync-collection token. A token the server refuses
  (RFC 6578 ``valid-sync-token``) raises ``SyncTokenExpiredError``.
* ``sk:<data>`` — the same with the collection's ctag, read just *before* the report (so a
  change made meanwhile is never hidden behind it): when the ctag has not moved, nothing
  changed and the report is not sent. Base64url of ``{"t": token, "c": ctag}``.
* ``et:<data>`` — for a server without sync-collection (or when the fallback is forced): the
  collection's ctag and every resource's etag, as compact JSON (``{"c": ctag, "e": {name:
  etag}}``), zlib-compressed, base64url. The next run asks for the ctag only (one request) and
  lists etags only when it moved; resources whose etag changed are read, and names that
  vanished are deletions. Such a token grows with the calendar (about 30 bytes per event).

Either way the answer holds the changed resources *with their data* (asked for in the same
REPORT where the server allows, else by one multiget) and the names of deleted ones.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.sax.saxutils import escape

from studiosync.errors import ErrorCode, SyncTokenExpiredError
from studiosync.providers.caldav.http import (
    CALDAV,
    CARDDAV,
    CS,
    DAV,
    DavHttp,
    Entry,
    parse_multistatus,
)

SYNC = "sc:"
SYNC_CTAG = "sk:"
ETAGS = "et:"
NAMESPACES = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" ' + (
    'xmlns:CR="urn:ietf:params:xml:ns:carddav" xmlns:CS="http://calendarserver.org/ns/"'
)


@dataclass(frozen=True)
class Kind:
    """Calendar or address book: the data property and the multiget report to ask for."""

    name: str
    data: str
    data_xml: str
    multiget: str

    @property
    def token_kind(self) -> str:
        return "calendar" if self.name == "calendar" else "contacts"


CALENDAR = Kind("calendar", f"{CALDAV}calendar-data", "<C:calendar-data/>", "C:calendar-multiget")
ADDRESSBOOK = Kind(
    "addressbook", f"{CARDDAV}address-data", "<CR:address-data/>", "CR:addressbook-multiget"
)


@dataclass
class Delta:
    """Changed resources (name -> (etag, text)) and deleted names, with the token for next time."""

    changed: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    token: str = ""


class NoSyncCollectionError(Exception):
    """The server does not offer the sync-collection report on this collection."""


def name_of(href: str, collection: str) -> str | None:
    """A member's name inside ``collection`` (unquoted), or ``None`` for the collection itself."""
    path = unquote(urlsplit(href).path)
    base = unquote(urlsplit(collection).path).rstrip("/") + "/"
    if not path.startswith(base):
        return None
    name = path[len(base) :].strip("/")
    return name or None


def _expired(kind: Kind, reason: str) -> SyncTokenExpiredError:
    return SyncTokenExpiredError(
        ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED, kind=kind.token_kind, reason=reason
    )


def pack_sync(token: str, ctag: str | None) -> str:
    if not ctag:
        return SYNC + token
    raw = json.dumps({"t": token, "c": ctag}, separators=(",", ":")).encode()
    return SYNC_CTAG + base64.urlsafe_b64encode(raw).decode()


def unpack_sync(held: str, kind: Kind) -> tuple[str, str | None]:
    """``(server token, ctag)`` of an ``sc:`` or ``sk:`` token."""
    if held.startswith(SYNC):
        return held[len(SYNC) :], None
    try:
        data = json.loads(base64.urlsafe_b64decode(held[len(SYNC_CTAG) :]))
        token, ctag = data["t"], data["c"]
    except (ValueError, TypeError, KeyError) as failure:
        raise _expired(kind, f"unreadable token ({type(failure).__name__})") from None
    return str(token), str(ctag)


def sync_collection(
    http: DavHttp, url: str, held: str | None, kind: Kind, ctag: str | None = None
) -> Delta:
    """Nothing when ``ctag`` (read just before) is the held token's; else one sync-collection
    REPORT (asking for the data too), then a multiget for what lacked it."""
    token, held_ctag = unpack_sync(held, kind) if held else (None, None)
    if held and ctag and ctag == held_ctag:
        return Delta(token=held)
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><D:sync-collection {NAMESPACES}>'
        f"<D:sync-token>{escape(token or '')}</D:sync-token><D:sync-level>1</D:sync-level>"
        f"<D:prop><D:getetag/>{kind.data_xml}</D:prop></D:sync-collection>"
    )
    answer = http.send("REPORT", url, body, {"Depth": "1", "Content-Type": "application/xml"})
    if answer.status in (400, 403, 405, 409, 412, 415, 501) and "sync-token" not in answer.text:
        raise NoSyncCollectionError(answer.status)
    if answer.status != 207 and "valid-sync-token" in answer.text:
        raise _expired(kind, f"HTTP {answer.status}")
    http.check(answer, url, ok=(207,), contacts=kind.name == "addressbook")
    entries, new_token = parse_multistatus(answer.text)
    if new_token is None:
        raise NoSyncCollectionError("no sync-token in the answer")
    delta = Delta(token=pack_sync(new_token, ctag))
    missing: list[str] = []
    for entry in entries:
        name = name_of(urljoin(url, entry.href), url)
        if name is None:
            continue
        if entry.status == 404:
            delta.deleted.append(name)
            continue
        text = entry.text(kind.data)
        if text:
            delta.changed[name] = (entry.text(f"{DAV}getetag"), text)
        else:
            missing.append(name)
    _fill(http, url, kind, missing, delta)
    return delta


def multiget(http: DavHttp, url: str, kind: Kind, names: list[str]) -> list[Entry]:
    """The etag and data of ``names`` in one REPORT."""
    base = urlsplit(url).path.rstrip("/") + "/"
    hrefs = "".join(f"<D:href>{escape(base + quote(name))}</D:href>" for name in names)
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><{kind.multiget} {NAMESPACES}>'
        f"<D:prop><D:getetag/>{kind.data_xml}</D:prop>{hrefs}</{kind.multiget}>"
    )
    entries, _token = http.multistatus(
        "REPORT", url, body, "1", contacts=kind.name == "addressbook"
    )
    return entries


def _fill(http: DavHttp, url: str, kind: Kind, names: list[str], delta: Delta) -> None:
    if not names:
        return
    found = set()
    for entry in multiget(http, url, kind, names):
        name = name_of(entry.href, url)
        text = entry.text(kind.data)
        if name is not None and text:
            delta.changed[name] = (entry.text(f"{DAV}getetag"), text)
            found.add(name)
    delta.deleted.extend(name for name in names if name not in found)


def pack_etags(ctag: str | None, etags: dict[str, str]) -> str:
    raw = json.dumps({"c": ctag, "e": etags}, separators=(",", ":")).encode()
    return ETAGS + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode()


def unpack_etags(token: str, kind: Kind) -> tuple[str | None, dict[str, str]]:
    try:
        data = json.loads(zlib.decompress(base64.urlsafe_b64decode(token[len(ETAGS) :])))
        ctag, etags = data["c"], data["e"]
        if not isinstance(etags, dict):
            raise TypeError("etags")
    except (ValueError, TypeError, KeyError, zlib.error) as failure:
        raise _expired(kind, f"unreadable token ({type(failure).__name__})") from None
    return ctag, {str(k): str(v) for k, v in etags.items()}


PROPFIND = '<?xml version="1.0" encoding="utf-8"?><D:propfind {}><D:prop>{}</D:prop></D:propfind>'
CTAG = PROPFIND.format(NAMESPACES, "<CS:getctag/>")
ETAG_LIST = PROPFIND.format(NAMESPACES, "<D:getetag/><D:resourcetype/>")


def by_etags(
    http: DavHttp, url: str, token: str | None, kind: Kind, ctag: str | None = None
) -> Delta:
    """Changes found by comparing the ctag (read now unless given), then each resource's etag,
    with the token's."""
    how = {"contacts": kind.name == "addressbook"}
    old_ctag, old = unpack_etags(token, kind) if token else (None, {})
    if ctag is None:
        entries, _token = http.multistatus("PROPFIND", url, CTAG, "0", **how)
        ctag = entries[0].text(f"{CS}getctag") if entries else None
    if token and ctag and ctag == old_ctag:
        return Delta(token=token)
    listed, _token = http.multistatus("PROPFIND", url, ETAG_LIST, "1", **how)
    now: dict[str, str] = {}
    for entry in listed:
        name = name_of(entry.href, url)
        etag = entry.text(f"{DAV}getetag")
        if name is not None and etag and not list(entry.props.get(f"{DAV}resourcetype", [])):
            now[name] = etag
    delta = Delta(token=pack_etags(ctag, now))
    delta.deleted = [name for name in old if name not in now]
    changed = [name for name, etag in now.items() if old.get(name) != etag]
    _fill(http, url, kind, changed, delta)
    delta.deleted = [name for name in delta.deleted if name not in delta.changed]
    return delta
