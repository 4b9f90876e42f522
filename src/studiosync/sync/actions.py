"""The steps a sync plan is made of; the executor carries them out one by one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from studiosync.errors import ErrorCode
from studiosync.providers.base import RemoteEvent
from studiosync.sync.records import (
    AppointmentDraft,
    ConflictRecord,
    EventContent,
    ItemName,
    MappingEntry,
    StudioAppointment,
)


@dataclass(frozen=True)
class PushInsert:
    """Create the event for an appointment, with the id derived from it."""

    appointment: StudioAppointment
    event_id: str
    content: EventContent


@dataclass(frozen=True)
class PushUpdate:
    """Rewrite the appointment's event, on condition that it is still at ``etag``."""

    appointment: StudioAppointment
    event_id: str
    etag: str | None
    content: EventContent


@dataclass(frozen=True)
class PushDelete:
    """Delete the event of an appointment that is gone for this user."""

    appointment_id: int
    event_id: str
    etag: str | None


@dataclass(frozen=True)
class PullCreate:
    """Make a new appointment for this user from a Google event (see ``mapping.import_key``)."""

    event: RemoteEvent
    content: EventContent
    draft: AppointmentDraft
    import_key: str


@dataclass(frozen=True)
class PullUpdate:
    """Change an appointment as its event was changed in Google."""

    appointment: StudioAppointment
    event: RemoteEvent
    content: EventContent
    draft: AppointmentDraft


@dataclass(frozen=True)
class PullDelete:
    """Remove the appointment whose event was deleted in Google."""

    appointment: StudioAppointment
    event_id: str


@dataclass(frozen=True)
class Link:
    """Both sides already agree: only remember it (new version or etag, or a found event)."""

    entry: MappingEntry
    adopted: bool = False


@dataclass(frozen=True)
class Unlink:
    """Both sides are gone: forget the pair."""

    appointment_id: int
    event_id: str


Push = PushInsert | PushUpdate | PushDelete
Pull = PullCreate | PullUpdate | PullDelete


@dataclass(frozen=True)
class ResolveConflict:
    """Keep the losing version in the conflict log, then carry out the winner's step."""

    record: ConflictRecord
    then: Push | Pull | None


@dataclass(frozen=True)
class Skip:
    """Leave an item alone and say why in the run log."""

    code: ErrorCode
    event_id: str | None = None
    appointment_id: int | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    tentative: bool = False
    about: ItemName | None = None


Action = Push | Pull | Link | Unlink | ResolveConflict | Skip


def deletes_on_google(action: Action) -> bool:
    step = action.then if isinstance(action, ResolveConflict) else action
    return isinstance(step, PushDelete)


def deletes_in_studio(action: Action) -> bool:
    step = action.then if isinstance(action, ResolveConflict) else action
    return isinstance(step, PullDelete)
