"""Control Center tables: jobs, computers, locks, rounds, per-user runs, logs, emails sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from studiosync.studio.models import Base, UTCDateTime, utcnow

GOOGLE_SYNC_JOB = "google-sync"
ANY_COMPUTER = "any"


class Job(Base):
    """A Control Center job: enabled, schedule, the computer that runs it, last and next run."""

    __tablename__ = "control_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    schedule: Mapped[str] = mapped_column(String(200))
    computer: Mapped[str | None] = mapped_column(String(255))
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    next_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Computer(Base):
    """A computer that checked in: when it was last seen and whether it could reach Google."""

    __tablename__ = "control_computers"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[str] = mapped_column(String(40))
    google_reachable: Mapped[bool] = mapped_column(Boolean, default=False)
    google_error: Mapped[str | None] = mapped_column(String(500))


class Lock(Base):
    """A named lease (the job's round, one user's sync, the daily prune) with owner and expiry.

    The owner reads "computer/process id/random part"; locks held while working (the round's,
    a user's) also carry a heartbeat, refreshed while held, so a dead holder is found out.
    """

    __tablename__ = "control_locks"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(200))
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    acquired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Run(Base):
    """One round of a job: where and how it ran, its outcome and how long it took."""

    __tablename__ = "control_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("control_jobs.id", ondelete="CASCADE"))
    computer: Mapped[str] = mapped_column(String(255))
    mode: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    users_ok: Mapped[int] = mapped_column(Integer, default=0)
    users_warning: Mapped[int] = mapped_column(Integer, default=0)
    users_error: Mapped[int] = mapped_column(Integer, default=0)
    users_skipped: Mapped[int] = mapped_column(Integer, default=0)


class UserRun(Base):
    """One user inside one round: queued, running, done (ok, warning, error) or skipped."""

    __tablename__ = "control_user_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("control_runs.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(64))
    worker: Mapped[str | None] = mapped_column(String(255))
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class LogLine(Base):
    """One line of a round's log: level, code, the data to word it, the item concerned."""

    __tablename__ = "control_log_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("control_runs.id", ondelete="CASCADE"), index=True
    )
    user_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("control_user_runs.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    level: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    appointment_id: Mapped[int | None] = mapped_column(Integer)
    event_id: Mapped[str | None] = mapped_column(String(1024))


class EmailedProblem(Base):
    """A problem emailed to a user, remembered so it is not emailed again within 24 hours."""

    __tablename__ = "control_emailed_problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    item: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class UserSyncStatus(Base):
    """Where one user's sync stands for the processor: paused until, awaiting a confirmation."""

    __tablename__ = "control_user_status"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    needs_bulk_delete_confirmation: Mapped[bool] = mapped_column(Boolean, default=False)
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[str | None] = mapped_column(String(20))
    last_error_code: Mapped[str | None] = mapped_column(String(64))


class SyncDigest(Base):
    """One user's daily detailed-log digest for one day: claimed by one processor, then sent.

    The unique (user, day) row is what makes the digest go out once even with several
    processors; ``status`` is claimed, sent, quiet (nothing happened that day) or failed.
    """

    __tablename__ = "control_sync_digests"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    claimed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class SyncRequest(Base):
    """A user to sync soon, outside the rounds: a booking, a Google notification, "Sync now".

    One row per user: requests made while one is waiting fold into it (the earliest time and
    the first reason stay). The processor takes rows as they come, within seconds.
    """

    __tablename__ = "control_sync_requests"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(20))
