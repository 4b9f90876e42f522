"""Computers check in with a heartbeat: name, version, last seen, and whether Google answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync import __version__
from studiosync.accounts.endpoints import google_endpoints
from studiosync.clock import Clock
from studiosync.context import Studio
from studiosync.control.locks import default_computer_name
from studiosync.control.models import ANY_COMPUTER, Computer
from studiosync.settings import Settings

PROBE_TIMEOUT_SECONDS = 3.0
HEARTBEAT_INTERVAL = dt.timedelta(seconds=60)
ONLINE_WITHIN = 3 * HEARTBEAT_INTERVAL


def computer_name(settings: Settings) -> str:
    """This computer's name: STUDIOSYNC_COMPUTER_NAME, else its host name."""
    return (settings.computer_name or "").strip() or default_computer_name()


@dataclass(frozen=True)
class Reachability:
    reachable: bool
    error: str | None = None


def probe_google(url: str, *, timeout: float = PROBE_TIMEOUT_SECONDS) -> Reachability:
    """One quick request to Google's token endpoint: any HTTP answer means Google is reachable."""
    try:
        httpx.get(url, timeout=timeout, follow_redirects=False)
    except httpx.TimeoutException:
        return Reachability(False, f"no answer within {timeout:g} seconds")
    except httpx.HTTPError as error:
        return Reachability(False, _reason(error))
    return Reachability(True)


def _reason(error: httpx.HTTPError) -> str:
    cause: BaseException | None = error
    while cause is not None and cause.__cause__ is not None:
        cause = cause.__cause__
    text = str(cause or error).strip() or type(error).__name__
    return text[:500]


def heartbeat(
    studio: Studio, clock: Clock, *, name: str | None = None, timeout: float = PROBE_TIMEOUT_SECONDS
) -> Computer:
    """Check in: probe Google, then record this computer as seen now."""
    me = name or computer_name(studio.settings)
    found = probe_google(google_endpoints(studio.settings).token_uri, timeout=timeout)
    with studio.transaction() as session:
        row = session.get(Computer, me)
        if row is None:
            row = Computer(name=me)
            session.add(row)
        row.last_seen_at = clock.now()
        row.version = __version__
        row.google_reachable = found.reachable
        row.google_error = found.error
        session.flush()
        session.expunge(row)
    return row


def list_computers(session: Session) -> list[Computer]:
    return list(session.scalars(select(Computer).order_by(Computer.name)))


def find_computer(session: Session, name: str) -> Computer | None:
    wanted = name.strip().casefold()
    for row in list_computers(session):
        if row.name.casefold() == wanted:
            return row
    return None


def is_online(computer: Computer, now: dt.datetime) -> bool:
    """On (seen within three heartbeats) and online (it reached Google at its last check-in)."""
    return is_on(computer, now) and computer.google_reachable


def is_on(computer: Computer, now: dt.datetime) -> bool:
    return now - computer.last_seen_at <= ONLINE_WITHIN


def designated_here(designated: str | None, me: str) -> bool:
    """The rule: the job runs on this computer when it is the one chosen, or "any" is chosen."""
    if designated is None:
        return False
    chosen = designated.strip().casefold()
    return chosen == ANY_COMPUTER or chosen == me.strip().casefold()
