"""Google push channels: one per syncing user while the studio has a public address.

A channel is opened on the user's chosen calendar with a random id and a secret token (kept
encrypted), renewed a day before Google ends it (Google never renews one itself), moved when
the calendar changes, and stopped when the user stops syncing, unlinks, or the public address
goes. A channel Google refused is tried again an hour later; the refusal is kept for the
Control Center and the troubleshooter.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from studiosync.accounts.calendars import google_provider_for
from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.accounts.models import AccountStatus, GoogleAccount, PushChannel, PushProblem
from studiosync.context import Studio
from studiosync.doctor.catalogue import explain
from studiosync.errors import StudioSyncError
from studiosync.providers.base import WatchRequest
from studiosync.studio.models import GoogleSettings, User

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/api/google/notifications"
RENEW_BEFORE = dt.timedelta(days=1)
RETRY_AFTER = dt.timedelta(hours=1)


def webhook_address(public_url: str | None) -> str | None:
    """Where Google posts notifications: the studio's public address + the webhook path."""
    if not public_url or not public_url.strip():
        return None
    return public_url.strip().rstrip("/") + WEBHOOK_PATH


@dataclass
class ChannelUpkeep:
    """What one pass did: channels opened (new or renewed), stopped, and refused."""

    opened: list[int] = field(default_factory=list)
    stopped: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)


def _wanted(session: Session) -> dict[int, str]:
    """Users who sync now (active, enabled, linked and signed in, a calendar): their calendar."""
    rows = session.execute(
        select(User.id, GoogleSettings.calendar_id)
        .join(GoogleSettings, GoogleSettings.user_id == User.id)
        .join(GoogleAccount, GoogleAccount.user_id == User.id)
        .where(
            User.active.is_(True),
            GoogleSettings.enabled.is_(True),
            GoogleSettings.calendar_id.is_not(None),
            GoogleAccount.status == AccountStatus.LINKED,
        )
    )
    return {user_id: calendar for user_id, calendar in rows if calendar}


def _current(row: PushChannel, calendar: str, address: str, now: dt.datetime) -> bool:
    return (
        row.calendar_id == calendar
        and row.address == address
        and row.expires_at - now > RENEW_BEFORE
    )


def keep_channels(
    studio: Studio,
    endpoints: GoogleEndpoints,
    now: dt.datetime,
    public_url: str | None,
    ttl: dt.timedelta,
) -> ChannelUpkeep:
    """Open, renew, move and stop channels so each syncing user has one current channel."""
    address = webhook_address(public_url)
    done = ChannelUpkeep()
    with studio.transaction() as session:
        wanted = _wanted(session) if address else {}
        channels = {row.user_id: row for row in session.scalars(select(PushChannel))}
        refused_lately = set(
            session.scalars(select(PushProblem.user_id).where(PushProblem.at > now - RETRY_AFTER))
        )
        to_stop = [user for user in channels if user not in wanted]
        to_open = [
            user
            for user, calendar in wanted.items()
            if user not in refused_lately
            and (user not in channels or not _current(channels[user], calendar, address or "", now))
        ]
    for user_id in to_stop:
        stop_channel(studio, endpoints, user_id)
        done.stopped.append(user_id)
    for user_id in to_open:
        assert address is not None
        if open_channel(studio, endpoints, user_id, wanted[user_id], address, now, ttl):
            done.opened.append(user_id)
        else:
            done.refused.append(user_id)
    return done


def open_channel(
    studio: Studio,
    endpoints: GoogleEndpoints,
    user_id: int,
    calendar: str,
    address: str,
    now: dt.datetime,
    ttl: dt.timedelta,
) -> bool:
    """Open a channel on ``calendar`` for the user; the one it replaces is stopped after."""
    request = WatchRequest(
        channel_id="studiosync-" + secrets.token_hex(16),
        address=address,
        token=secrets.token_urlsafe(32),
        ttl_seconds=int(ttl.total_seconds()),
    )
    try:
        with studio.transaction() as session:
            provider = google_provider_for(
                session, studio, endpoints, session.get_one(User, user_id)
            )
        answer = provider.watch(calendar, request)
    except StudioSyncError as error:
        log.warning("Google refused a notification channel for user %s: %s", user_id, error.code)
        with studio.transaction() as session:
            session.merge(
                PushProblem(
                    user_id=user_id,
                    code=error.code.value,
                    detail=explain(error).cause.rstrip(".")[:500],
                    at=now,
                )
            )
        return False
    with studio.transaction() as session:
        old = session.get(PushChannel, user_id)
        replaced = (old.channel_id, old.resource_id) if old is not None else None
        if old is not None:
            session.delete(old)
            session.flush()
        session.add(
            PushChannel(
                user_id=user_id,
                channel_id=request.channel_id,
                resource_id=answer.resource_id,
                token_encrypted=studio.box.encrypt(request.token),
                calendar_id=calendar,
                address=address,
                created_at=now,
                expires_at=answer.expires_at or now + ttl,
            )
        )
        session.execute(delete(PushProblem).where(PushProblem.user_id == user_id))
    if replaced is not None:
        _stop_at_google(studio, endpoints, user_id, *replaced)
    return True


def stop_channel(studio: Studio, endpoints: GoogleEndpoints, user_id: int) -> None:
    """Stop the user's channel at Google (if Google still lets us) and forget it."""
    with studio.transaction() as session:
        row = session.get(PushChannel, user_id)
        if row is None:
            return
        ids = (row.channel_id, row.resource_id)
        session.delete(row)
    _stop_at_google(studio, endpoints, user_id, *ids)


def stop_channel_in(
    session: Session, studio: Studio, endpoints: GoogleEndpoints, user: User
) -> None:
    """Inside the caller's transaction (unlinking): stop the user's channel while the sign-in
    still works, and forget it."""
    row = session.get(PushChannel, user.id)
    if row is None:
        return
    try:
        google_provider_for(session, studio, endpoints, user).stop_channel(
            row.channel_id, row.resource_id
        )
    except StudioSyncError as error:  # Google forgets it when it ends anyway
        log.warning("could not stop the notification channel of %s: %s", user.login, error.code)
    session.delete(row)


def _stop_at_google(
    studio: Studio, endpoints: GoogleEndpoints, user_id: int, channel_id: str, resource_id: str
) -> None:
    try:
        with studio.transaction() as session:
            user = session.get(User, user_id)
            if user is None or session.get(GoogleAccount, user_id) is None:
                return
            provider = google_provider_for(session, studio, endpoints, user)
        provider.stop_channel(channel_id, resource_id)
    except StudioSyncError as error:  # Google forgets it when it ends anyway
        log.warning("could not stop notification channel %s: %s", channel_id, error.code)
