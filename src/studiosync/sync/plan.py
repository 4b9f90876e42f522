"""The planner: a pure function from what changed on both sides to the steps that reconcile them.

Every appointment/event pair is decided on its own. For a linked pair (one with a mapping) each
side is SAME, CHANGED or GONE compared with what both last agreed on (the mapping's studio
version, etag and content hash), and the table below says what happens:

    studio \\ Google   SAME              CHANGED                   GONE
    SAME              (remember only)    pull the change *         delete appointment *
    CHANGED           push the change    conflict: policy decides  conflict: policy decides
    GONE              delete the event   conflict: policy decides  forget the pair

    * only with two-way sync; otherwise Google-side changes are left alone.

"Gone" in the studio means deleted, cancelled or no longer assigned to this user. Conflicts are
settled by the studio's policy (studio wins, Google wins, or newest wins — where an edit beats a
deletion) and the losing version always goes to the conflict log. An event that cannot be read is
skipped and named; if the studio changed meanwhile, the studio version is written over it.

For an unlinked pair: a live appointment gets a new event (or, when Google already holds the
event we made for it — a run stopped before recording it, or a full resync — that event is
linked instead); an event of ours whose appointment is gone is deleted; any other event becomes a
new appointment when two-way sync is on, unless it is tentative (and tentative ones are not
wanted), declined, not a regular event, unreadable, or not wanted by this run's import rule.

Finally the bulk-delete guard looks at the whole plan: too many deletions on one side stop it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

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
from studiosync.sync.options import BulkDeleteGuard, ConflictPolicy
from studiosync.sync.records import (
    ConflictReason,
    ConflictRecord,
    EventContent,
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
    policy: ConflictPolicy
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
    mapped: int,
    guard: BulkDeleteGuard,
    deletes_confirmed: bool,
) -> Plan:
    """Decide every pair, then apply the bulk-delete guard to the whole plan."""
    actions = [action for pair in pairs for action in decide(pair, rules)]
    if not deletes_confirmed:
        for side, count in (
            (Side.GOOGLE, sum(map(deletes_on_google, actions))),
            (Side.STUDIO, sum(map(deletes_in_studio, actions))),
        ):
            if guard.trips(count, mapped):
                return Plan(actions, BulkDeleteStop(side, count, mapped))
    return Plan(actions)


def decide(pair: Pair, rules: Rules) -> list[Action]:
    """The steps for one pair (see the table in the module docstring)."""
    if pair.mapping is None:
        return _unlinked(pair, rules)
    return _linked(pair, pair.mapping, rules)


# -- linked pairs --------------------------------------------------------------------------------


def _studio_state(pair: Pair, link: MappingEntry) -> State:
    appointment = pair.appointment
    if appointment is None or not appointment.live:
        return State.GONE
    if appointment.version == link.studio_version:
        return State.SAME
    same_content = m.project(appointment).fingerprint() == link.content_hash
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
    studio, remote = _studio_state(pair, link), _remote_state(pair, link)
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
            return [_push_update(appointment, link.event_id, etag)]
        return [PushDelete(link.appointment_id, link.event_id, etag)]
    if studio is State.SAME and appointment is not None:
        if not rules.two_way:
            return []
        if remote is State.GONE:
            return [PullDelete(appointment, link.event_id)]
        assert event is not None
        return _pull_update(appointment, event, link)
    return _conflict(pair, link, rules)


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
        then = _push_update(appointment, link.event_id, event.etag)
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


def _push_update(appointment: StudioAppointment, event_id: str, etag: str | None) -> PushUpdate:
    return PushUpdate(appointment, event_id, etag, m.project(appointment))


def _pull_update(
    appointment: StudioAppointment, event: RemoteEvent, link: MappingEntry | None
) -> list[Action]:
    """Take Google's change; a studio-made appointment keeps (and rewrites) its own wording.

    When Google changed that wording (compared with what both last agreed on), Google's words
    go to the conflict log before the studio's are written back.
    """
    content = m.read_event(event)
    draft = m.draft_from(content, appointment)
    ours = m.project(appointment)
    actions: list[Action] = []
    reworded = link is None or content.wording_fingerprint() != link.wording_hash
    if appointment.origin is Side.STUDIO and reworded and m.wording_differs(content, ours):
        record = ConflictRecord(
            appointment.id,
            event.id,
            ConflictReason.STUDIO_OWNS_WORDING,
            Side.STUDIO,
            losing_content=content,
            winning_content=ours,
            losing_event=event,
            agreed=link,
        )
        actions.append(ResolveConflict(record, None))
    unchanged = (
        draft.span == appointment.span
        and draft.status == appointment.status
        and (draft.title, draft.location, draft.notes)
        == (appointment.title, appointment.location, appointment.notes)
    )
    if unchanged:
        actions.append(PushUpdate(appointment, event.id, event.etag, ours))
    else:
        actions.append(PullUpdate(appointment, event, content, draft))
    return actions


def _winner(rules: Rules, appointment: StudioAppointment | None, event: RemoteEvent | None) -> Side:
    if rules.policy is ConflictPolicy.STUDIO_WINS or not rules.two_way:
        return Side.STUDIO
    if rules.policy is ConflictPolicy.GOOGLE_WINS:
        return Side.GOOGLE
    studio_deleted = appointment is None or not appointment.live
    google_deleted = event is None or event.cancelled
    if studio_deleted or google_deleted:
        return Side.GOOGLE if studio_deleted else Side.STUDIO  # an edit beats a deletion
    assert appointment is not None and event is not None
    if appointment.updated_at is None:
        return Side.GOOGLE
    return Side.GOOGLE if m.updated_at(event) > appointment.updated_at else Side.STUDIO


def _conflict(pair: Pair, link: MappingEntry, rules: Rules) -> list[Action]:
    """Both sides changed since they last agreed."""
    appointment, event = pair.appointment, pair.remote
    live_appointment = appointment if appointment is not None and appointment.live else None
    live_event = event if event is not None and not event.cancelled else None
    ours = m.project(live_appointment) if live_appointment else None
    theirs = m.read_event(live_event) if live_event else None
    if ours is not None and ours.same_as(theirs):
        assert live_appointment is not None and live_event is not None
        entry = MappingEntry.agreed(
            live_appointment.id,
            live_event.id,
            live_event.etag,
            live_appointment.version,
            ours,
            link.origin,
        )
        return [Link(entry)]
    winner = _winner(rules, live_appointment, live_event)
    if winner is Side.STUDIO:
        record = ConflictRecord(
            link.appointment_id,
            link.event_id,
            ConflictReason.BOTH_CHANGED,
            Side.STUDIO,
            losing_content=theirs,
            winning_content=ours,
            losing_event=live_event,
            agreed=link,
        )
        if live_appointment is None:
            etag = live_event.etag if live_event else link.etag
            return [ResolveConflict(record, PushDelete(link.appointment_id, link.event_id, etag))]
        if live_event is None:
            event_id = m.event_id_for(rules.studio_tag, rules.user_id, live_appointment.id)
            assert ours is not None
            return [ResolveConflict(record, PushInsert(live_appointment, event_id, ours))]
        return [
            ResolveConflict(record, _push_update(live_appointment, link.event_id, live_event.etag))
        ]
    record = ConflictRecord(
        link.appointment_id,
        link.event_id,
        ConflictReason.BOTH_CHANGED,
        Side.GOOGLE,
        losing_content=ours,
        winning_content=theirs,
        losing_appointment=live_appointment,
        agreed=link,
    )
    if live_event is None:
        assert live_appointment is not None
        return [ResolveConflict(record, PullDelete(live_appointment, link.event_id))]
    assert theirs is not None
    if live_appointment is None:  # gone for this user: Google's version comes back as a new one
        draft, key = m.draft_from(theirs, None), m.import_key(live_event.id, link)
        return [ResolveConflict(record, PullCreate(live_event, theirs, draft, key))]
    steps = _pull_update(live_appointment, live_event, link)
    return [ResolveConflict(record, None), *steps]


# -- unlinked pairs ------------------------------------------------------------------------------


def _unlinked(pair: Pair, rules: Rules) -> list[Action]:
    appointment, event = pair.appointment, pair.remote
    live = appointment if appointment is not None and appointment.live else None
    if event is not None and pair.appointment_id is not None:
        return _found_ours(pair.appointment_id, live, event, rules)
    if live is not None:
        event_id = m.event_id_for(rules.studio_tag, rules.user_id, live.id)
        return [PushInsert(live, event_id, m.project(live))]
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
    ours = m.project(appointment)
    if event.cancelled:  # deleted meanwhile: bring our event back rather than make another
        return [PushUpdate(appointment, event.id, event.etag, ours)]
    try:
        theirs = m.read_event(event)
    except BadRemoteDataError:
        return [_skip_bad(event), PushUpdate(appointment, event.id, event.etag, ours)]
    if ours.same_as(theirs):
        entry = MappingEntry.agreed(
            appointment.id, event.id, event.etag, appointment.version, theirs, appointment.origin
        )
        return [Link(entry, adopted=True)]
    # Without a record of what both last agreed on, both sides count as changed.
    if _winner(rules, appointment, event) is Side.STUDIO:
        record = ConflictRecord(
            appointment.id,
            event.id,
            ConflictReason.FOUND_UNLINKED,
            Side.STUDIO,
            losing_content=theirs,
            winning_content=ours,
            losing_event=event,
        )
        return [ResolveConflict(record, PushUpdate(appointment, event.id, event.etag, ours))]
    record = ConflictRecord(
        appointment.id,
        event.id,
        ConflictReason.FOUND_UNLINKED,
        Side.GOOGLE,
        losing_content=ours,
        winning_content=theirs,
        losing_appointment=appointment,
    )
    return [ResolveConflict(record, None), *_pull_update(appointment, event, None)]


def _new_from_google(event: RemoteEvent, rules: Rules) -> list[Action]:
    """An event the studio does not know yet."""
    if event.cancelled or not rules.two_way or not rules.import_unlinked(event):
        return []
    if event.event_type in m.OTHER_EVENT_TYPES:
        return [
            Skip(
                ErrorCode.SYNC_NOT_AN_APPOINTMENT,
                event.id,
                params={"event_type": event.event_type, "title": event.summary},
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
                params={"event_type": "declined", "title": event.summary},
            )
        ]
    if m.awaits_answer(event) and not rules.download_tentative:
        return [Skip(ErrorCode.SYNC_TENTATIVE_SKIPPED, event.id, tentative=True)]
    return [PullCreate(event, content, m.draft_from(content, None), m.import_key(event.id))]


def _skip_bad(event: RemoteEvent) -> Skip:
    try:
        m.read_event(event)
    except BadRemoteDataError as error:
        return Skip(error.code, event.id, params=dict(error.params))
    return Skip(
        ErrorCode.SYNC_BAD_EVENT_SKIPPED,
        event.id,
        params={"event_id": event.id, "title": event.summary},
    )


# -- pairing -------------------------------------------------------------------------------------


def gather_pairs(
    *,
    studio_ids: Collection[int],
    appointments: Mapping[int, StudioAppointment],
    remote: Sequence[RemoteEvent],
    gone_event_ids: Collection[str],
    by_appointment: Mapping[int, MappingEntry],
    by_event: Mapping[str, MappingEntry],
    claim: Callable[[RemoteEvent], int | None],
) -> list[Pair]:
    """Match studio changes, Google changes and mappings into pairs, one per appointment/event.

    ``remote`` are the events Google reported (cancelled stubs included); ``gone_event_ids``
    are linked events a full listing no longer holds. ``appointments`` must hold the current
    state of every appointment involved (absent: gone for this user).
    """
    pairs: dict[int, Pair] = {}
    unclaimed: list[Pair] = []
    for event in remote:
        link = by_event.get(event.id)
        key = link.appointment_id if link else claim(event)
        if key is not None and link is None and key in by_appointment:
            continue  # our copy for an appointment linked elsewhere: a re-insert adopts it
        if key is None:
            unclaimed.append(Pair(None, None, None, event, True))
        else:
            pairs[key] = Pair(key, appointments.get(key), link, event, True)
    for event_id in gone_event_ids:
        link = by_event[event_id]
        pairs[link.appointment_id] = Pair(
            link.appointment_id, appointments.get(link.appointment_id), link, None, True
        )
    for key in studio_ids:
        if key not in pairs:
            pairs[key] = Pair(key, appointments.get(key), by_appointment.get(key))
    return [pairs[key] for key in sorted(pairs)] + unclaimed
