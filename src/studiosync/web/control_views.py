"""The Control Center as the web shows it: jobs, computers, rounds, a user's runs and conflicts.

Also the rule for the history: administrators see everyone's; a user sees only their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.accounts.connections import services_of
from studiosync.control import jobs, views
from studiosync.control.computers import is_on, is_online, list_computers
from studiosync.control.models import ANY_COMPUTER, Job, Run, UserRun
from studiosync.doctor.catalogue import explain_code
from studiosync.errors import AccessError, ErrorCode, NotFoundError
from studiosync.studio.models import User
from studiosync.studio.validation import find_user
from studiosync.syncstate.models import SyncConflict
from studiosync.web.deps import is_admin
from studiosync.web.forms import user_key
from studiosync.wording.conflicts import reason_words as conflict_reason_words

COUNT_WORDS = (
    ("pushed_new", "sent to Google"),
    ("pushed_updated", "updated in Google"),
    ("pushed_deleted", "deleted in Google"),
    ("pulled_new", "new from Google"),
    ("pulled_updated", "updated from Google"),
    ("pulled_deleted", "deleted from Google"),
    ("conflicts", "conflicts"),
    ("skipped", "skipped"),
    ("skipped_tentative", "tentative not downloaded"),
    ("contacts_new", "new contacts"),
    ("contacts_updated", "updated contacts"),
)


def history_user(db: Session, me: User, key: str) -> User | None:
    """Whose history to show: ``key`` (administrators: anyone; else only oneself).

    No key means everyone for administrators, and oneself for everyone else.
    """
    if not key.strip():
        return None if is_admin(me) else me
    person = find_user(db, user_key(key))
    if person.id != me.id and not is_admin(me):
        raise AccessError(ErrorCode.OTHERS_SYNC_HISTORY, what="another user's runs and logs")
    return person


def visible_run(db: Session, me: User, run_id: int) -> Run:
    """A round: administrators see any; a user only one they were part of."""
    run = db.get(Run, run_id)
    if run is None:
        raise NotFoundError(entity="run", key=str(run_id), command="logs runs")
    if not is_admin(me):
        took_part = db.scalar(
            select(UserRun.id).where(UserRun.run_id == run_id, UserRun.user_id == me.id).limit(1)
        )
        if took_part is None:
            raise AccessError(ErrorCode.OTHERS_SYNC_HISTORY, what="a run you were not part of")
    return run


@dataclass(frozen=True)
class JobPanel:
    """One job with everything its panel shows and its forms need."""

    key: str
    enabled: bool
    computer: str | None
    view: views.JobView
    due: bool


def job_panels(db: Session, now: dt.datetime) -> list[JobPanel]:
    return [
        JobPanel(
            key=job.key,
            enabled=job.enabled,
            computer=job.computer,
            view=views.job_view(db, job, now),
            due=jobs.is_due(job, now),
        )
        for job in jobs.list_jobs(db)
    ]


def computer_choices(db: Session, job: Job | JobPanel) -> list[tuple[str, str]]:
    """Every computer that checked in, plus "any"; the chosen one first if it never checked in."""
    names = [row.name for row in list_computers(db)]
    choices = [(name, name) for name in names]
    choices.append((ANY_COMPUTER, "any computer that runs a processor"))
    if job.computer and job.computer != ANY_COMPUTER and job.computer not in names:
        choices.insert(0, (job.computer, f"{job.computer} (never checked in)"))
    return choices


@dataclass(frozen=True)
class ComputerRow:
    name: str
    state: str
    online: bool
    on: bool
    last_seen: str
    version: str
    reaches_google: bool
    google_error: str | None


def computer_rows(db: Session, now: dt.datetime) -> list[ComputerRow]:
    zone = jobs.studio_zone(db)
    return [
        ComputerRow(
            name=row.name,
            state=views.computer_state(row, now),
            online=is_online(row, now),
            on=is_on(row, now),
            last_seen=views.when(row.last_seen_at, zone),
            version=row.version,
            reaches_google=row.google_reachable,
            google_error=row.google_error,
        )
        for row in list_computers(db)
    ]


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def reason_words(code: str | None) -> str | None:
    """A stored reason code as its catalogue title ('No Google account is linked')."""
    if not code:
        return None
    try:
        return explain_code(ErrorCode(code)).title
    except ValueError:
        return code


def counts_in_words(counts: dict[str, int] | None) -> str:
    given = counts or {}
    said = [f"{given[key]} {words}" for key, words in COUNT_WORDS if given.get(key)]
    return ", ".join(said) or "nothing to change"


@dataclass(frozen=True)
class UserRunRow:
    """One user's part of one round."""

    id: int
    run_id: int
    login: str
    display_name: str
    started: str
    status: str
    reason: str | None
    duration: str
    counts: str


def user_runs(
    db: Session, *, user_id: int | None = None, run_id: int | None = None, limit: int = 50
) -> list[UserRunRow]:
    """The newest users' runs, of one user or of one round."""
    zone = jobs.studio_zone(db)
    query = (
        select(UserRun, Run.started_at, User.login, User.display_name)
        .join(Run, Run.id == UserRun.run_id)
        .join(User, User.id == UserRun.user_id)
    )
    if user_id is not None:
        query = query.where(UserRun.user_id == user_id)
    if run_id is not None:
        query = query.where(UserRun.run_id == run_id)
    rows = db.execute(query.order_by(UserRun.id.desc()).limit(limit)).all()
    return [
        UserRunRow(
            id=row.id,
            run_id=row.run_id,
            login=login,
            display_name=name,
            started=views.when(row.started_at or started, zone),
            status=row.status,
            reason=reason_words(row.reason),
            duration=duration(row.duration_seconds),
            counts="—" if row.status == "skipped" else counts_in_words(row.counts),
        )
        for row, started, login, name in rows
    ]


@dataclass(frozen=True)
class ConflictRow:
    """One entry of the conflict log: what lost, to what, and the losing version's fields."""

    id: int
    when: str
    login: str
    display_name: str
    appointment_id: int | None
    event_id: str | None
    reason: str
    winner: str
    loser: str
    losing: list[tuple[str, str]]
    winning_summary: str
    fields: str = ""
    service: str = "Google"
    """The user's calendar service, the other side of the conflict."""


def _moment(text: object, zone: ZoneInfo) -> dt.datetime | dt.date | None:
    try:
        value = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    if len(str(text)) == len("2026-05-06"):
        return value.date()
    return value.astimezone(zone) if value.tzinfo else value


def span_words(span: Any) -> str:
    """A stored span as people read it, in its own time zone: 'Wed 6 May 2026 16:00–17:00'."""
    if not isinstance(span, dict):
        return ""
    name = str(span.get("time_zone") or "UTC")
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        zone, name = ZoneInfo("UTC"), "UTC"
    start, end = _moment(span.get("start"), zone), _moment(span.get("end"), zone)
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        until = (
            f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a} {end.day} {end:%b %H:%M}"
        )
        return f"{start:%a} {start.day} {start:%b %Y %H:%M}–{until} ({name})"
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        last = end - dt.timedelta(days=1)  # all-day ends are exclusive
        days = f"{start.day} {start:%b %Y}" + (
            "" if last <= start else f" – {last.day} {last:%b %Y}"
        )
        return f"{days}, all day"
    return f"{span.get('start', '')} – {span.get('end', '')}"


def losing_fields(losing: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The losing version as label and value pairs; a deletion says so."""
    if not losing or "summary" not in losing:
        return [("Change", "a deletion")]
    fields = [
        ("Title", str(losing.get("summary") or "")),
        ("When", span_words(losing.get("span"))),
        ("Location", str(losing.get("location") or "")),
        ("Status", str(losing.get("status") or "")),
        ("Description", str(losing.get("description") or "")),
    ]
    return [(label, value) for label, value in fields if value]


def conflict_rows(
    db: Session, *, user_id: int | None = None, limit: int = 100
) -> list[ConflictRow]:
    zone = jobs.studio_zone(db)
    query = select(SyncConflict, User.login, User.display_name).join(
        User, User.id == SyncConflict.user_id
    )
    if user_id is not None:
        query = query.where(SyncConflict.user_id == user_id)
    rows = db.execute(query.order_by(SyncConflict.id.desc()).limit(limit)).all()
    services = services_of(db, {row.user_id for row, _login, _name in rows})
    found: list[ConflictRow] = []
    for row, login, name in rows:
        service = services.get(row.user_id, "Google")
        loser = "google" if row.winner == "studio" else "studio"
        found.append(
            ConflictRow(
                id=row.id,
                when=views.when(row.created_at, zone),
                login=login,
                display_name=name,
                appointment_id=row.appointment_id,
                event_id=row.event_id,
                reason=conflict_reason_words(row.reason, service),
                winner=_side(row.winner, service),
                loser=_side(loser, service),
                losing=losing_fields(row.losing),
                winning_summary=str((row.winning or {}).get("summary") or ""),
                fields=", ".join((row.fields or "").split(",")) if row.fields else "",
                service=service,
            )
        )
    return found


def _side(code: str, service: str) -> str:
    """A stored side as the conflict log names it: "the studio", or the user's service."""
    return {"studio": "the studio", "google": service}.get(code, code)
