"""Login sessions on the server: opened at login, checked and kept alive on use, ended on logout."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from studiosync.settings import Settings
from studiosync.studio.logins import LoginSession

BROWSER = "browser"
API = "api"
TOUCH_EVERY = dt.timedelta(minutes=1)  # how stale "last used" may get, to spare the database


@dataclass(frozen=True)
class SessionPolicy:
    """How long a login lasts: unused (idle) and at most (absolute); API tokens have their own."""

    idle: dt.timedelta
    absolute: dt.timedelta
    api_lifetime: dt.timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionPolicy:
        return cls(
            idle=dt.timedelta(hours=settings.session_idle_hours),
            absolute=dt.timedelta(days=settings.session_max_days),
            api_lifetime=dt.timedelta(hours=settings.api_token_hours),
        )

    def lifetime(self, kind: str) -> dt.timedelta:
        return self.api_lifetime if kind == API else self.absolute


class SessionEndedError(Exception):
    """The login is over: ``reason`` says why; ``notice`` tells a browser user it timed out."""

    def __init__(self, reason: str, notice: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.notice = notice


def _digest(secret: str) -> str:
    """Only a digest of the secret is stored: the table alone cannot be used to log in."""
    return hashlib.sha256(secret.encode()).hexdigest()


def hours_in_words(span: dt.timedelta) -> str:
    hours = span.total_seconds() / 3600
    if hours >= 48 and hours % 24 == 0:
        return f"{int(hours // 24)} days"
    if hours == int(hours):
        return f"{int(hours)} hour{'' if hours == 1 else 's'}"
    return f"{round(span.total_seconds() / 60)} minutes"


def open_session(db: Session, user_id: int, kind: str, now: dt.datetime) -> str:
    """A new login for the user; the secret returned goes in the cookie or the token."""
    secret = secrets.token_urlsafe(32)
    db.add(
        LoginSession(
            id=_digest(secret), user_id=user_id, kind=kind, created_at=now, last_seen_at=now
        )
    )
    db.flush()
    return secret


def check_session(
    db: Session, secret: object, user_id: int, kind: str, now: dt.datetime, policy: SessionPolicy
) -> None:
    """Refuse a login that was ended, unused too long or open too long; else note it was used."""
    row = db.get(LoginSession, _digest(secret)) if isinstance(secret, str) and secret else None
    if row is None or row.user_id != user_id or row.kind != kind:
        raise SessionEndedError("it was ended (logged out, new password or user deactivated)")
    if now - row.last_seen_at > policy.idle:
        idle = hours_in_words(policy.idle)
        raise SessionEndedError(
            f"it was not used for {idle}",
            f"You were logged out after {idle} without activity. Please log in again.",
        )
    lifetime = hours_in_words(policy.lifetime(kind))
    if now - row.created_at > policy.lifetime(kind):
        raise SessionEndedError(
            f"it is older than {lifetime}",
            f"You were logged out: a login lasts at most {lifetime}. Please log in again.",
        )
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now


def close_session(db: Session, secret: object) -> None:
    """Log out: this session's secret stops working at once."""
    if isinstance(secret, str) and secret:
        db.execute(delete(LoginSession).where(LoginSession.id == _digest(secret)))


def purge_ended(db: Session, now: dt.datetime, policy: SessionPolicy) -> None:
    """Forget logins that can no longer be used (run at each login; cheap with the index)."""
    longest = max(policy.absolute, policy.api_lifetime)
    db.execute(
        delete(LoginSession).where(
            or_(
                LoginSession.last_seen_at < now - policy.idle,
                LoginSession.created_at < now - longest,
            )
        )
    )
