"""What one user's run did: counts, a log of coded entries, and what the caller must do next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from studiosync.errors import ErrorCode
from studiosync.sync.records import ItemName

if TYPE_CHECKING:
    from studiosync.sync.plan import Plan

__all__ = ["Change", "Counts", "ItemChange", "ItemName", "Level", "LogEntry", "RunResult"]


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Change(StrEnum):
    """What a run did to one item."""

    SENT_NEW = "sent_new"
    SENT_CHANGED = "sent_changed"
    SENT_DELETED = "sent_deleted"
    BROUGHT_NEW = "brought_new"
    BROUGHT_CHANGED = "brought_changed"
    BROUGHT_DELETED = "brought_deleted"


@dataclass(frozen=True)
class ItemChange:
    """One item a run sent to Google or brought back into the studio."""

    change: Change
    about: ItemName | None = None
    appointment_id: int | None = None
    event_id: str | None = None


@dataclass(frozen=True)
class LogEntry:
    """One line of the run log: a stable code, the item concerned and the data to word it."""

    level: Level
    code: ErrorCode
    appointment_id: int | None = None
    event_id: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    about: ItemName | None = None


@dataclass
class Counts:
    pushed_new: int = 0
    pushed_updated: int = 0
    pushed_deleted: int = 0
    pulled_new: int = 0
    pulled_updated: int = 0
    pulled_deleted: int = 0
    skipped: int = 0
    skipped_tentative: int = 0
    conflicts: int = 0
    contacts_new: int = 0
    contacts_updated: int = 0

    @property
    def pushed(self) -> int:
        """New events made in Google."""
        return self.pushed_new

    @property
    def pulled(self) -> int:
        """New appointments made in the studio."""
        return self.pulled_new

    @property
    def updated(self) -> int:
        return self.pushed_updated + self.pulled_updated

    @property
    def deleted(self) -> int:
        return self.pushed_deleted + self.pulled_deleted


@dataclass
class RunResult:
    """The outcome of ``sync_user`` for one user.

    ``stopped`` holds the code that ended the run early (nothing after it was done; cursors
    did not move). ``clear_populate_google`` / ``clear_populate_studio`` tell the caller to
    uncheck those options: the back-fill is complete. In a dry run ``plan`` is all there is.
    """

    user_id: int
    dry_run: bool = False
    counts: Counts = field(default_factory=Counts)
    log: list[LogEntry] = field(default_factory=list)
    changes: list[ItemChange] = field(default_factory=list)
    plan: Plan | None = None
    stopped: ErrorCode | None = None
    blocked_until: dt.datetime | None = None
    needs_bulk_delete_confirmation: bool = False
    full_resync: bool = False
    clear_populate_google: bool = False
    clear_populate_studio: bool = False

    def add(
        self,
        level: Level,
        code: ErrorCode,
        *,
        appointment_id: int | None = None,
        event_id: str | None = None,
        about: ItemName | None = None,
        **params: object,
    ) -> None:
        """Log one entry; the item ids are also put in ``params`` for the catalogue wording.

        ``about`` names the item for people (title and start) when the engine knows it.
        """
        named = {"appointment_id": appointment_id, "event_id": event_id}
        params.update({key: value for key, value in named.items() if value is not None})
        self.log.append(LogEntry(level, code, appointment_id, event_id, params, about))

    def changed(
        self,
        change: Change,
        about: ItemName | None = None,
        *,
        appointment_id: int | None = None,
        event_id: str | None = None,
    ) -> None:
        """Note one item sent to Google or brought into the studio (the counts are kept apart)."""
        self.changes.append(ItemChange(change, about, appointment_id, event_id))

    def stop(self, code: ErrorCode, *, level: Level = Level.ERROR, **params: object) -> None:
        """The run ends here; a stop that resumes by itself (a quota pause) is a warning."""
        self.stopped = code
        self.log.append(LogEntry(level, code, params=params))

    @property
    def warnings(self) -> list[LogEntry]:
        return [entry for entry in self.log if entry.level is Level.WARNING]

    @property
    def errors(self) -> list[LogEntry]:
        return [entry for entry in self.log if entry.level is Level.ERROR]

    @property
    def ok(self) -> bool:
        return self.stopped is None and not self.errors
