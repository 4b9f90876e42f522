"""Where each appointment stands with each assigned user's calendar (Google or CalDAV), read
from sync state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studiosync.accounts.connections import services_of
from studiosync.accounts.models import AccountStatus, DavAccount, GoogleAccount
from studiosync.studio.models import (
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    GoogleSettings,
)
from studiosync.syncstate.models import SyncCursor, SyncMapping


class _PerUser(Protocol):
    @property
    def user_id(self) -> int: ...


Row = TypeVar("Row", bound=_PerUser)


class SyncState(StrEnum):
    IN_GOOGLE = "in_google"
    FROM_GOOGLE = "from_google"
    WAITING = "waiting"
    NOT_SYNCED = "not_synced"


LABELS = {
    SyncState.IN_GOOGLE: "In {service}",
    SyncState.FROM_GOOGLE: "From {service}",
    SyncState.WAITING: "Waiting for the next run",
    SyncState.NOT_SYNCED: "Not synced",
}
SHORT_LABELS = {
    SyncState.IN_GOOGLE: "in {service}",
    SyncState.FROM_GOOGLE: "from {service}",
    SyncState.WAITING: "waiting for next run",
    SyncState.NOT_SYNCED: "not synced",
}


@dataclass(frozen=True)
class UserSyncState:
    """One assigned user's copy of one appointment: its state, in words, and the event."""

    user_id: int
    name: str
    state: SyncState
    detail: str
    event_id: str | None = None
    service: str = "Google"
    """The user's calendar service: Google, iCloud, Fastmail, Nextcloud or a server's name."""

    @property
    def label(self) -> str:
        return LABELS[self.state].format(service=self.service)

    @property
    def short(self) -> str:
        """The state in a few words, after the person's first name, as a week card shows it."""
        words = SHORT_LABELS[self.state].format(service=self.service)
        return f"{self.name.split(' ')[0]} · {words}"


@dataclass(frozen=True)
class _UserSetup:
    """What decides whether a user's appointments can go to their calendar at all."""

    tab: GoogleSettings | None
    account: GoogleAccount | None
    cursor: SyncCursor | None
    dav: DavAccount | None = None
    service: str = "Google"

    def blocker(self) -> str | None:
        """Why nothing goes to this user's calendar now, or None when it can."""
        if self.tab is None or not self.tab.enabled:
            return "Google Sync is off"
        if self.dav is not None:
            if self.dav.status is AccountStatus.NEEDS_REAUTH:
                return f"{self.service} refused the stored password"
        elif self.account is None:
            return "no Google account is linked"
        elif self.account.status is AccountStatus.NEEDS_REAUTH:
            return "the Google account must be authenticated again"
        if not self.tab.calendar_id:
            return f"no {self.service} calendar is selected"
        return None

    def populates(self, appointment: Appointment) -> bool:
        tab = self.tab
        if tab is None or not tab.populate_google:
            return False
        since = tab.populate_since
        return since is None or _first_day(appointment) >= since


def _first_day(appointment: Appointment) -> dt.date:
    return appointment.start_date or appointment.start_at.date()


def _by_user(rows: Iterable[Row]) -> dict[int, Row]:
    return {row.user_id: row for row in rows}


def sync_states(
    db: Session, appointments: Sequence[Appointment]
) -> dict[int, tuple[UserSyncState, ...]]:
    """For each appointment, each assigned user's sync state (in assignment order)."""
    ids = [appointment.id for appointment in appointments]
    users = {a.user_id for appointment in appointments for a in appointment.assignments}
    if not ids or not users:
        return {}
    mappings = {
        (row.user_id, row.appointment_id): row
        for row in db.scalars(
            select(SyncMapping).where(
                SyncMapping.appointment_id.in_(ids), SyncMapping.user_id.in_(users)
            )
        )
    }
    tabs = _by_user(db.scalars(select(GoogleSettings).where(GoogleSettings.user_id.in_(users))))
    accounts = _by_user(db.scalars(select(GoogleAccount).where(GoogleAccount.user_id.in_(users))))
    davs = _by_user(db.scalars(select(DavAccount).where(DavAccount.user_id.in_(users))))
    services = services_of(db, users)
    cursors = _by_user(db.scalars(select(SyncCursor).where(SyncCursor.user_id.in_(users))))
    latest: dict[tuple[int, int], int] = {
        (user_id, appointment_id): seq
        for appointment_id, user_id, seq in db.execute(
            select(
                AppointmentChange.appointment_id,
                AppointmentChange.user_id,
                func.max(AppointmentChange.seq),
            )
            .where(AppointmentChange.appointment_id.in_(ids))
            .group_by(AppointmentChange.appointment_id, AppointmentChange.user_id)
        )
    }
    setups = {
        user: _UserSetup(
            tabs.get(user),
            accounts.get(user),
            cursors.get(user),
            davs.get(user) if user in services else None,
            services.get(user, "Google"),
        )
        for user in users
    }
    return {
        appointment.id: tuple(
            _state(
                appointment,
                assignment.user_id,
                assignment.user.display_name,
                setups[assignment.user_id],
                mappings.get((assignment.user_id, appointment.id)),
                latest.get((assignment.user_id, appointment.id)),
            )
            for assignment in appointment.assignments
        )
        for appointment in appointments
    }


def _state(
    appointment: Appointment,
    user_id: int,
    name: str,
    setup: _UserSetup,
    mapping: SyncMapping | None,
    last_change: int | None,
) -> UserSyncState:
    blocker = setup.blocker()
    service = setup.service

    def said(state: SyncState, detail: str, event: str | None = None) -> UserSyncState:
        return UserSyncState(user_id, name, state, detail, event, service)

    if mapping is not None:
        event = mapping.event_id
        if mapping.studio_version == appointment.version:
            if mapping.origin == "google":
                detail = f"came from their {service} calendar and matches it"
                return said(SyncState.FROM_GOOGLE, detail, event)
            detail = f"on their {service} calendar, up to date"
            return said(SyncState.IN_GOOGLE, detail, event)
        if blocker is not None:
            detail = f"changed since the last sync, but {blocker}"
            return said(SyncState.NOT_SYNCED, detail, event)
        detail = f"changed since the last sync; the next run updates their {service} calendar"
        return said(SyncState.WAITING, detail, event)
    if appointment.status is AppointmentStatus.CANCELLED:
        return said(SyncState.NOT_SYNCED, f"cancelled, not in {service}")
    if blocker is not None:
        return said(SyncState.NOT_SYNCED, blocker)
    cursor = setup.cursor
    new_since_last_run = cursor is not None and (
        (cursor.feed_cursor is not None and (last_change or 0) > cursor.feed_cursor)
        or appointment.id in (cursor.pending_appointments or ())
    )
    if new_since_last_run:
        detail = f"new since the last sync; the next run sends it to their {service} calendar"
        return said(SyncState.WAITING, detail)
    if setup.populates(appointment):
        detail = f"Populate Google Calendar sends it to their {service} calendar at the next run"
        return said(SyncState.WAITING, detail)
    detail = (
        "made before their sync started; check 'Populate Google Calendar' on their Google "
        "tab to send older appointments"
    )
    return said(SyncState.NOT_SYNCED, detail)
