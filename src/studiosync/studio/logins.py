"""Login records kept in the database: open login sessions and counters of failed logins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from studiosync.studio.models import Base, UTCDateTime


class LoginSession(Base):
    """One open login: a browser's or an API token's, known by a digest of its secret."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class LoginFailures(Base):
    """Failed logins in a row for one client address or one login, and until when to wait."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


def end_sessions(session: Session, user_id: int) -> None:
    """Log a user out everywhere: every browser session and API token they hold stops working."""
    session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))
