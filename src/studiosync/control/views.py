"""The Control Center as people read it: jobs, computers and rounds turned into words."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from studiosync.control import jobs
from studiosync.control.computers import find_computer, is_on, is_online, list_computers
from studiosync.control.models import ANY_COMPUTER, Computer, Job, Run
from studiosync.errors import ErrorCode, InputError
from studiosync.wording import times

_AGO = re.compile(r"^(\d+)\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def when(moment: dt.datetime | None, zone: str, now: dt.datetime | None = None) -> str:
    """ "today at 14:50", "in 3 minutes (today at 14:53)", or "—" for a moment that never was."""
    if moment is None:
        return "—"
    return times.when(moment, times.zone_of(zone), now or dt.datetime.now(dt.UTC))


def computer_state(computer: Computer | None, now: dt.datetime) -> str:
    """ "online", "on, but cannot reach Google (…)", "off or unreachable since …", "never seen"."""
    if computer is None:
        return "never seen"
    if is_online(computer, now):
        return "online"
    if is_on(computer, now):
        return f"on, but cannot reach Google ({computer.google_error or 'no answer'})"
    return "off or disconnected"


@dataclass(frozen=True)
class JobView:
    name: str
    enabled: str
    schedule: str
    words: str
    computer: str
    computer_state: str
    last_run: str
    next_run: str


def job_view(session: Session, job: Job, now: dt.datetime) -> JobView:
    zone = jobs.studio_zone(session)
    if job.computer is None:
        chosen, state = "— not chosen —", "choose the computer that runs it"
    elif job.computer == ANY_COMPUTER:
        chosen = ANY_COMPUTER
        online = [row.name for row in list_computers(session) if is_online(row, now)]
        state = f"online now: {', '.join(online)}" if online else "no computer online"
    else:
        chosen, state = job.computer, computer_state(find_computer(session, job.computer), now)
    return JobView(
        name=job.name,
        enabled="yes" if job.enabled else "no",
        schedule=job.schedule,
        words=jobs.job_schedule(job).describe(zone),
        computer=chosen,
        computer_state=state,
        last_run=when(job.last_run_at, zone),
        next_run=when(job.next_run_at, zone) if job.enabled else "— disabled —",
    )


def computer_rows(session: Session, now: dt.datetime) -> list[tuple[str, ...]]:
    zone = jobs.studio_zone(session)
    return [
        (
            row.name,
            computer_state(row, now),
            when(row.last_seen_at, zone),
            row.version,
            "yes" if row.google_reachable else f"no ({row.google_error or 'no answer'})",
        )
        for row in list_computers(session)
    ]


def run_row(run: Run, zone: str) -> tuple[str, ...]:
    took = f"{run.duration_seconds:.1f} s" if run.duration_seconds is not None else "—"
    return (
        str(run.id),
        when(run.started_at, zone),
        run.computer,
        run.mode,
        run.status,
        str(run.users_ok),
        str(run.users_warning),
        str(run.users_error),
        str(run.users_skipped),
        took,
    )


def parse_since(text: str, now: dt.datetime, zone: str) -> dt.datetime:
    """ "2h", "30m", "7d" back from now, or a date / date-time in the studio's time zone."""
    cleaned = text.strip().lower()
    ago = _AGO.match(cleaned)
    if ago:
        return now - dt.timedelta(**{_UNITS[ago[2]]: int(ago[1])})
    try:
        moment = dt.datetime.fromisoformat(cleaned)
    except ValueError as error:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="since",
            value=text,
            reason="give an age such as 30m, 2h or 7d, or a date such as 2026-12-05 14:30",
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(dt.UTC)
