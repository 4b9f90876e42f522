"""The planner: a pure function from what changed on both sides to the steps that reconcile them.

Every appointment/event pair is decided on its own. For a linked pair (one with a mapping) each
side is SAME, CHANGED or GONE compared with what both last agreed on (the mapping's studio
version, etag and content hash), and the table below says what happens:

    studio \\ Google   SAME              CHANGED                     GONE
    SAME              (remember only)    take Google's fields *      delete appointment *
    CHANGED           push the change    field by field (merge)      the studio's edit stays
    GONE              delete the event   Google's edit stays **      forget the pair

    * only with two-way sync; otherwise Google-side changes are left alone.
    ** when Google changed a field it may change; otherwise the deletion stays.

"Gone" in the studio means deleted, cancelled or no longer assigned to this user. When the
event changed, each field is settled on its own (``merge``): a field changed on one side only
is copied to the other within the field's owner rule, a field changed on both sides is settled
by that rule, and every losing value goes to the conflict log. Between an edit and a deletion
the edit stays (the deletion is logged). An event that cannot be read is skipped and named; if
the studio changed meanwhile, the studio version is written over it.

For an unlinked pair: a live appointment gets a new event (or, when Google already holds the
event we made for it — a run stopped before recording it, or a full resync — that event is
linked instead, its fields merged as if nothing had been agreed); an event of ours whose
appointment is gone is deleted; any other event becomes a new appointment when two-way sync is
on, unless it is tentative (and tentative ones are not wanted), declined, not a regular event,
unreadable, or not wanted by this run's import rule.

Finally the bulk-delete guard looks at the whole plan: too many deletions on one side stop it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from studiosync.errors import BadRemoteDataError, ErrorCode
from studiosync.providers.base import RemoteEvent
from studiosync.sync import mapping as m
from studiosync.sync.actions import (
    Action,
    Link,
    PullCreate,
    PullDelete,
    PullUpdate,
    Push,
    PushDelete,
    PushInsert,
    PushUpdate,
    ResolveConflict,
    Skip,
    Unlink,
    deletes_in_studio,
    deletes_on_google,
)
from studiosync.sync.compose import DEFAULT_TEMPLATE
from studiosync.sync.fields import FieldRules
from studiosync.sync.merge import google_changed_accepted, merge
from studiosync.sync.options import BulkDeleteGuard
from studiosync.sync.records import (
    ConflictReason,
    ConflictRecord,
    EventContent,
    ItemName,
    MappingEntry,
    Side,
    StudioAppointment,
)


class State(enum.Enum):
    SAME = "same"
    CHANGED = "changed"
    GONE = "gone"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Pair:
    """One appointment and/or event to decide about.

    ``appointment`` is its current state for this user (``None``: gone or never existed).
    ``remote_seen`` says whether Google told us about the event in this run; when it did,
    ``remote`` is the event (``None`` or a cancelled stub: deleted).
    """

    appointment_id: int | None
    appointment: StudioAppointment | None
    mapping: MappingEntry | None
    remote: RemoteEvent | None = None
    remote_seen: bool = False


@dataclass(frozen=True)
class Rules:
    """What this run may do for this user."""

    user_id: int
    studio_tag: str
    two_way: bool
    download_tentative: bool
    fields: FieldRules = field(default_factory=FieldRules)
    template: str = DEFAULT_TEMPLATE
    import_unlinked: Callable[[RemoteEvent], bool] = lambda _event: True


@dataclass(frozen=True)
class BulkDeleteStop:
    side: Side
    deletes: int
    mapped: int


@dataclass(frozen=True)
class Plan:
    actions: Sequence[Action]
    stop: BulkDeleteStop | None = None


def plan_sync(
    pairs: Iterable[Pair],
    rules: Rules,
    *,
    mapped: int | Callable[[], int],
    guard: BulkDeleteGuard,
    deletes_confirmed: bool,
) -> Plan:
    """Decide every pair, then apply the bulk-delete guard to the whole plan.

    ``mapped`` (how many links the user has) may be a function: it is asked only when a plan
    deletes enough for the guard to matter, so a run of a few changes never counts every link.
    """
    actions = [action for pair in pairs for action in decide(pair, rules)]
    if not deletes_confirmed:
        for side, count in (
            (Side.GOOGLE, sum(map(deletes_on_google, actions))),
            (Side.STUDIO, sum(map(deletes_in_studio, actions))),
        ):
            if count < guard.minimum:
                continue
            links = mapped() if callable(mapped) else mapped
            if guard.trips(count, links):
                return Plan(actions, BulkDeleteStop(side, count, links))
    return Plan(actions)


def decide(pair: Pair, rules: Rules) -> list[Action]:
    """The steps for one pair (see the table in the module docstring)."""
    if pair.mapping is None:
        return _unlinked(pair, rules)
    return _linked(pair, pair.mapping, rules)


# -- linked pairs --------------------------------------------------------------------------------


def _studio_state(pair: Pair, link: MappingEntry, rules: Rules) -> State:
    appointment = pair.appointment
    if appointment is None or not appointment.live:
        return State.GONE
    if appointment.version == link.studio_version:
        return State.SAME
    same_content = m.project(appointment, rules.template).fingerprint() == link.content_hash
    return State.SAME if same_content else State.CHANGED


def _remote_state(pair: Pair, link: MappingEntry) -> State:
    event = pair.remote
    if not pair.remote_seen:
        return State.SAME
    if event is None or event.cancelled:
        return State.GONE
    if event.etag is not None and event.etag == link.etag:
        return State.SAME
    try:
        content = m.read_event(event)
    except BadRemoteDataError:
        return State.UNREADABLE
    return State.SAME if content.fingerprint() == link.content_hash else State.CHANGED


def _linked(pair: Pair, link: MappingEntry, rules: Rules) -> list[Action]:
    studio, remote = _studio_state(pair, link, rules), _remote_state(pair, link)
    appointment, event = pair.appointment, pair.remote
    if remote is State.UNREADABLE:
        return _over_unreadable(pair, link, studio, rules)
    if studio is State.SAME and remote is State.SAME:
        return _remember(pair, link)
    if studio is State.GONE and remote is State.GONE:
        return [Unlink(link.appointment_id, link.event_id)]
    if remote is State.SAME:  # the freshest etag we know: a re-read one may be newer
        etag = event.etag if event is not None and event.etag else link.etag
        if studio is State.CHANGED and appointment is not None:
            return [_push_update(appointment, link.event_id, etag, rules)]
        return [PushDelete(link.appointment_id, link.event_id, etag)]
    if studio is State.SAME and not rules.two_way:
        return []
    if remote is State.GONE:
        assert appointment is not None
        if studio is State.SAME:
            return [PullDelete(appointment, link.event_id)]
        return _deleted_in_google(appointment, link, rules)
    assert event is not None
    if studio is State.GONE:
        return _deleted_in_studio(pair, event, link, rules)
    assert appointment is not None
    return _merged(appointment, event, link, rules)


def _remember(pair: Pair, link: MappingEntry) -> list[Action]:
    """Nothing to sync; record a new version or etag that carries no change."""
    version = pair.appointment.version if pair.appointment else link.studio_version
    etag = pair.remote.etag if pair.remote_seen and pair.remote else link.etag
    if (version, etag) == (link.studio_version, link.etag):
        return []
    return [Link(replace(link, etag=etag, studio_version=version))]


def _over_unreadable(pair: Pair, link: MappingEntry, studio: State, rules: Rules) -> list[Action]:
    """Google holds something we cannot read: keep out of it unless the studio changed."""
    event, appointment = pair.remote, pair.appointment
    assert event is not None
    skip = _skip_bad(event)
    if studio is State.SAME:
        return [skip]
    then: Push
    if studio is State.CHANGED and appointment is not None:
        then = _push_update(appointment, link.event_id, event.etag, rules)
        winning: EventContent | None = then.content
    else:
        then, winning = PushDelete(link.appointment_id, link.event_id, event.etag), None
    record = ConflictRecord(
        link.appointment_id,
        link.event_id,
        ConflictReason.BOTH_CHANGED,
        Side.STUDIO,
        losing_content=None,
        winning_content=winning,
        losing_event=event,
        agreed=link,
    )
    return [skip, ResolveConflict(record, then)]


def _push_update(
    appointment: StudioAppointment, event_id: str, etag: str | None, rules: Rules
) -> PushUpdate:
    return PushUpdate(appointment, event_id, etag, m.project(appointment, rules.template))


def _merged(
    appointment: StudioAppointment,
    event: RemoteEvent,
    link: MappingEntry | None,
    rules: Rules,
    reason: ConflictReason = ConflictReason.BOTH_CHANGED,
) -> list[Action]:
    """Settle a changed event field by field; the losers go to the conflict log first."""
    theirs = m.read_event(event)
    outcome = merge(
        appointment,
        event,
        theirs,
        link,
        rules=rules.fields,
        template=rules.template,
        two_way=rules.two_way,
        reason=reason,
    )
    actions: list[Action] = [ResolveConflict(record, None) for record in outcome.records]
    if outcome.studio_changes:
        actions.append(PullUpdate(appointment, event, theirs, outcome.draft))
    elif outcome.google_changes:
        actions.append(PushUpdate(appointment, event.id, event.etag, outcome.content))
    else:
        entry = MappingEntry.agreed(
            appointment.id, event.id, event.etag, appointment.version, theirs, appointment.origin
        )
        actions.append(Link(entry, adopted=link is None))
    return actions


def _deleted_in_google(
    appointment: StudioAppointment, link: MappingEntry, rules: Rules
) -> list[Action]:
    """Google deleted the event the studio has edited since: the edit stays, the event returns."""
    ours = m.project(appointment, rules.template)
    record = ConflictRecord(
        link.appointment_id,
        link.event_id,
        ConflictReason.BOTH_CHANGED,
        Side.STUDIO,
        losing_content=None,
        winning_content=ours,
        agreed=link,
    )
    event_id = m.event_id_for(rules.studio_tag, rules.user_id, appointment.id)
    return [ResolveConflict(record, PushInsert(appointment, event_id, ours))]


def _deleted_in_studio(
    pair: Pair, event: RemoteEvent, link: MappingEntry, rules: Rules
) -> list[Action]:
    """The studio let go of an appointment whose event was edited in Google since.

    Google's edit stays (and comes back as an appointment) when it changed a field Google may
    change; otherwise the deletion stays and Google's version goes to the conflict log.
    """
    theirs = m.read_event(event)
    if google_changed_accepted(link, theirs, rules.fields, rules.two_way):
        record = ConflictRecord(
            link.appointment_id,
            link.event_id,
            ConflictReason.BOTH_CHANGED,
            Side.GOOGLE,
            losing_content=None,
            winning_content=theirs,
            losing_appointment=pair.appointment,
            agreed=link,
        )
        draft, key = m.draft_from(theirs), m.import_key(event.id, link)
        return [ResolveConflict(record, PullCreate(event, theirs, draft, key))]
    record = ConflictRecord(
        link.appointment_id,
        link.event_id,
        ConflictReason.BOTH_CHANGED,
        Side.STUDIO,
        losing_content=theirs,
        winning_content=None,
        losing_event=event,
        agreed=link,
    )
    return [ResolveConflict(record, PushDelete(link.appointment_id, link.event_id, event.etag))]


# -- unlinked pairs ------------------------------------------------------------------------------


def _unlinked(pair: Pair, rules: Rules) -> list[Action]:
    appointment, event = pair.appointment, pair.remote
    live = appointment if appointment is not None and appointment.live else None
    if event is not None and pair.appointment_id is not None:
        return _found_ours(pair.appointment_id, live, event, rules)
    if live is not None:
        event_id = m.event_id_for(rules.studio_tag, rules.user_id, live.id)
        return [PushInsert(live, event_id, m.project(live, rules.template))]
    if event is not None:
        return _new_from_google(event, rules)
    return []


def _found_ours(
    appointment_id: int, appointment: StudioAppointment | None, event: RemoteEvent, rules: Rules
) -> list[Action]:
    """Google holds an event we made for this appointment, but we never recorded the link."""
    if appointment is None:
        if event.cancelled:
            return []
        return [PushDelete(appointment_id, event.id, event.etag)]
    ours = m.project(appointment, rules.template)
    if event.cancelled:  # deleted meanwhile: bring our event back rather than make another
        return [PushUpdate(appointment, event.id, event.etag, ours)]
    try:
        m.read_event(event)
    except BadRemoteDataError:
        return [_skip_bad(event), PushUpdate(appointment, event.id, event.etag, ours)]
    # Without a record of what both last agreed on, a field that differs changed on both sides.
    return _merged(appointment, event, None, rules, ConflictReason.FOUND_UNLINKED)


def _new_from_google(event: RemoteEvent, rules: Rules) -> list[Action]:
    """An event the studio does not know yet."""
    if event.cancelled or not rules.two_way or not rules.import_unlinked(event):
        return []
    if event.event_type in m.OTHER_EVENT_TYPES:
        return [
            Skip(
                ErrorCode.SYNC_NOT_AN_APPOINTMENT,
                event.id,
                params={"event_type": event.event_type},
                about=ItemName.of_event(event),
            )
        ]
    try:
        content = m.read_event(event)
    except BadRemoteDataError:
        return [_skip_bad(event)]
    if m.declined(event):
        return [
            Skip(
                ErrorCode.SYNC_NOT_AN_APPOINTMENT,
                event.id,
                params={"event_type": "declined"},
                about=ItemName.of_event(event),
            )
        ]
    if m.awaits_answer(event) and not rules.download_tentative:
        return [
            Skip(
                ErrorCode.SYNC_TENTATIVE_SKIPPED,
                event.id,
                tentative=True,
                about=ItemName.of_event(event),
            )
        ]
    return [PullCreate(event, content, m.draft_from(content), m.import_key(event.id))]


def _skip_bad(event: RemoteEvent) -> Skip:
    try:
        m.read_event(event)
    except BadRemoteDataError as error:
        return Skip(error.code, event.id, params=dict(error.params), about=ItemName.of_event(event))
    return Skip(
        ErrorCode.SYNC_BAD_EVENT_SKIPPED,
        event.id,
        params={"event_id": event.id},
        about=ItemName.of_event(event),
    )
