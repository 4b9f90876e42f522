"""How fast sync runs may talk to Google: requests per minute and calls per batch, from env."""

from __future__ import annotations

import datetime as dt
import functools
import os

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from studiosync.errors import ConfigError, ErrorCode
from studiosync.providers.base import MAX_BATCH
from studiosync.sync.options import Pacing

LARGEST_BATCH = 100
"""Calls per batch when the quota leaves room: a Populate of 10,000 takes about 100 requests."""
BATCHES_PER_MINUTE = 24
"""At most 1/24 of a minute's quota in one batch (see ``GooglePacingSettings``)."""


class GooglePacingSettings(BaseSettings):
    """``STUDIOSYNC_GOOGLE_REQUESTS_PER_MINUTE`` and ``STUDIOSYNC_GOOGLE_BATCH_SIZE``.

    Google allows 600 requests a minute per user unless the Google Cloud project was granted
    more. The engine sends one batch at once and then keeps to the rest of the quota (the
    per-minute rate less one batch), so a batch takes at most 1/24 of the rate: under Google's
    600 a minute that is 25 calls and 575 calls a minute (96 % of the quota); with a larger
    quota, batches of 100 keep the number of requests down. A batch size given is used as is.
    """

    model_config = SettingsConfigDict(env_prefix="STUDIOSYNC_GOOGLE_", extra="ignore")

    requests_per_minute: int = Field(default=600, ge=2)
    batch_size: int | None = Field(default=None, ge=1, le=MAX_BATCH)
    # contacts (no notifications at Google) are read at most this often; a user is synced at
    # least every few hours, well within the 7-day life of a contacts sync token
    contacts_every_minutes: float = Field(default=60.0, ge=0, le=24 * 60)

    def pacing(self) -> Pacing:
        rate = self.requests_per_minute
        batch = self.batch_size or max(1, min(LARGEST_BATCH, rate // BATCHES_PER_MINUTE))
        every = dt.timedelta(minutes=self.contacts_every_minutes)
        return Pacing(requests_per_minute=rate, batch_size=batch, contacts_every=every)


def pacing_from_environment() -> Pacing:
    """The pacing the environment asks for; a value that cannot be used is a worded error."""
    wanted = tuple(os.environ.get(f"STUDIOSYNC_GOOGLE_{name}") for name in ENV_NAMES)
    return _pacing(wanted)


ENV_NAMES = ("REQUESTS_PER_MINUTE", "BATCH_SIZE", "CONTACTS_EVERY_MINUTES")


@functools.lru_cache(maxsize=8)
def _pacing(_env: tuple[str | None, ...]) -> Pacing:
    """Read once per set of values: a round of thousands of users asks for it each time."""
    try:
        return GooglePacingSettings().pacing()
    except ValidationError as error:
        names = ", ".join(
            f"STUDIOSYNC_GOOGLE_{str(problem['loc'][0]).upper()}" for problem in error.errors()
        )
        raise ConfigError(
            ErrorCode.SETTINGS_INVALID,
            reason=f"{names} must be a number (requests a minute ≥ 2, batch 1 to "
            f"{MAX_BATCH}, contacts every 0 to 1440 minutes)",
        ) from None
