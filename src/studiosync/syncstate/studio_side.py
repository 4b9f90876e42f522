"""The studio as the sync engine sees it, one user at a time, over the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from studiosync.db import transaction
from studiosync.doctor.catalogue import explain
from studiosync.errors import ErrorCode, StudioSyncError, SyncError
from studiosync.studio import appointments as service
from studiosync.studio import clients as client_service
from studiosync.studio.appointments import Assign
from studiosync.studio.feed import changes_since, latest_seq
from studiosync.studio.models import (
    Appointment,
    AppointmentStatus,
    Assignment,
    Client,
    ClientEmail,
    GoogleSettings,
    Origin,
    ResourceKind,
)
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
from studiosync.syncstate.models import EventSource

GOOGLE_TYPE = "Google"


@contextmanager
def refusals() -> Iterator[None]:
    """Whatever the studio refuses to store becomes a ``SyncError`` whose reason says why.

    The item's transaction is rolled back (nothing half-written); the run goes on.
    """
    try:
        yield
    except SyncError:
        raise
    except StudioSyncError as error:
        reason = explain(error).cause.rstrip(".")
        raise SyncError(ErrorCode.SYNC_STUDIO_REFUSED, reason=reason) from error
    except DBAPIError as error:
        kind = type(error.orig).__name__ if error.orig is not None else type(error).__name__
        reason = f"the database refused it ({kind})"
        raise SyncError(ErrorCode.SYNC_STUDIO_REFUSED, reason=reason) from error
    except (ValueError, OverflowError) as error:
        reason = f"its dates or text cannot be stored ({type(error).__name__})"
        raise SyncError(ErrorCode.SYNC_STUDIO_REFUSED, reason=reason) from error


def _span(appointment: Appointment) -> Span:
    if appointment.all_day and appointment.start_date and appointment.end_date:
        return AllDaySpan(appointment.start_date, appointment.end_date, appointment.time_zone)
    return TimedSpan(appointment.start_at, appointment.end_at, appointment.time_zone)


def _privacy(session: Session, user_id: int) -> str:
    """What the user lets go to Google (the Google tab's privacy choice)."""
    query = select(GoogleSettings.privacy).where(GoogleSettings.user_id == user_id)
    return session.scalar(query) or "full"


def as_record(appointment: Appointment, privacy: str = "full") -> StudioAppointment:
    client = appointment.client
    return StudioAppointment(
        id=appointment.id,
        version=appointment.version,
        title=appointment.title,
        type=appointment.type,
        span=_span(appointment),
        status=appointment.status.value,
        location=appointment.location or "",
        notes=appointment.notes or "",
        client=ClientInfo(
            name=client.name,
            phone=client.phones[0] if client.phones else "",
            email=client.emails[0] if client.emails else "",
        )
        if client
        else None,
        resources=tuple(resource.name for resource in appointment.resources),
        origin=Side(appointment.origin.value),
        updated_at=appointment.updated_at,
        rooms=tuple(r.name for r in appointment.resources if r.kind is ResourceKind.ROOM),
        privacy=privacy,
    )


def _when(span: Span) -> tuple[service.When, service.When, bool]:
    return span.start, span.end, isinstance(span, AllDaySpan)


def _loaded() -> tuple[object, ...]:
    return (
        selectinload(Appointment.client).selectinload(Client.email_rows),
        selectinload(Appointment.resources),
        selectinload(Appointment.assignments),
    )


class DbStudioCalendar:
    """``StudioCalendar`` over the studio database; each call is one short transaction."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def feed_head(self) -> int:
        with transaction(self._sessions) as session:
            return latest_seq(session)

    def changes_since(self, user_id: int, cursor: int) -> Sequence[StudioChange]:
        with transaction(self._sessions) as session:
            return [
                StudioChange(change.seq, change.appointment_id, change.kind.value)
                for change in changes_since(session, cursor, user=user_id)
            ]

    def load(
        self, user_id: int, appointment_ids: Collection[int]
    ) -> Mapping[int, StudioAppointment]:
        ids = list(appointment_ids)
        found: dict[int, StudioAppointment] = {}
        if not ids:
            return found
        with transaction(self._sessions) as session:
            for first in range(0, len(ids), 500):
                query = (
                    select(Appointment)
                    .join(Assignment)
                    .where(Assignment.user_id == user_id)
                    .where(Appointment.id.in_(ids[first : first + 500]))
                    .options(*_loaded())  # type: ignore[arg-type]
                )
                shown = _privacy(session, user_id)
                found.update((row.id, as_record(row, shown)) for row in session.scalars(query))
        return found

    def appointments_from(
        self, user_id: int, since: dt.date | None, after_id: int | None, limit: int
    ) -> Sequence[StudioAppointment]:
        query = (
            select(Appointment)
            .join(Assignment)
            .where(Assignment.user_id == user_id)
            .where(Appointment.status != AppointmentStatus.CANCELLED)
            .order_by(Appointment.id)
            .limit(limit)
            .options(*_loaded())  # type: ignore[arg-type]
        )
        if since is not None:
            query = query.where(
                Appointment.end_at >= dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
            )
        if after_id is not None:
            query = query.where(Appointment.id > after_id)
        with transaction(self._sessions) as session:
            shown = _privacy(session, user_id)
            return [as_record(row, shown) for row in session.scalars(query)]

    def create(self, user_id: int, draft: AppointmentDraft, import_key: str) -> StudioAppointment:
        with refusals(), transaction(self._sessions) as session:
            source = session.get(EventSource, (user_id, import_key))
            if source is not None:
                existing = session.get(Appointment, source.appointment_id)
                live = existing is not None and existing.status is not AppointmentStatus.CANCELLED
                if existing is not None and live and user_id in existing.user_ids:
                    return as_record(
                        existing, _privacy(session, user_id)
                    )  # made by a run that stopped before linking it
                session.delete(source)
                session.flush()
            start, end, all_day = _when(draft.span)
            made = service.create_appointment(
                session,
                start=start,
                end=end,
                all_day=all_day,
                time_zone=draft.span.time_zone,
                title=draft.title or "(no title)",
                type=GOOGLE_TYPE,
                status=AppointmentStatus(draft.status),
                location=draft.location,
                notes=draft.notes,
                users=[Assign(user_id)],
                origin=Origin.GOOGLE,
            )
            session.add(EventSource(user_id=user_id, event_id=import_key, appointment_id=made.id))
            session.flush()
            return as_record(made, _privacy(session, user_id))

    def _current(
        self, session: Session, user_id: int, appointment_id: int, expected_version: int
    ) -> Appointment | None:
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.version != expected_version:
            return None
        if user_id not in appointment.user_ids:
            return None
        return appointment

    def update(
        self, user_id: int, appointment_id: int, expected_version: int, draft: AppointmentDraft
    ) -> StudioAppointment | None:
        with refusals(), transaction(self._sessions) as session:
            if self._current(session, user_id, appointment_id, expected_version) is None:
                return None
            start, end, all_day = _when(draft.span)
            changed = service.update_appointment(
                session,
                appointment_id,
                start=start,
                end=end,
                all_day=all_day,
                time_zone=draft.span.time_zone,
                title=draft.title or "(no title)",
                status=AppointmentStatus(draft.status),
                location=draft.location or None,
                notes=draft.notes or None,
            )
            return as_record(changed, _privacy(session, user_id))

    def delete(self, user_id: int, appointment_id: int, expected_version: int) -> bool:
        with transaction(self._sessions) as session:
            appointment = session.get(Appointment, appointment_id)
            if appointment is None or user_id not in appointment.user_ids:
                return True
            if appointment.version != expected_version:
                return False
            others = [a for a in appointment.assignments if a.user_id != user_id]
            if others:
                service.update_appointment(
                    session,
                    appointment_id,
                    users=[Assign(a.user_id, a.role) for a in others],
                )
            else:
                service.delete_appointment(session, appointment_id)
            return True


class DbStudioClients:
    """``StudioClients`` over the studio database (the contacts import never deletes)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def find_by_email(self, emails: Collection[str]) -> int | None:
        wanted = [email.strip().lower() for email in emails if email.strip()]
        if not wanted:
            return None
        with transaction(self._sessions) as session:
            return session.scalar(
                select(ClientEmail.client_id)
                .where(ClientEmail.email_normalized.in_(wanted))
                .order_by(ClientEmail.client_id)
                .limit(1)
            )

    def save(self, group_id: int, client_id: int | None, draft: ClientDraft) -> int:
        with transaction(self._sessions) as session:
            existing = session.get(Client, client_id) if client_id is not None else None
            if existing is None:
                made = client_service.create_client(
                    session,
                    name=draft.name,
                    emails=_valid(draft.emails),
                    phones=list(draft.phones),
                    groups=[group_id],
                )
                return made.id
            known = {email.lower() for email in existing.emails}
            emails = existing.emails + [e for e in _valid(draft.emails) if e.lower() not in known]
            phones = existing.phones + [p for p in draft.phones if p not in existing.phones]
            groups = [group.id for group in existing.groups]
            client_service.update_client(
                session,
                existing.id,
                name=draft.name or existing.name,
                emails=emails,
                phones=phones,
                groups=groups if group_id in groups else [*groups, group_id],
            )
            return existing.id


def _valid(emails: Sequence[str]) -> list[str]:
    """Addresses a studio client can hold; malformed ones from Google are left out."""
    from email_validator import EmailNotValidError, validate_email  # costly; only a sync needs it

    kept = []
    for email in emails:
        try:
            kept.append(validate_email(email, check_deliverability=False).normalized)
        except EmailNotValidError:
            continue
    return kept
