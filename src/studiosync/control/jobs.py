"""Control Center jobs: enable, disable, schedule, choose the computer, run now, when next."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.control.computers import find_computer, list_computers
from studiosync.control.models import ANY_COMPUTER, GOOGLE_SYNC_JOB, Job
from studiosync.control.schedule import Schedule, jitter_limit, parse_schedule
from studiosync.errors import ErrorCode, InputError, NotFoundError
from studiosync.studio.company import get_company

Jitter = Callable[[float], float]  # given the most seconds allowed, how many to add


def random_jitter(limit_seconds: float) -> float:
    return random.uniform(0.0, limit_seconds)


def get_job(session: Session, key: str = GOOGLE_SYNC_JOB) -> Job:
    job = session.scalar(select(Job).where(Job.key == key))
    if job is None:
        raise NotFoundError(entity="job", key=key, command="job")
    return job


def list_jobs(session: Session) -> list[Job]:
    return list(session.scalars(select(Job).order_by(Job.id)))


def studio_zone(session: Session) -> str:
    return get_company(session).time_zone


def job_schedule(job: Job) -> Schedule:
    return parse_schedule(job.schedule)


def enable(session: Session, now: dt.datetime, key: str = GOOGLE_SYNC_JOB) -> Job:
    """Enable the job; refused while no computer is chosen to run it. It is due at once."""
    job = get_job(session, key)
    if not job.computer:
        raise InputError(ErrorCode.CONTROL_NO_COMPUTER, field="computer", job=job.name)
    if not job.enabled:
        job.enabled = True
        job.next_run_at = now
    session.flush()
    return job


def disable(session: Session, key: str = GOOGLE_SYNC_JOB) -> Job:
    job = get_job(session, key)
    job.enabled = False
    session.flush()
    return job


def set_schedule(
    session: Session,
    text: str,
    now: dt.datetime,
    key: str = GOOGLE_SYNC_JOB,
    jitter: Jitter = random_jitter,
) -> Job:
    """Change the schedule (validated); the next run is worked out from it at once."""
    schedule = parse_schedule(text)
    job = get_job(session, key)
    job.schedule = schedule.text
    base = job.last_run_at or now
    job.next_run_at = max(now, next_run(schedule, base, studio_zone(session), jitter))
    session.flush()
    return job


def set_computer(session: Session, name: str, key: str = GOOGLE_SYNC_JOB) -> Job:
    """Choose the computer that runs the job: one that has checked in, or "any"."""
    chosen = name.strip()
    if not chosen:
        raise InputError(ErrorCode.FIELD_REQUIRED, field="computer")
    job = get_job(session, key)
    if chosen.casefold() == ANY_COMPUTER:
        job.computer = ANY_COMPUTER
    else:
        known = find_computer(session, chosen)
        if known is None:
            names = ", ".join(row.name for row in list_computers(session)) or "none yet"
            raise InputError(
                ErrorCode.CONTROL_UNKNOWN_COMPUTER, field="computer", computer=chosen, known=names
            )
        job.computer = known.name
    session.flush()
    return job


def run_now(session: Session, now: dt.datetime, key: str = GOOGLE_SYNC_JOB) -> Job:
    """Mark the job due, so the processor's next tick runs it at once; refused when disabled."""
    job = get_job(session, key)
    if not job.enabled:
        raise InputError(ErrorCode.CONTROL_JOB_DISABLED, field="job", job=job.name)
    job.next_run_at = now
    session.flush()
    return job


def is_due(job: Job, now: dt.datetime) -> bool:
    return job.enabled and (job.next_run_at is None or job.next_run_at <= now)


def next_run(schedule: Schedule, after: dt.datetime, zone: str, jitter: Jitter) -> dt.datetime:
    """The schedule's next time after ``after``, moved a little later by a random jitter."""
    planned = schedule.next_after(after, zone)
    spread = jitter_limit(schedule, after, zone).total_seconds()
    return planned + dt.timedelta(seconds=jitter(spread))


def round_done(
    session: Session,
    job: Job,
    started: dt.datetime,
    finished: dt.datetime,
    jitter: Jitter = random_jitter,
) -> None:
    """Record a finished round and plan the next one (never in the past)."""
    job.last_run_at = started
    planned = next_run(job_schedule(job), started, studio_zone(session), jitter)
    if planned <= finished:
        planned = next_run(job_schedule(job), finished, studio_zone(session), jitter)
    job.next_run_at = planned
    session.flush()
