"""The appointment change feed: every change to an appointment, per affected user, in order.

Rows are written by a flush hook in the same transaction as the change itself, so no code path
can change an appointment without the feed knowing. Sequence numbers come from a one-row counter
that is locked until commit, which makes them follow commit order on PostgreSQL too: a reader
that has seen sequence N will never later find a smaller number appear.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import and_, event, insert, inspect, or_, select, update
from sqlalchemy.orm import Session, UOWTransaction

from studiosync.studio.models import (
    Appointment,
    AppointmentChange,
    Assignment,
    ChangeKind,
    FeedCounter,
    utcnow,
)


@dataclass(frozen=True)
class Change:
    """One feed entry: ``kind`` happened to ``appointment_id`` as seen by ``user_id``."""

    seq: int
    appointment_id: int
    user_id: int
    kind: ChangeKind


def changes_since(
    session: Session, cursor: int, *, user: int, limit: int | None = None
) -> list[Change]:
    """The changes affecting one user after ``cursor``, oldest first (uses the user+seq index)."""
    query = (
        select(
            AppointmentChange.seq,
            AppointmentChange.appointment_id,
            AppointmentChange.user_id,
            AppointmentChange.kind,
        )
        .where(AppointmentChange.user_id == user, AppointmentChange.seq > cursor)
        .order_by(AppointmentChange.seq)
    )
    if limit is not None:
        query = query.limit(limit)
    return [Change(*row) for row in session.execute(query)]


def changes_since_each(session: Session, cursors: Mapping[int, int]) -> dict[int, list[Change]]:
    """``changes_since`` for several users at once (user id → cursor), in one query."""
    found: dict[int, list[Change]] = {user: [] for user in cursors}
    if not cursors:
        return found
    query = (
        select(
            AppointmentChange.seq,
            AppointmentChange.appointment_id,
            AppointmentChange.user_id,
            AppointmentChange.kind,
        )
        .where(
            or_(
                *(
                    and_(AppointmentChange.user_id == user, AppointmentChange.seq > cursor)
                    for user, cursor in cursors.items()
                )
            )
        )
        .order_by(AppointmentChange.seq)
    )
    for row in session.execute(query):
        found[row.user_id].append(Change(*row))
    return found


def latest_seq(session: Session) -> int:
    """The newest sequence number handed out (0 for an empty feed)."""
    value = session.scalar(select(FeedCounter.value).where(FeedCounter.id == 1))
    return value or 0


def fold(changes: Iterable[Change]) -> dict[int, Change]:
    """The net effect per appointment: the last change wins, an insert stays an insert."""
    net: dict[int, Change] = {}
    for change in changes:
        before = net.get(change.appointment_id)
        if before and before.kind is ChangeKind.INSERT and change.kind is ChangeKind.UPDATE:
            change = Change(change.seq, change.appointment_id, change.user_id, ChangeKind.INSERT)
        net[change.appointment_id] = change
    return net


def _touched_appointments(session: Session) -> set[Appointment]:
    touched: set[Appointment] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Appointment):
            touched.add(obj)
        elif isinstance(obj, Assignment) and obj.appointment is not None:
            touched.add(obj.appointment)
    return touched


def _assigned_before(appointment: Appointment) -> set[int]:
    state = inspect(appointment)
    if state.pending or state.transient:
        return set()
    history = state.attrs.assignments.load_history()
    previous = [*history.unchanged, *history.deleted]
    ids: set[int] = set()
    for assignment in previous:
        committed = inspect(assignment).attrs.user_id.load_history()
        olds = [*committed.unchanged, *committed.deleted]
        ids.update(value for value in olds if value is not None)
    return ids


def _assigned_after(session: Session, appointment: Appointment) -> set[int]:
    if appointment in session.deleted:
        return set()
    return {
        assignment.user_id if assignment.user_id is not None else assignment.user.id
        for assignment in appointment.assignments
        if assignment not in session.deleted
    }


def _before_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    """Remember, for each touched appointment, who saw it before; bump version on reassignment."""
    pending: dict[Appointment, set[int]] = session.info.setdefault("feed_pending", {})
    for appointment in _touched_appointments(session):
        if appointment not in pending:
            pending[appointment] = _assigned_before(appointment)
        if appointment not in session.new and appointment not in session.deleted:
            appointment.updated_at = utcnow()


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    pending: dict[Appointment, set[int]] = session.info.pop("feed_pending", {})
    rows: list[tuple[int, int, ChangeKind]] = []
    for appointment, before in pending.items():
        after = _assigned_after(session, appointment)
        rows.extend((appointment.id, user, ChangeKind.DELETE) for user in sorted(before - after))
        rows.extend((appointment.id, user, ChangeKind.INSERT) for user in sorted(after - before))
        rows.extend((appointment.id, user, ChangeKind.UPDATE) for user in sorted(after & before))
    if not rows:
        return
    connection = session.connection()
    last = connection.execute(
        update(FeedCounter)
        .where(FeedCounter.id == 1)
        .values(value=FeedCounter.value + len(rows))
        .returning(FeedCounter.value)
    ).scalar_one()
    first = last - len(rows) + 1
    now = utcnow()
    connection.execute(
        insert(AppointmentChange),
        [
            {
                "seq": first + offset,
                "appointment_id": appointment_id,
                "user_id": user_id,
                "kind": kind,
                "changed_at": now,
            }
            for offset, (appointment_id, user_id, kind) in enumerate(rows)
        ],
    )


def install(session_class: type[Session] = Session) -> None:
    """Hook the feed into every flush of ``session_class`` (idempotent)."""
    if not event.contains(session_class, "before_flush", _before_flush):
        event.listen(session_class, "before_flush", _before_flush)
        event.listen(session_class, "after_flush", _after_flush)


install()
