"""Which users a round syncs, and for the others the coded reason they are skipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.accounts.models import AccountStatus, GoogleAccount
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


def plan_users(session: Session, now: dt.datetime) -> list[Candidate]:
    """Every active user with a Google tab, in id order, each with why it is skipped (if so)."""
    rows = session.execute(
        select(User, GoogleSettings, GoogleAccount, UserSyncStatus)
        .join(GoogleSettings, GoogleSettings.user_id == User.id)
        .outerjoin(GoogleAccount, GoogleAccount.user_id == User.id)
        .outerjoin(UserSyncStatus, UserSyncStatus.user_id == User.id)
        .where(User.active.is_(True))
        .order_by(User.id)
    ).all()
    return [_candidate(user, tab, account, status, now) for user, tab, account, status in rows]


def _candidate(
    user: User,
    tab: GoogleSettings,
    account: GoogleAccount | None,
    status: UserSyncStatus | None,
    now: dt.datetime,
) -> Candidate:
    skip = _skip_reason(user, tab, account, status, now)
    if skip is not None:
        return Candidate(user.id, user.login, skip=skip)
    notes: list[Note] = []
    if not (tab.email_warnings and tab.warnings_email):
        notes.append(
            Note(
                Level.WARNING,
                ErrorCode.WARNINGS_ADDRESS_REQUIRED,
                {"user": user.login, "field": "warnings email"},
            )
        )
    return Candidate(user.id, user.login, notes=tuple(notes))


def _skip_reason(
    user: User,
    tab: GoogleSettings,
    account: GoogleAccount | None,
    status: UserSyncStatus | None,
    now: dt.datetime,
) -> Note | None:
    who = {"user": user.login}
    if not tab.enabled:
        return Note(Level.INFO, ErrorCode.CONTROL_SYNC_DISABLED, who)
    if account is None:
        return Note(Level.WARNING, ErrorCode.GOOGLE_NOT_LINKED, who)
    if account.status is AccountStatus.NEEDS_REAUTH:
        reason = account.last_error_code or "the stored sign-in was refused"
        params = {**who, "google_email": account.google_email, "reason": reason}
        return Note(Level.WARNING, ErrorCode.GOOGLE_REAUTH_NEEDED, params)
    if not tab.calendar_id:
        return Note(Level.WARNING, ErrorCode.GOOGLE_CALENDAR_NOT_SELECTED, who)
    if status is not None and status.blocked_until is not None and status.blocked_until > now:
        until = status.blocked_until.isoformat(timespec="minutes")
        return Note(Level.INFO, ErrorCode.SYNC_PAUSED_FOR_QUOTA, {**who, "until": until})
    return None
