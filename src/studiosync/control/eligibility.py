"""Which users a round syncs, and for the others the coded reason they are skipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studiosync.accounts.models import (
    AccountStatus,
    Connection,
    ConnectionKind,
    DavAccount,
    GoogleAccount,
    PushChannel,
)
from studiosync.control.models import UserSyncStatus
from studiosync.errors import ErrorCode
from studiosync.studio.models import GoogleSettings, User
from studiosync.sync.result import Level


@dataclass(frozen=True)
class Note:
    """A line to log for the user before the sync starts (or instead of it)."""

    level: Level
    code: ErrorCode
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    """One user with a Google tab: synced this round, or skipped for ``skip.code``."""

    user_id: int
    login: str
    skip: Note | None = None
    notes: tuple[Note, ...] = ()


def plan_users(
    session: Session,
    now: dt.datetime,
    *,
    only: Collection[int] | None = None,
    pushed_within: dt.timedelta | None = None,
) -> list[Candidate]:
    """Every active user with a Google tab (or those of ``only``), in id order, each with why
    it is skipped (if so).

    With ``pushed_within``, users whose Google calendar notifies us (a confirmed, current push
    channel) and who were synced within that time are left out: their changes reach us within
    seconds, so the schedule only reconciles them now and then.

    Plain columns, not objects: a round reads every user of the studio through here.
    """
    query = (
        select(
            User.id.label("user_id"),
            User.login,
            GoogleSettings.enabled,
            GoogleSettings.calendar_id,
            GoogleSettings.email_warnings,
            GoogleSettings.warnings_email,
            func.coalesce(GoogleAccount.user_id, DavAccount.user_id).label("account_user_id"),
            Connection.kind,
            func.coalesce(GoogleAccount.status, DavAccount.status).label("account_status"),
            GoogleAccount.google_email,
            DavAccount.server_url,
            func.coalesce(GoogleAccount.last_error_code, DavAccount.last_error_code).label(
                "last_error_code"
            ),
            UserSyncStatus.blocked_until,
        )
        .join(GoogleSettings, GoogleSettings.user_id == User.id)
        .outerjoin(Connection, Connection.user_id == User.id)
        .outerjoin(GoogleAccount, GoogleAccount.user_id == User.id)
        .outerjoin(DavAccount, DavAccount.user_id == User.id)
        .outerjoin(UserSyncStatus, UserSyncStatus.user_id == User.id)
        .where(User.active.is_(True))
        .order_by(User.id)
    )
    if only is not None:
        query = query.where(User.id.in_(list(only)))
    if pushed_within is not None:
        pushed = select(PushChannel.user_id).where(
            PushChannel.confirmed_at.is_not(None), PushChannel.expires_at > now
        )
        recent = UserSyncStatus.last_run_at >= now - pushed_within
        query = query.where(~(User.id.in_(pushed) & recent.is_(True)))
    rows = session.execute(query).all()
    return [_candidate(row, now) for row in rows]


def _candidate(row: Any, now: dt.datetime) -> Candidate:
    skip = _skip_reason(row, now)
    if skip is not None:
        return Candidate(row.user_id, row.login, skip=skip)
    notes: list[Note] = []
    if not (row.email_warnings and row.warnings_email):
        notes.append(
            Note(
                Level.WARNING,
                ErrorCode.WARNINGS_ADDRESS_REQUIRED,
                {"user": row.login, "field": "warnings email"},
            )
        )
    return Candidate(row.user_id, row.login, notes=tuple(notes))


def _skip_reason(row: Any, now: dt.datetime) -> Note | None:
    who = {"user": row.login}
    if not row.enabled:
        return Note(Level.INFO, ErrorCode.CONTROL_SYNC_DISABLED, who)
    if row.account_user_id is None:
        return Note(Level.WARNING, ErrorCode.GOOGLE_NOT_LINKED, who)
    if row.account_status == AccountStatus.NEEDS_REAUTH and row.kind is ConnectionKind.CALDAV:
        reason = row.last_error_code or "the stored password was refused"
        params = {**who, "server": row.server_url, "reason": reason}
        return Note(Level.WARNING, ErrorCode.DAV_AUTH_FAILED, params)
    if row.account_status == AccountStatus.NEEDS_REAUTH:
        reason = row.last_error_code or "the stored sign-in was refused"
        params = {**who, "google_email": row.google_email, "reason": reason}
        return Note(Level.WARNING, ErrorCode.GOOGLE_REAUTH_NEEDED, params)
    if not row.calendar_id:
        return Note(Level.WARNING, ErrorCode.GOOGLE_CALENDAR_NOT_SELECTED, who)
    if row.blocked_until is not None and row.blocked_until > now:
        until = row.blocked_until.isoformat(timespec="minutes")
        return Note(Level.INFO, ErrorCode.SYNC_PAUSED_FOR_QUOTA, {**who, "until": until})
    return None
