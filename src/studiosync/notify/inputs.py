"""Neutral inputs of the sync emails: problems, round summaries and log lines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from studiosync.errors import ErrorCode

ProblemKey = tuple[ErrorCode, str | None]


class LogLevel(StrEnum):
    """How serious a log line or a problem is."""

    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def severity(self) -> int:
        """Higher is more serious."""
        return list(LogLevel).index(self)


@dataclass(frozen=True)
class Problem:
    """One kind of trouble in one processor round for one user.

    ``params`` fill the catalogue wording of ``code``; ``item`` names the appointment or event
    concerned when known; ``count`` is how many times it happened in the round.
    """

    code: ErrorCode
    params: Mapping[str, Any] = field(default_factory=dict)
    item: str | None = None
    count: int = 1
    level: LogLevel = LogLevel.ERROR

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("a problem happens at least once")

    @property
    def key(self) -> ProblemKey:
        """What makes two problems "the same" for repeat suppression."""
        return (self.code, self.item)


@dataclass(frozen=True)
class RoundSummary:
    """What one Calendar Sync Processor round did for one user."""

    started_at: datetime
    finished_at: datetime | None = None
    computer: str | None = None
    pushed: int = 0  # studio appointments sent to Google
    pulled: int = 0  # Google events brought into the studio
    updated: int = 0
    deleted: int = 0
    skipped: int = 0
    conflicts: int = 0

    def counts(self) -> tuple[tuple[str, int], ...]:
        """The counts with their labels, in the order emails show them."""
        return (
            ("Sent to Google", self.pushed),
            ("Brought in from Google", self.pulled),
            ("Updated", self.updated),
            ("Deleted", self.deleted),
            ("Skipped", self.skipped),
            ("Conflicts", self.conflicts),
        )


@dataclass(frozen=True)
class LogLine:
    """One line of a round's log."""

    at: datetime
    level: LogLevel
    message: str
    code: ErrorCode | None = None
    item: str | None = None


@dataclass(frozen=True)
class Changed:
    """One item a round sent to Google or brought back: what happened, and the item in words."""

    what: str
    item: str


@dataclass(frozen=True)
class RoundReport:
    """One user's round as the detailed sync log tells it.

    ``sentence`` says what the round did; ``changes`` lists the items sent and brought back
    (``more_changes`` counts those not listed); ``lines`` are the items skipped or refused and
    the problems, each naming its item.
    """

    started_at: datetime
    sentence: str
    finished_at: datetime | None = None
    computer: str | None = None
    changes: tuple[Changed, ...] = ()
    more_changes: int = 0
    lines: tuple[LogLine, ...] = ()
