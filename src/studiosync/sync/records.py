"""Plain records the engine works with: appointments, mappings, cursors, conflicts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from studiosync.providers.base import RemoteEvent


class Side(StrEnum):
    """One side of the sync; also where an appointment was first made (its origin)."""

    STUDIO = "studio"
    GOOGLE = "google"


class AppointmentStatus(StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class TimedSpan:
    """A timed appointment: timezone-aware start and end, shown in ``time_zone``."""

    start: dt.datetime
    end: dt.datetime
    time_zone: str


@dataclass(frozen=True)
class AllDaySpan:
    """An all-day appointment from ``start`` up to ``end`` (exclusive, as Google counts)."""

    start: dt.date
    end: dt.date
    time_zone: str


Span = TimedSpan | AllDaySpan


TITLE_KEPT = 200  # characters of a title kept to name an item in logs and emails


@dataclass(frozen=True)
class ItemName:
    """How a person recognises an item: its title and when it starts (a date when all day)."""

    title: str
    start: dt.datetime | dt.date | None = None

    @classmethod
    def of_span(cls, title: str, span: Span) -> ItemName:
        return cls(title[:TITLE_KEPT], span.start)

    @classmethod
    def of_event(cls, event: RemoteEvent) -> ItemName:
        """An event's name as Google holds it, even one that cannot be read as an appointment."""
        start = event.start
        when = None if start is None else (start.date_time or start.date)
        return cls(event.summary[:TITLE_KEPT], when)


@dataclass(frozen=True)
class ClientInfo:
    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class StudioAppointment:
    """One appointment of one user, as the studio hands it to the engine."""

    id: int
    version: int
    title: str
    type: str
    span: Span
    status: str = AppointmentStatus.CONFIRMED
    location: str = ""
    notes: str = ""
    client: ClientInfo | None = None
    resources: tuple[str, ...] = ()
    origin: Side = Side.STUDIO
    rooms: tuple[str, ...] = ()
    updated_at: dt.datetime | None = None
    privacy: str = "full"
    """What the user lets go to Google (``sync.privacy.Privacy``)."""

    @property
    def live(self) -> bool:
        return self.status != AppointmentStatus.CANCELLED


@dataclass(frozen=True)
class AppointmentDraft:
    """The fields a Google event sets on an appointment (new ones get type "Google")."""

    title: str
    span: Span
    status: str
    location: str
    notes: str


@dataclass(frozen=True)
class StudioChange:
    """One studio feed entry for the user: ``kind`` is insert, update or delete."""

    seq: int
    appointment_id: int
    kind: str


@dataclass(frozen=True)
class EventContent:
    """Everything that is kept equal on both sides: what an event shows."""

    summary: str
    description: str
    location: str
    span: Span
    status: str

    def _when(self) -> list[str]:
        span = self.span
        if isinstance(span, TimedSpan):
            return [
                span.start.astimezone(dt.UTC).isoformat(),
                span.end.astimezone(dt.UTC).isoformat(),
                span.time_zone,
            ]
        return [span.start.isoformat(), span.end.isoformat()]

    def fingerprint(self) -> str:
        """A stable hash of the content; instants compare in UTC, all-day ones by date only."""
        canonical = [self.summary, self.description, self.location, self._when(), self.status]
        text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def field_hashes(self) -> dict[str, str]:
        """A short stable hash of each field (title, time, location, notes, status)."""
        values: dict[str, object] = {
            "title": self.summary,
            "time": ["all-day" if isinstance(self.span, AllDaySpan) else "timed", *self._when()],
            "location": self.location,
            "notes": self.description,
            "status": self.status,
        }
        return {
            name: hashlib.sha256(
                json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
            ).hexdigest()[:32]
            for name, value in values.items()
        }

    def wording_fingerprint(self) -> str:
        """A stable hash of the words alone: summary, description and location."""
        text = json.dumps([self.summary, self.description, self.location], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def same_as(self, other: EventContent | None) -> bool:
        return other is not None and self.fingerprint() == other.fingerprint()


@dataclass(frozen=True)
class MappingEntry:
    """One appointment linked to one event of the user's calendar, as both last agreed.

    ``fields`` holds a hash of each field as both last agreed on it (``None`` for a link
    recorded before fields were kept: it is then judged by the whole content).
    """

    appointment_id: int
    event_id: str
    etag: str | None
    studio_version: int
    content_hash: str
    wording_hash: str
    origin: Side = Side.STUDIO
    fields: Mapping[str, str] | None = None

    @classmethod
    def agreed(
        cls,
        appointment_id: int,
        event_id: str,
        etag: str | None,
        studio_version: int,
        content: EventContent,
        origin: Side,
    ) -> MappingEntry:
        """The link after both sides were made to show ``content``."""
        return cls(
            appointment_id,
            event_id,
            etag,
            studio_version,
            content.fingerprint(),
            content.wording_fingerprint(),
            origin,
            content.field_hashes(),
        )


@dataclass(frozen=True)
class ContactLink:
    """A Google contact imported into (or matched with) a studio client."""

    resource_name: str
    client_id: int
    etag: str | None


@dataclass(frozen=True)
class ClientDraft:
    name: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]


@dataclass(frozen=True)
class SyncCursors:
    """Where one user's sync stands; saved only when a run step is fully done.

    ``feed_cursor`` is ``None`` before the first run (the run then starts at the feed's head:
    older appointments are for Populate). ``pending_*`` are items a run gave up on for now
    (transient errors); the next run looks at them again, so the cursors can move on.
    """

    feed_cursor: int | None = None
    sync_token: str | None = None
    contacts_token: str | None = None
    contacts_read_at: dt.datetime | None = None
    last_pull_at: dt.datetime | None = None
    blocked_until: dt.datetime | None = None
    populate_google_after: int | None = None
    populate_studio_after: str | None = None
    pending_appointments: frozenset[int] = frozenset()
    pending_events: frozenset[str] = frozenset()


class ConflictReason(StrEnum):
    BOTH_CHANGED = "both_changed"
    STUDIO_OWNS_FIELD = "studio_owns_field"
    FOUND_UNLINKED = "found_unlinked"


@dataclass(frozen=True)
class ConflictRecord:
    """A losing version, kept in full: nothing that loses a conflict is dropped.

    ``losing_content`` is ``None`` when the losing change was a deletion. ``agreed`` is the link
    as both sides last agreed on it before the conflict (``None`` when there was none).
    ``fields`` names the fields that lost (empty: the whole item, e.g. a deletion).
    """

    appointment_id: int | None
    event_id: str | None
    reason: ConflictReason
    winner: Side
    losing_content: EventContent | None
    winning_content: EventContent | None
    losing_appointment: StudioAppointment | None = None
    losing_event: RemoteEvent | None = None
    agreed: MappingEntry | None = None
    fields: tuple[str, ...] = ()

    def _losing_version(self) -> str:
        """Which version lost: an event by its etag, an appointment by its version.

        A deletion leaves no version of its own; it is told apart by what both sides agreed on
        before it, so the same appointment deleted again after a new agreement is a new conflict.
        """
        if self.losing_event is not None and self.losing_event.etag:
            return f"event {self.losing_event.etag}"
        if self.losing_appointment is not None:
            return f"appointment {self.losing_appointment.version}"
        agreed = self.agreed
        if agreed is None:
            return "unlinked"
        return f"agreed {agreed.etag} {agreed.studio_version} {agreed.content_hash}"

    @property
    def key(self) -> str:
        """Same losing version, same key: a retried run does not log it twice.

        A later conflict about the same pair has a new losing version, so it gets its own key
        even when the losing content happens to be the same as before.
        """
        losing = self.losing_content.fingerprint() if self.losing_content else "deleted"
        parts = [
            self.appointment_id,
            self.event_id,
            self.reason.value,
            self.winner.value,
            self._losing_version(),
            losing,
            *self.fields,
        ]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()
