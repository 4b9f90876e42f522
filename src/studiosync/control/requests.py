"""Syncs asked for outside the rounds: one waiting row per user, taken by the processor.

Anything may ask (the studio's change feed, a Google notification, "Sync now"); asking twice
before the processor comes by is one sync. Taking is a single DELETE … RETURNING, so two
processors never take the same request.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from studiosync.control import jobs
from studiosync.control.eligibility import plan_users
from studiosync.control.models import ANY_COMPUTER, SyncRequest
from studiosync.errors import ErrorCode, InputError
from studiosync.studio.models import User


class Reason(enum.StrEnum):
    """Why a user is synced outside a round."""

    STUDIO = "studio"  # an appointment of theirs changed in the studio
    GOOGLE = "google"  # Google said their calendar changed
    BY_HAND = "by-hand"  # someone pressed "Sync now"


def request_sync(
    session: Session, user_ids: Iterable[int], reason: Reason, now: dt.datetime
) -> None:
    """Ask for a sync of each user soon; a request already waiting keeps its time and reason."""
    rows = [
        {"user_id": user_id, "requested_at": now, "reason": reason.value}
        for user_id in sorted(set(user_ids))
    ]
    if not rows:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(SyncRequest).values(rows).on_conflict_do_nothing(index_elements=["user_id"])
    session.execute(statement)


def sync_now(session: Session, user_id: int, now: dt.datetime) -> str | None:
    """ "Sync now" for one user: asked for when they can sync and the job is on, else the reason.

    Answers the computer that will run it (None: any computer running a processor). Raises
    ``InputError`` with the reason the user is not synced (sync off, not linked, no
    calendar…) or the job's (disabled).
    """
    found = plan_users(session, now, only=[user_id])
    if not found:  # no Google tab yet (or not an active user): sync is off for them
        login = session.scalar(select(User.login).where(User.id == user_id)) or str(user_id)
        raise InputError(ErrorCode.CONTROL_SYNC_DISABLED, user=login)
    candidate = found[0]
    if candidate.skip is not None:
        raise InputError(candidate.skip.code, **candidate.skip.params)
    job = jobs.get_job(session)
    if not job.enabled:
        raise InputError(ErrorCode.CONTROL_JOB_DISABLED, field="job", job=job.name)
    request_sync(session, [user_id], Reason.BY_HAND, now)
    chosen = (job.computer or "").strip()
    return None if not chosen or chosen.casefold() == ANY_COMPUTER else chosen


def take_requests(session: Session, limit: int = 100) -> dict[int, Reason]:
    """Take (and remove) up to ``limit`` waiting requests, oldest first: user id → reason."""
    oldest = (
        select(SyncRequest.user_id)
        .order_by(SyncRequest.requested_at, SyncRequest.user_id)
        .limit(limit)
        .scalar_subquery()
    )
    taken = session.execute(
        delete(SyncRequest)
        .where(SyncRequest.user_id.in_(oldest))
        .returning(SyncRequest.user_id, SyncRequest.reason)
    )
    return {user_id: Reason(reason) for user_id, reason in taken}


def waiting(session: Session) -> dict[int, dt.datetime]:
    """The users with a request waiting, and since when."""
    rows = session.execute(select(SyncRequest.user_id, SyncRequest.requested_at))
    return {user_id: at for user_id, at in rows}  # noqa: C416 (rows, not pairs, to mypy)
