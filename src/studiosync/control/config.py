"""Control Center settings from STUDIOSYNC_* variables: syncer, concurrency, timing, retention."""

from __future__ import annotations

import datetime as dt

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SYNCER = "studiosync.syncstate.batch:SYNCER"


class ControlSettings(BaseSettings):
    """How the processor and workers behave; every value has a sensible default."""

    model_config = SettingsConfigDict(env_prefix="STUDIOSYNC_", extra="ignore")

    syncer: str = DEFAULT_SYNCER
    processor_concurrency: int = Field(default=4, ge=1, le=64)
    # More than 1: the embedded processor syncs users in that many worker processes (each with
    # processor_concurrency threads), so a round uses every core.
    processor_processes: int = Field(default=1, ge=1, le=64)
    processor_poll_seconds: float = Field(default=5.0, gt=0)
    round_timeout_seconds: float = Field(default=3600.0, gt=0)
    log_retention_days: int = Field(default=30, ge=1)
    # A round's or user's lock not heard from for this long is taken over (its holder died).
    lock_stale_seconds: float = Field(default=90.0, gt=0, le=3600)
    # Syncs asked for between rounds (bookings, Google notifications, "Sync now") are looked
    # for this often.
    request_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    # Google push: the studio's public HTTPS address (none: every user is polled, as before),
    # how long a channel lives, and how often a user with a working channel is still checked.
    public_url: str | None = None
    push_channel_hours: float = Field(default=168.0, gt=1, le=720)
    push_reconcile_hours: float = Field(default=6.0, gt=0, le=168)

    @property
    def push_reconcile_every(self) -> dt.timedelta:
        return dt.timedelta(hours=self.push_reconcile_hours)

    @property
    def lock_stale_after(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.lock_stale_seconds)
