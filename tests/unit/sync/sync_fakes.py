"""In-memory studio for sync tests: appointments with a per-user change feed, and clients."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from studiosync.clock import FakeClock
from studiosync.errors import ErrorCode, InputError
from studiosync.sync.records import (
    AllDaySpan,
    AppointmentDraft,
    ClientDraft,
    ClientInfo,
    Side,
    Span,
    StudioAppointment,
    StudioChange,
    TimedSpan,
)

EPOCH = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)


def timed(hour: int, *, day: int = 4, minutes: int = 60, zone: str = "Europe/London") -> TimedSpan:
    start = dt.datetime(2024, 3, day, hour, 0, tzinfo=dt.UTC)
    return TimedSpan(start, start + dt.timedelta(minutes=minutes), zone)


def all_day(day: int, days: int = 1) -> AllDaySpan:
    start = dt.date(2024, 3, day)
    return AllDaySpan(start, start + dt.timedelta(days=days), "Europe/London")


@dataclass
class Row:
    appointment: StudioAppointment
    users: set[int]
    source: dict[int, str] = field(default_factory=dict)


class FakeStudio:
    """Plays the studio database: appointments, assignments, the feed, clients and groups."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.rows: dict[int, Row] = {}
        self.feed: list[tuple[int, StudioChange]] = []
        self._seq = itertools.count(1)
        self._ids = itertools.count(1)
        self.clients: dict[int, tuple[ClientDraft, set[int]]] = {}
        self.refuse_titles: set[str] = set()

    # -- the studio staff at work ------------------------------------------------------------

    def _log(self, appointment_id: int, before: set[int], after: set[int]) -> None:
        for user in sorted(before - after):
            self.feed.append((user, StudioChange(next(self._seq), appointment_id, "delete")))
        for user in sorted(after - before):
            self.feed.append((user, StudioChange(next(self._seq), appointment_id, "insert")))
        for user in sorted(after & before):
            self.feed.append((user, StudioChange(next(self._seq), appointment_id, "update")))

    def book(
        self,
        users: Collection[int],
        *,
        title: str = "Session",
        type: str = "Portrait",
        span: Span | None = None,
        client: ClientInfo | None = None,
        origin: Side = Side.STUDIO,
        **fields: object,
    ) -> StudioAppointment:
        appointment_id = next(self._ids)
        appointment = StudioAppointment(
            id=appointment_id,
            version=1,
            title=title,
            type=type,
            span=span or timed(10),
            client=client,
            origin=origin,
            updated_at=self.clock.now(),
            **fields,  # type: ignore[arg-type]
        )
        self.rows[appointment_id] = Row(appointment, set(users))
        self._log(appointment_id, set(), set(users))
        return appointment

    def edit(self, appointment_id: int, **fields: object) -> StudioAppointment:
        row = self.rows[appointment_id]
        old = row.appointment
        row.appointment = replace(
            old,
            version=old.version + 1,
            updated_at=self.clock.now(),
            **fields,  # type: ignore[arg-type]
        )
        self._log(appointment_id, row.users, row.users)
        return row.appointment

    def cancel(self, appointment_id: int) -> StudioAppointment:
        return self.edit(appointment_id, status="cancelled")

    def remove(self, appointment_id: int) -> None:
        row = self.rows.pop(appointment_id)
        self._log(appointment_id, row.users, set())

    def assign(self, appointment_id: int, users: Collection[int]) -> None:
        row = self.rows[appointment_id]
        before, row.users = row.users, set(users)
        old = row.appointment
        row.appointment = replace(old, version=old.version + 1, updated_at=self.clock.now())
        self._log(appointment_id, before, row.users)

    def of_user(self, user_id: int) -> list[StudioAppointment]:
        return [
            row.appointment
            for row in self.rows.values()
            if user_id in row.users and row.appointment.live
        ]

    # -- StudioCalendar ----------------------------------------------------------------------

    def feed_head(self) -> int:
        return self.feed[-1][1].seq if self.feed else 0

    def changes_since(self, user_id: int, cursor: int) -> Sequence[StudioChange]:
        return [change for user, change in self.feed if user == user_id and change.seq > cursor]

    def load(
        self, user_id: int, appointment_ids: Collection[int]
    ) -> Mapping[int, StudioAppointment]:
        return {
            key: self.rows[key].appointment
            for key in appointment_ids
            if key in self.rows and user_id in self.rows[key].users
        }

    def appointments_from(
        self, user_id: int, since: dt.date | None, after_id: int | None, limit: int
    ) -> Sequence[StudioAppointment]:
        def starts(item: StudioAppointment) -> dt.date:
            span = item.span
            return span.start.date() if isinstance(span, TimedSpan) else span.start

        chosen = [
            item
            for item in sorted(self.of_user(user_id), key=lambda item: item.id)
            if (after_id is None or item.id > after_id) and (since is None or starts(item) >= since)
        ]
        return chosen[:limit]

    def _apply(self, old: StudioAppointment, draft: AppointmentDraft) -> StudioAppointment:
        if draft.title in self.refuse_titles:
            raise InputError(ErrorCode.INVALID_VALUE, field="title", value=draft.title, reason="x")
        return replace(
            old,
            title=draft.title,
            span=draft.span,
            status=draft.status,
            location=draft.location,
            notes=draft.notes,
        )

    def create(self, user_id: int, draft: AppointmentDraft, import_key: str) -> StudioAppointment:
        for row in self.rows.values():
            made = row.source.get(user_id) == import_key
            if made and user_id in row.users and row.appointment.live:
                return row.appointment
        appointment_id = next(self._ids)
        blank = StudioAppointment(
            id=appointment_id,
            version=1,
            title="",
            type="Google",
            span=draft.span,
            origin=Side.GOOGLE,
            updated_at=self.clock.now(),
        )
        appointment = self._apply(blank, draft)
        self.rows[appointment_id] = Row(appointment, {user_id}, {user_id: import_key})
        self._log(appointment_id, set(), {user_id})
        return appointment

    def update(
        self, user_id: int, appointment_id: int, expected_version: int, draft: AppointmentDraft
    ) -> StudioAppointment | None:
        row = self.rows.get(appointment_id)
        if row is None or user_id not in row.users or row.appointment.version != expected_version:
            return None
        old = row.appointment
        changed = self._apply(old, draft)
        row.appointment = replace(changed, version=old.version + 1, updated_at=self.clock.now())
        self._log(appointment_id, row.users, row.users)
        return row.appointment

    def delete(self, user_id: int, appointment_id: int, expected_version: int) -> bool:
        row = self.rows.get(appointment_id)
        if row is None or user_id not in row.users:
            return True
        if row.appointment.version != expected_version:
            return False
        if row.users == {user_id}:
            self.remove(appointment_id)
        else:
            self.assign(appointment_id, row.users - {user_id})
        return True

    # -- StudioClients -----------------------------------------------------------------------

    def find_by_email(self, emails: Collection[str]) -> int | None:
        wanted = {address.casefold() for address in emails}
        for client_id, (draft, _groups) in sorted(self.clients.items()):
            if wanted & {address.casefold() for address in draft.emails}:
                return client_id
        return None

    def save(self, group_id: int, client_id: int | None, draft: ClientDraft) -> int:
        if client_id is None:
            client_id = next(self._ids)
            self.clients[client_id] = (draft, {group_id})
        else:
            _old, groups = self.clients[client_id]
            self.clients[client_id] = (draft, groups | {group_id})
        return client_id
