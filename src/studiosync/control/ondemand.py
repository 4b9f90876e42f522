"""Syncs between the rounds: users asked for (bookings, Google notifications, "Sync now").

The processor on the job's computer looks every second or so. It turns new entries of the
studio's change feed into requests (only changes a sync has not already carried), takes the
waiting requests, and syncs those users at once as a small round of their own ("on request"),
through the same dispatcher and under the same per-user locks as the scheduled rounds. A user a
round is syncing just now keeps their request for the next look.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from studiosync.clock import Clock
from studiosync.context import Studio
from studiosync.control import jobs, locks, records
from studiosync.control.computers import designated_here
from studiosync.control.dispatch import Dispatcher, close_unfinished
from studiosync.control.eligibility import plan_users
from studiosync.control.models import LogLine, Run, UserRun
from studiosync.control.queues import queue_for
from studiosync.control.records import Status
from studiosync.control.requests import Reason, request_sync, take_requests
from studiosync.control.usersync import UserTurn
from studiosync.studio.feed import latest_seq
from studiosync.studio.models import Appointment, AppointmentChange
from studiosync.sync.result import Level
from studiosync.syncstate.models import SyncCursor, SyncMapping

log = logging.getLogger(__name__)
ON_REQUEST = "on-request"  # the mode of a round made of requested users
BATCH = 100


def unsynced_changes(session: Session, after: int) -> tuple[set[int], int]:
    """Users with a studio change after feed entry ``after`` that no sync has carried yet, and
    the newest entry looked at.

    A change is carried when the user's link already records the appointment's version (the
    sync wrote it, or pushed it); anything else (a new, changed or deleted appointment) is not.
    """
    head = latest_seq(session)
    if head <= after:
        return set(), after
    carried = and_(
        SyncMapping.user_id == AppointmentChange.user_id,
        SyncMapping.appointment_id == AppointmentChange.appointment_id,
    )
    rows = session.execute(
        select(AppointmentChange.user_id, Appointment.version, SyncMapping.studio_version)
        .outerjoin(Appointment, Appointment.id == AppointmentChange.appointment_id)
        .outerjoin(SyncMapping, carried)
        .where(AppointmentChange.seq > after, AppointmentChange.seq <= head)
    )
    users = {user for user, version, synced in rows if version is None or version != synced}
    return users, head


def _forget_if_quiet(session: Session, run_id: int) -> None:
    """A requested sync that changed nothing and said nothing leaves no round in the log (Google
    echoes each of our own writes, and a log of empty rounds says nothing); the users' last
    sync time is kept all the same."""
    rows = session.execute(
        select(UserRun.status, UserRun.counts).where(UserRun.run_id == run_id)
    ).all()
    quiet = all(
        status == Status.OK.value and not any((counts or {}).values()) for status, counts in rows
    )
    spoken = session.scalar(
        select(func.count())
        .select_from(LogLine)
        .where(LogLine.run_id == run_id, LogLine.level != Level.INFO.value)
    )
    if rows and quiet and not spoken:
        session.execute(delete(Run).where(Run.id == run_id))


def _oldest_cursor(session: Session) -> int:
    """The feed entry every user's sync has read up to (the newest one when none has synced)."""
    oldest = session.scalar(select(func.min(SyncCursor.feed_cursor)))
    return int(oldest) if oldest is not None else latest_seq(session)


@dataclass
class RequestedSyncs:
    """The processor's loop for users asked for between rounds (see the module docstring)."""

    studio: Studio
    turn: UserTurn
    dispatcher: Dispatcher
    computer: str
    job_key: str
    clock: Clock
    _feed_seen: int | None = field(default=None, init=False)

    def here(self) -> bool:
        """Whether this computer runs the job (and the job is on)."""
        with self.studio.transaction() as session:
            job = jobs.get_job(session, self.job_key)
            return job.enabled and designated_here(job.computer, self.computer)

    def watch_feed(self) -> None:
        """New studio changes become requests for the users they concern."""
        with self.studio.transaction() as session:
            if self._feed_seen is None:  # from where the least advanced user's sync got to
                self._feed_seen = _oldest_cursor(session)
            users, self._feed_seen = unsynced_changes(session, self._feed_seen)
            request_sync(session, users, Reason.STUDIO, self.clock.now())

    def step(self, stop: threading.Event) -> int:
        """One look: the feed, then the waiting requests; answers how many users were synced."""
        if not self.here():
            return 0
        self.watch_feed()
        now = self.clock.now()
        with self.studio.transaction() as session:
            taken = take_requests(session, BATCH)
            if not taken:
                return 0
            stale = self.turn.stale_after
            busy = {
                user
                for user in taken
                if locks.holder_in(
                    session, locks.user_lock_name(user), now=now, stale_after=stale
                ).owner
            }
            request_sync(session, busy, Reason.STUDIO, now)  # after the round that holds them
            wanted = [
                candidate
                for candidate in plan_users(session, now, only=set(taken) - busy)
                if candidate.skip is None
            ]
            if not wanted:
                return 0
            job = jobs.get_job(session, self.job_key)
            run = records.start_run(session, job.id, self.computer, ON_REQUEST, now)
            queued = records.add_users(session, run.id, wanted, now)
            run_id, queue = run.id, queue_for(job.computer)
        log.info("syncing %d user(s) on request", len(queued))
        self._dispatch(run_id, queued, queue, stop)
        return len(queued)

    def _dispatch(
        self, run_id: int, queued: Sequence[int], queue: str, stop: threading.Event
    ) -> None:
        started = self.clock.now()
        try:
            self.dispatcher.dispatch(run_id, queued, queue, stop)
        finally:
            waited = (self.clock.now() - started).total_seconds()
            close_unfinished(self.turn, run_id, queue, waited)
            with self.studio.transaction() as session:
                records.finish_run(session, run_id, self.clock.now())
                _forget_if_quiet(session, run_id)

    def serve(self, stop: threading.Event, poll_seconds: float) -> None:
        """Look until ``stop`` is set; an error in one look is logged and the loop goes on."""
        while not stop.is_set():
            try:
                self.step(stop)
            except Exception:
                log.exception("syncing the requested users failed; trying again")
            stop.wait(poll_seconds)
