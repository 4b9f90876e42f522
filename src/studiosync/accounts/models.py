"""Tables of users' connections to calendar services, their sign-ins, and OAuth links pending.

A *connection* is a user's one link to a calendar service: its kind (Google, CalDAV) and the
account it signs in as. The sign-in itself is kept by kind: ``google_accounts`` holds Google's
OAuth tokens, ``dav_accounts`` a CalDAV server's address, user name and password. The sync state
(mappings, cursors, quarantine, run records) is keyed by the user id, which is the connection's
key too: one connection per user, and the state is forgotten when the connection changes account.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from studiosync.studio.models import Base, User, UTCDateTime, enum_column, utcnow


class AccountStatus(enum.StrEnum):
    LINKED = "linked"
    NEEDS_REAUTH = "needs_reauth"


class ConnectionKind(enum.StrEnum):
    GOOGLE = "google"
    CALDAV = "caldav"


class Connection(Base):
    """A user's one link to a calendar service; no two users share one account of a service.

    ``account`` names the account as the service knows it: the Google address, or the CalDAV
    principal's URL (the same user name on two servers is two accounts).
    """

    __tablename__ = "connections"
    __table_args__ = (UniqueConstraint("kind", "account"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[ConnectionKind] = mapped_column(enum_column(ConnectionKind, "connection_kind"))
    account: Mapped[str] = mapped_column(String(1024))
    linked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DavAccount(Base):
    """A CalDAV/CardDAV sign-in: the server as typed, where discovery found the account, and
    the user name and password (encrypted; for iCloud an app-specific password)."""

    __tablename__ = "dav_accounts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    server_url: Mapped[str] = mapped_column(String(1024))
    username: Mapped[str] = mapped_column(String(255))
    password_encrypted: Mapped[str] = mapped_column(Text)
    principal_url: Mapped[str] = mapped_column(String(1024))
    calendar_home: Mapped[str] = mapped_column(String(1024))
    addressbook_home: Mapped[str | None] = mapped_column(String(1024))
    status: Mapped[AccountStatus] = mapped_column(
        enum_column(AccountStatus, "account_status"), default=AccountStatus.LINKED
    )
    last_error_code: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class GoogleAccount(Base):
    """The one Google account a user linked; no two users may link the same account."""

    __tablename__ = "google_accounts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    google_email: Mapped[str] = mapped_column(String(255), unique=True)
    refresh_token_encrypted: Mapped[str] = mapped_column(Text)
    access_token_encrypted: Mapped[str | None] = mapped_column(Text)
    access_token_expiry: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[AccountStatus] = mapped_column(
        enum_column(AccountStatus, "account_status"), default=AccountStatus.LINKED
    )
    linked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_refreshed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error_code: Mapped[str | None] = mapped_column(String(64))
    token_lifetimes: Mapped[list[int] | None] = mapped_column(JSON)

    user: Mapped[User] = relationship()


class PendingLink(Base):
    """An authorization request sent to Google: its state, PKCE verifier and return address."""

    __tablename__ = "google_pending_links"

    state: Mapped[str] = mapped_column(String(128), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_verifier_encrypted: Mapped[str] = mapped_column(Text)
    redirect_uri: Mapped[str] = mapped_column(String(1024))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PushChannel(Base):
    """A Google push channel watching a user's calendar: ids, secret token, expiry, messages.

    A user has at most one live channel; a renewed one replaces the row. ``confirmed_at`` is
    when Google's first message ("sync") arrived, which proves it can reach the studio.
    """

    __tablename__ = "google_push_channels"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[str] = mapped_column(String(64), unique=True)
    resource_id: Mapped[str] = mapped_column(String(255))
    token_encrypted: Mapped[str] = mapped_column(Text)
    calendar_id: Mapped[str] = mapped_column(String(1024))
    address: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_message_number: Mapped[int | None] = mapped_column(Integer)
    last_message_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PushProblem(Base):
    """Why a user has no push channel just now (Google refused it, or it could not be stopped)."""

    __tablename__ = "google_push_problems"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
