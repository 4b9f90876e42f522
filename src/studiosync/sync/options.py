"""One user's sync options (the Google tab) and the studio-wide rules the engine follows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from studiosync.errors import ErrorCode, InputError
from studiosync.providers.base import MAX_BATCH
from studiosync.sync.compose import DEFAULT_TEMPLATE
from studiosync.sync.fields import FieldRules
from studiosync.sync.series import SeriesLimits

STUDIO_TAG = re.compile(r"^[0-9a-f]{1,16}$")


@dataclass(frozen=True)
class BulkDeleteGuard:
    """Stop when one run would delete more than ``ratio`` of the synced items (and ≥ minimum)."""

    ratio: float = 0.5
    minimum: int = 20

    def trips(self, deletes: int, mapped: int) -> bool:
        return deletes >= self.minimum and deletes > self.ratio * mapped


@dataclass(frozen=True)
class Pacing:
    """How fast and how stubbornly the engine talks to the provider.

    Google counts every call inside a batch against ``requests_per_minute``. The limiter lets
    one batch go at once and refills at the rest of the quota, so no 60-second window ever sees
    more than ``requests_per_minute`` calls; a smaller batch therefore means more throughput
    (100-call batches: 500 calls a minute under a 600 quota). Batches above half the quota are
    cut down to half of it.
    """

    requests_per_minute: int = 600
    batch_size: int = 100
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 64.0
    quota_pause: dt.timedelta = dt.timedelta(hours=6)
    max_replans: int = 3
    # contacts have no notifications: read at most this often (0: at every run), however often
    # the calendar is synced
    contacts_every: dt.timedelta = dt.timedelta(0)

    @property
    def burst(self) -> int:
        """Calls sent at once: one batch, at most half the per-minute quota."""
        return max(1, min(self.batch_size, self.requests_per_minute // 2))

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= MAX_BATCH:
            raise InputError(
                ErrorCode.INVALID_VALUE,
                field="batch_size",
                value=self.batch_size,
                reason=f"a batch holds 1 to {MAX_BATCH} calls",
            )
        if self.requests_per_minute < 2 or self.max_attempts < 1:
            raise InputError(
                ErrorCode.INVALID_VALUE,
                field="pacing",
                value=self.requests_per_minute,
                reason="rates and attempts must be positive",
            )


@dataclass(frozen=True)
class SyncOptions:
    """Everything one run for one user needs to know about what it may do.

    ``studio_tag`` (1–16 lowercase hex digits) names this studio installation inside the event
    ids and private properties it writes, so two studios writing to one calendar never mix.
    """

    user_id: int
    calendar_id: str
    studio_tag: str
    two_way: bool = False
    download_tentative: bool = False
    populate_google: bool = False
    populate_studio: bool = False
    populate_since: dt.date | None = None
    import_contacts: bool = False
    contacts_group_id: int | None = None
    fields: FieldRules = field(default_factory=FieldRules)
    summary_template: str = DEFAULT_TEMPLATE
    bulk_delete: BulkDeleteGuard = field(default_factory=BulkDeleteGuard)
    confirm_bulk_delete: bool = False
    dry_run: bool = False
    pacing: Pacing = field(default_factory=Pacing)
    populate_page_size: int = 500
    series: SeriesLimits = field(default_factory=SeriesLimits)

    def __post_init__(self) -> None:
        if not STUDIO_TAG.match(self.studio_tag):
            raise InputError(
                ErrorCode.INVALID_VALUE,
                field="studio_tag",
                value=self.studio_tag,
                reason="it must be 1 to 16 lowercase hexadecimal digits",
            )

    @property
    def effective_fields(self) -> FieldRules:
        """Without two-way sync nothing comes back from Google: the studio owns every field."""
        return self.fields if self.two_way else FieldRules.studio_only()
