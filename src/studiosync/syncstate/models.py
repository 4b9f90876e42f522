"""Tables of the sync engine's memory: mappings, cursors, conflicts, contact links, sources."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from studiosync.studio.models import Base, UTCDateTime, utcnow


def _user_fk() -> ForeignKey:
    return ForeignKey("users.id", ondelete="CASCADE")


class SyncMapping(Base):
    """One appointment linked to one event of the user's calendar, as both last agreed."""

    __tablename__ = "sync_mappings"
    __table_args__ = (UniqueConstraint("user_id", "event_id"),)

    user_id: Mapped[int] = mapped_column(_user_fk(), primary_key=True)
    appointment_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(1024))
    etag: Mapped[str | None] = mapped_column(String(255))
    studio_version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    wording_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(10))
    field_hashes: Mapped[dict[str, str] | None] = mapped_column(JSON)


class SyncCursor(Base):
    """Where one user's sync stands (feed cursor, Google sync tokens, populate progress)."""

    __tablename__ = "sync_cursors"

    user_id: Mapped[int] = mapped_column(_user_fk(), primary_key=True)
    feed_cursor: Mapped[int | None] = mapped_column(Integer)
    sync_token: Mapped[str | None] = mapped_column(Text)
    contacts_token: Mapped[str | None] = mapped_column(Text)
    contacts_read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_pull_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    populate_google_after: Mapped[int | None] = mapped_column(Integer)
    populate_studio_after: Mapped[str | None] = mapped_column(Text)
    pending_appointments: Mapped[list[int]] = mapped_column(JSON, default=list)
    pending_events: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SyncConflict(Base):
    """A version that lost a conflict, kept in full (the conflict log)."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    key: Mapped[str] = mapped_column(String(400))
    appointment_id: Mapped[int | None] = mapped_column(Integer)
    event_id: Mapped[str | None] = mapped_column(String(1024))
    reason: Mapped[str] = mapped_column(String(40))
    winner: Mapped[str] = mapped_column(String(10))
    losing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    winning: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    fields: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContactLinkRow(Base):
    """A Google contact imported into (or matched with) a studio client."""

    __tablename__ = "sync_contact_links"

    user_id: Mapped[int] = mapped_column(_user_fk(), primary_key=True)
    resource_name: Mapped[str] = mapped_column(String(255), primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    etag: Mapped[str | None] = mapped_column(String(255))


class EventSource(Base):
    """The Google event a pulled appointment was made from, written with the appointment."""

    __tablename__ = "sync_event_sources"

    user_id: Mapped[int] = mapped_column(_user_fk(), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True
    )


class QuarantinedEvent(Base):
    """A Google event put aside: the studio could not take it (or a series it cut short).

    ``stamp`` is the event's etag (or update time) when it was put aside: the event is tried
    again only once Google shows another one. ``starts`` is its start as ISO text, for wording.
    """

    __tablename__ = "sync_quarantine"

    user_id: Mapped[int] = mapped_column(_user_fk(), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(1024), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    starts: Mapped[str | None] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    stamp: Mapped[str | None] = mapped_column(String(255))
    first_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
