"""A studio wired to the sandbox Google for sync tests: users linked, appointments, the phone."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select

from studiosync.accounts.calendars import select_calendar
from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.errors import ErrorCode
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio import appointments, clients, people
from studiosync.studio.appointments import Assign
from studiosync.studio.company import get_company
from studiosync.studio.google_options import set_google_settings
from studiosync.studio.models import Appointment, Assignment
from studiosync.sync.mapping import event_id_for
from studiosync.sync.result import RunResult
from studiosync.syncstate.field_settings import set_google_fields
from studiosync.syncstate.models import SyncConflict, SyncCursor, SyncMapping
from studiosync.syncstate.runner import sync_user

START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
PASSWORD = "pw"


class RecordedWaits:
    """The engine's clock seam: waits are noted and time moves on by them, without sleeping.

    With ``google`` given, the sandbox's clock moves on by the same waits (its quota windows
    and token lifetimes follow).
    """

    def __init__(self, google: SandboxHandle | None = None) -> None:
        self.waits: list[float] = []
        self._ahead = 0.0
        self._google = google

    def monotonic(self) -> float:
        return time.monotonic() + self._ahead

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self._ahead += seconds
        if self._google is not None:
            self._google.advance_clock(seconds)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self._ahead)

    def jump(self, delta: dt.timedelta) -> None:
        """Move "now" on, as hours passing between two runs would."""
        self._ahead += delta.total_seconds()


LINK_COLUMNS = (
    "appointment_id",
    "event_id",
    "etag",
    "studio_version",
    "content_hash",
    "wording_hash",
    "origin",
    "field_hashes",
)
CURSOR_COLUMNS = (
    "feed_cursor",
    "sync_token",
    "contacts_token",
    "contacts_read_at",
    "last_pull_at",
    "blocked_until",
    "populate_google_after",
    "populate_studio_after",
    "pending_appointments",
    "pending_events",
)


@dataclass(frozen=True)
class Remembered:
    """A user's links and cursors at one moment (see ``Desk.crash_back_to``)."""

    links: list[dict[str, Any]]
    cursor: dict[str, Any] | None


@dataclass
class Linked:
    """A studio user linked to a sandbox Google account (their primary calendar is chosen)."""

    login: str
    user_id: int
    email: str


@dataclass
class Desk:
    """The studio, the sandbox and what a test does with them, each in a line."""

    studio: Studio
    google: SandboxHandle
    endpoints: GoogleEndpoints
    clock: RecordedWaits = field(default_factory=RecordedWaits)
    _phones: dict[str, Any] = field(default_factory=dict)

    # -- people ------------------------------------------------------------------------------

    def link(self, login: str, **options: Any) -> Linked:
        """A user with sync enabled on their own Google account's primary calendar."""
        email = f"{login}@sandbox.example"
        self.google.create_account(email, PASSWORD)
        with self.studio.transaction() as session:
            user_id = people.create_user(session, login=login).id
        link_on_sandbox(self.studio, self.endpoints, login, email, PASSWORD)
        select_calendar(self.studio, self.endpoints, login, email)
        self.options(login, enabled=True, warnings_email=f"{login}@studio.example", **options)
        return Linked(login, user_id, email)

    def options(self, login: str, **changes: Any) -> None:
        with self.studio.transaction() as session:
            set_google_settings(session, login, **changes)

    def owners(self, **owners: str) -> None:
        """Who may change each field from Google (Company Preferences > Google)."""
        with self.studio.transaction() as session:
            set_google_fields(session, owners=owners)

    def owner_everywhere(self, owner: str) -> None:
        self.owners(**dict.fromkeys(("title", "time", "location", "notes", "status"), owner))

    def client(self, name: str, email: str = "", phone: str = "") -> int:
        with self.studio.transaction() as session:
            made = clients.create_client(
                session, name=name, emails=[email] if email else [], phones=[phone] if phone else []
            )
            return made.id

    # -- the studio side ---------------------------------------------------------------------

    def book(self, *users: Linked, title: str = "Session", hours: float = 1, **fields: Any) -> int:
        """An appointment assigned to ``users`` (default: at START, one hour, type Portrait)."""
        start = fields.pop("start", START)
        end = fields.pop("end", None) or start + dt.timedelta(hours=hours)
        fields.setdefault("type", "Portrait")
        with self.studio.transaction() as session:
            made = appointments.create_appointment(
                session,
                title=title,
                start=start,
                end=end,
                users=[Assign(user.login) for user in users],
                **fields,
            )
            return made.id

    def edit(self, appointment_id: int, **fields: Any) -> None:
        with self.studio.transaction() as session:
            appointments.update_appointment(session, appointment_id, **fields)

    def remove(self, appointment_id: int) -> None:
        with self.studio.transaction() as session:
            appointments.delete_appointment(session, appointment_id)

    def appointment(self, appointment_id: int) -> Appointment | None:
        with self.studio.transaction() as session:
            found = session.get(Appointment, appointment_id)
            if found is not None:
                _ = (found.assignments, found.client, found.resources)
            return found

    def appointments_of(self, user: Linked) -> list[Appointment]:
        with self.studio.transaction() as session:
            query = (
                select(Appointment)
                .join(Assignment)
                .where(Assignment.user_id == user.user_id)
                .order_by(Appointment.id)
            )
            return list(session.scalars(query))

    # -- running -----------------------------------------------------------------------------

    def sync(self, user: Linked, **options: Any) -> RunResult:
        return sync_user(self.studio, user.user_id, clock=self.clock, **options)

    def quiet(self, user: Linked) -> RunResult:
        """A run that must find nothing to do."""
        result = self.sync(user)
        counts = result.counts
        assert result.ok, result.log
        assert (counts.pushed, counts.updated, counts.deleted, counts.pulled) == (0, 0, 0, 0)
        return result

    # -- the Google side (the phone) ---------------------------------------------------------

    def phone(self, user: Linked) -> Any:
        """The user's own calendar service, as their phone would use it."""
        if user.email not in self._phones:
            self._phones[user.email] = self.google.calendar_service(user.email).events()
        return self._phones[user.email]

    def events(self, user: Linked, **params: Any) -> list[dict[str, Any]]:
        """The live events of the user's calendar, recurring ones as single instances."""
        items: list[dict[str, Any]] = []
        page = None
        while True:
            answer = (
                self.phone(user)
                .list(calendarId=user.email, singleEvents=True, pageToken=page, **params)
                .execute()
            )
            items.extend(answer.get("items", ()))
            page = answer.get("nextPageToken")
            if not page:
                return items

    def event(self, user: Linked, event_id: str) -> dict[str, Any]:
        found: dict[str, Any] = (
            self.phone(user).get(calendarId=user.email, eventId=event_id).execute()
        )
        return found

    def add_event(self, user: Linked, summary: str, **body: Any) -> dict[str, Any]:
        """A new event made on the phone (default: the day after START, 9:00–10:00 UTC)."""
        day = START + dt.timedelta(days=1)
        body.setdefault("start", {"dateTime": day.replace(hour=9).isoformat()})
        body.setdefault("end", {"dateTime": day.replace(hour=10).isoformat()})
        made: dict[str, Any] = (
            self.phone(user)
            .insert(calendarId=user.email, body={"summary": summary, **body})
            .execute()
        )
        return made

    def change_event(self, user: Linked, event_id: str, **changes: Any) -> dict[str, Any]:
        changed: dict[str, Any] = (
            self.phone(user).patch(calendarId=user.email, eventId=event_id, body=changes).execute()
        )
        return changed

    def drop_event(self, user: Linked, event_id: str) -> None:
        self.phone(user).delete(calendarId=user.email, eventId=event_id).execute()

    def tag(self) -> str:
        """The studio's tag, written into the ids and private properties of its events."""
        with self.studio.transaction() as session:
            return get_company(session).studio_tag

    def event_id(self, user: Linked, appointment_id: int) -> str:
        """The id the studio gives the event it makes for an appointment in this calendar."""
        return event_id_for(self.tag(), user.user_id, appointment_id)

    # -- the sync state ----------------------------------------------------------------------

    def links(self, user: Linked) -> dict[int, str]:
        """appointment id → event id, as the studio recorded them."""
        with self.studio.transaction() as session:
            rows = session.execute(
                select(SyncMapping.appointment_id, SyncMapping.event_id).where(
                    SyncMapping.user_id == user.user_id
                )
            )
            return {int(appointment): str(event) for appointment, event in rows}

    def conflicts(self, user: Linked) -> list[SyncConflict]:
        with self.studio.transaction() as session:
            query = select(SyncConflict).where(SyncConflict.user_id == user.user_id)
            return list(session.scalars(query.order_by(SyncConflict.id)))

    def cursor_row(self, user: Linked) -> SyncCursor | None:
        with self.studio.transaction() as session:
            return session.get(SyncCursor, user.user_id)

    def remember(self, user: Linked) -> Remembered:
        """The user's links and cursors as they are now."""
        with self.studio.transaction() as session:
            rows = session.scalars(select(SyncMapping).where(SyncMapping.user_id == user.user_id))
            links = [{key: getattr(row, key) for key in LINK_COLUMNS} for row in rows]
            cursor = session.get(SyncCursor, user.user_id)
            marks = {key: getattr(cursor, key) for key in CURSOR_COLUMNS} if cursor else None
        return Remembered(links, marks)

    def crash_back_to(self, user: Linked, before: Remembered) -> None:
        """Undo what a run recorded, as if it died just after Google (and the studio) answered.

        Everything written to Google and to the appointments stays; the links and cursors go
        back to ``before``.
        """
        with self.studio.transaction() as session:
            session.execute(delete(SyncMapping).where(SyncMapping.user_id == user.user_id))
            session.add_all(SyncMapping(user_id=user.user_id, **link) for link in before.links)
            cursor = session.get(SyncCursor, user.user_id)
            if cursor is not None:
                if before.cursor is None:
                    session.delete(cursor)
                else:
                    for key, value in before.cursor.items():
                        setattr(cursor, key, value)


def logged(result: RunResult, code: ErrorCode) -> list[dict[str, Any]]:
    """The parameters of every log entry with this code."""
    return [dict(entry.params) for entry in result.log if entry.code is code]
