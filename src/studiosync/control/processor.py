"""The Calendar Sync Processor: heartbeat, daily prune and digests, and rounds when due, leased."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field

from sqlalchemy import select

from studiosync.accounts.channels import ChannelUpkeep, keep_channels
from studiosync.accounts.endpoints import google_endpoints
from studiosync.clock import Clock, SystemClock
from studiosync.context import Studio
from studiosync.control import digests, history, jobs, locks, records
from studiosync.control.computers import HEARTBEAT_INTERVAL, computer_name, designated_here
from studiosync.control.computers import heartbeat as check_in
from studiosync.control.config import ControlSettings
from studiosync.control.dispatch import Dispatcher, ThreadDispatcher, close_unfinished
from studiosync.control.eligibility import plan_users
from studiosync.control.emails import Sender, email_user, send_with_smtp
from studiosync.control.models import GOOGLE_SYNC_JOB, LogLine, Run, UserRun
from studiosync.control.ondemand import RequestedSyncs
from studiosync.control.queues import queue_for
from studiosync.control.syncer import UserSyncer
from studiosync.control.usersync import UserTurn
from studiosync.sync.result import Level

log = logging.getLogger(__name__)
DIGEST_CHECK_EVERY = dt.timedelta(minutes=1)
CHANNELS_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class RoundOutcome:
    """What a finished round came to."""

    run_id: int
    status: str
    users_ok: int
    users_warning: int
    users_error: int
    users_skipped: int


@dataclass
class Processor:
    """Runs the job on this computer when it is designated ("any" included) and due.

    A round holds the job's lease (one round at a time across every computer); inside it users
    go to the dispatcher (threads here, or Celery workers in scale-out mode), each under its
    own lock. Both locks carry a heartbeat while held; one not heard from for
    ``lock_stale_after`` belongs to a processor or worker that died, and is taken over.
    """

    studio: Studio
    syncer: UserSyncer
    clock: Clock = field(default_factory=SystemClock)
    computer: str = ""
    concurrency: int = 4
    jitter: jobs.Jitter = jobs.random_jitter
    send: Sender = send_with_smtp
    dispatcher: Dispatcher | None = None
    job_key: str = GOOGLE_SYNC_JOB
    retention_days: int = 30
    probe_timeout: float = 3.0
    lock_stale_after: dt.timedelta = locks.STALE_AFTER
    _last_heartbeat: dt.datetime | None = field(default=None, init=False)
    _last_digests: dt.datetime | None = field(default=None, init=False)
    _last_channels: dt.datetime | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not self.computer:
            self.computer = computer_name(self.studio.settings)
        self.turn = UserTurn(
            studio=self.studio,
            syncer=self.syncer,
            clock=self.clock,
            worker=self.computer,
            send=self.send,
            stale_after=self.lock_stale_after,
        )
        if self.dispatcher is None:
            self.dispatcher = ThreadDispatcher(self.turn, self.concurrency)

    @classmethod
    def from_settings(cls, studio: Studio, syncer: UserSyncer, **overrides: object) -> Processor:
        """A processor set up from STUDIOSYNC_* settings (Celery when a broker is set)."""
        control = ControlSettings()
        processor = cls(
            studio=studio,
            syncer=syncer,
            concurrency=control.processor_concurrency,
            retention_days=control.log_retention_days,
            lock_stale_after=control.lock_stale_after,
            **overrides,  # type: ignore[arg-type]
        )
        broker = studio.settings.broker_url
        if not broker and control.processor_processes > 1 and "dispatcher" not in overrides:
            from studiosync.control.processes import ProcessDispatcher

            processor.dispatcher = ProcessDispatcher(
                studio, processor.turn, control.processor_processes, control.processor_concurrency
            )
        if broker and "dispatcher" not in overrides:
            from studiosync.control import scaleout

            scaleout.require_shared_database(studio.settings)
            app = scaleout.make_celery(broker)
            processor.dispatcher = scaleout.CeleryDispatcher(
                studio, app, processor.turn, control.round_timeout_seconds
            )
        return processor

    def heartbeat(self, *, force: bool = False) -> None:
        now = self.clock.now()
        if (
            force
            or self._last_heartbeat is None
            or now - self._last_heartbeat >= HEARTBEAT_INTERVAL
        ):
            check_in(self.studio, self.clock, name=self.computer, timeout=self.probe_timeout)
            self._last_heartbeat = now

    def send_digests(self) -> int:
        """Yesterday's detailed-log digests, looked for at most once a minute."""
        now = self.clock.now()
        if self._last_digests is not None and now - self._last_digests < DIGEST_CHECK_EVERY:
            return 0
        self._last_digests = now
        try:
            return digests.send_due(self.studio, self.clock, self.send)
        except Exception:
            log.exception("sending the daily digests failed; trying again in a minute")
            return 0

    def keep_channels(self) -> ChannelUpkeep | None:
        """Google push channels opened, renewed or stopped, looked at once a minute."""
        now = self.clock.now()
        if self._last_channels is not None and now - self._last_channels < CHANNELS_EVERY:
            return None
        self._last_channels = now
        control = ControlSettings()
        try:
            return keep_channels(
                self.studio,
                google_endpoints(self.studio.settings),
                now,
                control.public_url,
                dt.timedelta(hours=control.push_channel_hours),
            )
        except Exception:
            log.exception("looking after Google's notification channels failed; again in a minute")
            return None

    def tick(self, stop: threading.Event | None = None) -> RoundOutcome | None:
        """One step: check in, prune once a day, look after push channels, and run a round if
        it is due here."""
        self.heartbeat()
        history.prune_daily(self.studio, self.clock, self.computer, self.retention_days)
        self.send_digests()
        with self.studio.transaction() as session:
            job = jobs.get_job(session, self.job_key)
            here = job.enabled and designated_here(job.computer, self.computer)
            due = here and jobs.is_due(job, self.clock.now())
        if here:
            self.keep_channels()
        if not due:
            return None
        return self.run_round(stop=stop)

    def run_round(
        self, *, manual: bool = False, stop: threading.Event | None = None
    ) -> RoundOutcome | None:
        """Run one round under the job's lease; None when another round holds it (or, unless
        ``manual``, the job stopped being due meanwhile)."""
        lease = locks.round_lease_name(self.job_key)
        owner = locks.new_owner(self.computer)
        ttl, stale_after = locks.ROUND_LEASE_TTL, self.lock_stale_after
        if not locks.try_acquire(
            self.studio, lease, owner, ttl=ttl, clock=self.clock, stale_after=stale_after
        ):
            return None
        try:
            with locks.kept_alive(
                self.studio, lease, owner, ttl=ttl, clock=self.clock, stale_after=stale_after
            ):
                return self._round(manual, stop or threading.Event())
        finally:
            locks.release(self.studio, lease, owner)

    def round_holder(self) -> locks.Holder:
        """Who holds the job's round lease now (owner None when nobody, or a dead holder)."""
        return locks.holder(
            self.studio,
            locks.round_lease_name(self.job_key),
            clock=self.clock,
            stale_after=self.lock_stale_after,
        )

    def _round(self, manual: bool, stop: threading.Event) -> RoundOutcome | None:
        assert self.dispatcher is not None
        started = self.clock.now()
        with self.studio.transaction() as session:
            job = jobs.get_job(session, self.job_key)
            if not manual and not jobs.is_due(job, started):
                return None
            for dead in records.close_abandoned(session, job.id, started):
                log.warning("round %s was left unfinished by a processor that stopped", dead)
            mode = "manual" if manual else self.dispatcher.mode
            run = records.start_run(session, job.id, self.computer, mode, started)
            reconcile = ControlSettings().push_reconcile_every
            users = plan_users(session, started, pushed_within=reconcile)
            queued = records.add_users(session, run.id, users, started)
            run_id, queue = run.id, self._queue(job.computer)
        log.info("round %s started on %s: %d user(s) to sync", run_id, self.computer, len(queued))
        self._email_skipped(run_id)
        try:
            self.dispatcher.dispatch(run_id, queued, queue, stop)
        finally:
            close_unfinished(self.turn, run_id, queue, (self.clock.now() - started).total_seconds())
        finished = self.clock.now()
        with self.studio.transaction() as session:
            done = records.finish_run(session, run_id, finished)
            jobs.round_done(
                session, jobs.get_job(session, self.job_key), started, finished, self.jitter
            )
            outcome = _outcome(done)
        log.info("round %s finished: %s", run_id, outcome.status)
        return outcome

    def _queue(self, designated: str | None) -> str:
        return queue_for(designated if designated else self.computer)

    def _email_skipped(self, run_id: int) -> None:
        """Skipped users whose skip is their problem to fix (not linked, re-auth...) hear of it."""
        with self.studio.transaction() as session:
            ids = list(
                session.scalars(
                    select(UserRun.id)
                    .join(LogLine, LogLine.user_run_id == UserRun.id)
                    .where(
                        UserRun.run_id == run_id,
                        UserRun.status == records.Status.SKIPPED.value,
                        LogLine.level == Level.WARNING.value,
                    )
                    .distinct()
                )
            )
        for user_run_id in ids:
            try:
                email_user(self.studio, user_run_id, clock=self.clock, send=self.send)
            except Exception:
                log.exception("emailing skipped user run %s failed", user_run_id)

    def requested(self) -> RequestedSyncs:
        """The loop that syncs users asked for between rounds, with this processor's parts."""
        assert self.dispatcher is not None
        return RequestedSyncs(
            self.studio, self.turn, self.dispatcher, self.computer, self.job_key, self.clock
        )

    def serve(
        self, stop: threading.Event, poll_seconds: float = 5.0, request_seconds: float | None = None
    ) -> None:
        """Tick until ``stop`` is set; an error in one tick is logged and the loop goes on.

        Meanwhile a second thread syncs the users asked for between rounds (every
        ``request_seconds``, by default STUDIOSYNC_REQUEST_POLL_SECONDS).
        """
        log.info("processor on %s started", self.computer)
        every = request_seconds or ControlSettings().request_poll_seconds
        requested = threading.Thread(
            target=self.requested().serve, args=(stop, every), name="requested-syncs", daemon=True
        )
        requested.start()
        while not stop.is_set():
            try:
                self.tick(stop)
            except Exception:
                log.exception("processor tick failed; trying again in %s s", poll_seconds)
            stop.wait(poll_seconds)
        requested.join(30)
        close = getattr(self.dispatcher, "close", None)
        if close is not None:
            close()
        log.info("processor on %s stopped", self.computer)


def _outcome(run: Run) -> RoundOutcome:
    return RoundOutcome(
        run_id=run.id,
        status=run.status,
        users_ok=run.users_ok,
        users_warning=run.users_warning,
        users_error=run.users_error,
        users_skipped=run.users_skipped,
    )
