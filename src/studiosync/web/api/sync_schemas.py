"""The JSON shapes of the Google account, Control Center and troubleshooter calls."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from studiosync.web.api.schemas import Short, Strict

AccountState = Literal["not_linked", "linked", "needs_reauth"]
Verdict = Literal["ok", "warn", "fail", "info"]


class AccountOut(BaseModel):
    """A user's Google account section: the account, its state, the calendar, the back-fill."""

    user_id: int
    login: str
    status: AccountState
    google_email: str | None
    calendar_id: str | None
    populate_google: bool
    populate_studio: bool
    appointments: int = Field(description="The user's appointments that are not cancelled.")
    not_in_google: int = Field(description="How many of them are not in Google yet.")


class LinkStartOut(BaseModel):
    """Open ``url`` in a browser logged in to studiosync: Google's sign-in, then back here."""

    url: str
    state: str
    redirect_uri: str


class CalendarOut(BaseModel):
    id: str
    summary: str
    access_role: str
    primary: bool
    writable: bool
    selected: bool


class CalendarsOut(BaseModel):
    """The calendars of the linked account (none while no account is linked)."""

    google_email: str | None
    calendar_id: str | None
    calendars: list[CalendarOut]


class CalendarChoice(Strict):
    calendar: Annotated[str, Field(min_length=1, max_length=1024)] = Field(
        description="The calendar's id or name; it must exist and be writable."
    )


class RemovedOut(BaseModel):
    removed: str = Field(description="The Google address that was linked.")


class JobOut(BaseModel):
    key: str
    name: str
    enabled: bool
    schedule: str
    schedule_words: str
    computer: str | None
    computer_state: str
    due: bool
    last_run_at: dt.datetime | None
    next_run_at: dt.datetime | None


class JobPatch(Strict):
    """Change what is sent: the computer first, then the schedule, then enabled."""

    computer: Short | None = None
    schedule: Short | None = None
    enabled: bool | None = None


class RunNowOut(BaseModel):
    job: JobOut
    message: str


class ComputerOut(BaseModel):
    name: str
    state: str
    online: bool
    last_seen_at: dt.datetime
    reaches_google: bool
    google_error: str | None
    version: str


class RunOut(BaseModel):
    id: int
    computer: str
    mode: str
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    duration_seconds: float | None
    users_ok: int
    users_warning: int
    users_error: int
    users_skipped: int


class UserRunOut(BaseModel):
    id: int
    run_id: int
    user_id: int
    login: str
    status: str
    reason: str | None
    duration_seconds: float | None
    counts: dict[str, int]


class RunDetailOut(BaseModel):
    run: RunOut
    users: list[UserRunOut]


class LogLineOut(BaseModel):
    id: int
    run_id: int
    at: dt.datetime
    level: str
    code: str
    user: str | None
    item: str | None
    title: str
    cause: str
    fix: str


class ConflictOut(BaseModel):
    id: int
    created_at: dt.datetime
    user_id: int
    login: str
    appointment_id: int | None
    event_id: str | None
    reason: str = Field(description="The reason's code, e.g. both_changed.")
    why: str = Field(description="The reason in words, naming the user's calendar service.")
    winner: str
    losing: dict[str, Any] | None = Field(description="The version that lost, in full.")
    winning: dict[str, Any] | None


class FindingOut(BaseModel):
    check: str
    title: str
    verdict: Verdict
    code: str | None
    cause: str | None
    fix: str | None
    note: str | None
    screen: str | None = Field(description="The page of the web application that fixes it.")


class DoctorOut(BaseModel):
    """The troubleshooter: one user's checks; administrators also get the studio's."""

    user: str
    ok: bool
    checks: list[FindingOut]
    studio: list[FindingOut]


class SyncNowOut(BaseModel):
    requested: bool = Field(description="The sync is asked for; it runs within seconds.")
    computer: str | None = Field(
        description="The computer whose Calendar Sync Processor runs it (null: any of them)."
    )
