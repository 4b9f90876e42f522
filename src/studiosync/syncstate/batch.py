"""Several users' runs whose first reads are made together and whose cursors are saved together.

A round of thousands of quiet users is mostly fixed cost per user: a transaction to read the
user's options and sign-in, one for the cursors, one for the studio's feed, one to save the
cursors. A batch reads the first three for all its users in one transaction and keeps each
quick run's last cursors until ``settle`` writes them all in one more; the engine is the same
and sees the same ports. A run that lasts longer than ``BUFFER_SECONDS`` (a Populate, a big
pull) saves its cursors at once, as a run of its own does, so its checkpoints survive a crash.
Cursors saved late are safe: a run that never saved them is simply pulled again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, sessionmaker

from studiosync.accounts.models import Connection, DavAccount, GoogleAccount
from studiosync.context import Studio
from studiosync.errors import StudioSyncError
from studiosync.providers.base import Provider
from studiosync.studio.company import get_company
from studiosync.studio.feed import changes_since_each, latest_seq
from studiosync.studio.models import User
from studiosync.sync.options import Pacing, SyncOptions
from studiosync.sync.records import StudioChange, SyncCursors
from studiosync.sync.result import RunResult
from studiosync.syncstate.pacing_settings import pacing_from_environment
from studiosync.syncstate.runner import ready_in, sync_user, sync_user_with
from studiosync.syncstate.store import SqlStateStore, read_cursors, write_cursors
from studiosync.syncstate.studio_side import DbStudioCalendar

BUFFER_SECONDS = 1.0
"""A run's cursors are kept for ``settle`` only while the run is younger than this."""

log = logging.getLogger(__name__)


@dataclass
class _Prepared:
    """What a batch read for one user before its run."""

    ready: tuple[SyncOptions, Provider] | StudioSyncError
    cursors: SyncCursors
    feed: list[StudioChange] | None  # None: not read (the user has no feed cursor yet)


@dataclass
class _Reads:
    prepared: dict[int, _Prepared] = field(default_factory=dict)
    feed_head: int = 0


class _KeptState(SqlStateStore):
    """The state store of one run in a batch: its cursors as read with the batch, and saves
    kept for ``settle`` while the run is young."""

    def __init__(self, sessions: sessionmaker[Session], user_id: int, cursors: SyncCursors):
        super().__init__(sessions)
        self._user_id = user_id
        self._read = cursors
        self._began = time.monotonic()
        self.unsaved: SyncCursors | None = None

    def cursors(self, user_id: int) -> SyncCursors:
        if user_id != self._user_id:
            return super().cursors(user_id)
        return self.unsaved or self._read

    def save_cursors(self, user_id: int, cursors: SyncCursors) -> None:
        if user_id == self._user_id and time.monotonic() - self._began < BUFFER_SECONDS:
            self.unsaved = cursors
            return
        super().save_cursors(user_id, cursors)
        if user_id == self._user_id:
            self._read, self.unsaved = cursors, None


class _ReadCalendar(DbStudioCalendar):
    """The studio side of one run in a batch: the feed as read with the batch."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        user_id: int,
        cursor: int | None,
        feed: list[StudioChange] | None,
        head: int,
    ):
        super().__init__(sessions)
        self._user_id, self._cursor, self._feed, self._head = user_id, cursor, feed, head

    def feed_head(self) -> int:
        return self._head

    def changes_since(self, user_id: int, cursor: int) -> Sequence[StudioChange]:
        if self._feed is not None and (user_id, cursor) == (self._user_id, self._cursor):
            return self._feed
        return super().changes_since(user_id, cursor)


class SyncBatch:
    """The runs of ``user_ids``; ``run`` one at a time (any order), then ``settle``."""

    def __init__(self, studio: Studio, user_ids: Collection[int], pacing: Pacing | None = None):
        self.studio = studio
        self._pacing = pacing or pacing_from_environment()
        self._reads = self._read(list(user_ids))
        self._unsaved: dict[int, SyncCursors] = {}

    def _read(self, user_ids: list[int]) -> _Reads:
        """Everyone's options, sign-in, cursors and feed, in one transaction; when that fails,
        nobody's (each run then reads its own, and meets the failure there)."""
        try:
            with self.studio.transaction() as session:
                return self._read_in(session, user_ids)
        except Exception:
            log.warning("reading a batch of %d users together failed", len(user_ids), exc_info=True)
            return _Reads()

    def _read_in(self, session: Session, user_ids: list[int]) -> _Reads:
        users = session.scalars(
            select(User).where(User.id.in_(user_ids)).options(joinedload(User.google))
        ).unique()
        held: list[object] = []  # held: the sign-ins below find them loaded
        for table in (Connection, GoogleAccount, DavAccount):
            held.extend(session.scalars(select(table).where(table.user_id.in_(user_ids))))
        company = get_company(session)
        cursors = read_cursors(session, user_ids)
        feeds = changes_since_each(
            session,
            {uid: c.feed_cursor for uid, c in cursors.items() if c.feed_cursor is not None},
        )
        reads = _Reads(feed_head=latest_seq(session))
        for user in users:
            try:
                ready: tuple[SyncOptions, Provider] | StudioSyncError = ready_in(
                    session, self.studio, user, company, self._pacing
                )
            except StudioSyncError as error:  # the run says why it cannot start
                ready = error
            read = cursors.get(user.id, SyncCursors())
            feed = feeds.get(user.id)
            reads.prepared[user.id] = _Prepared(
                ready,
                read,
                None
                if feed is None
                else [StudioChange(c.seq, c.appointment_id, c.kind.value) for c in feed],
            )
        del held
        return reads

    def run(self, user_id: int) -> RunResult:
        prepared = self._reads.prepared.pop(user_id, None)
        if prepared is None:
            return sync_user(self.studio, user_id)  # not read with the others: on its own
        if isinstance(prepared.ready, StudioSyncError):
            raise prepared.ready
        options, provider = prepared.ready
        sessions = self.studio.sessions
        state = _KeptState(sessions, user_id, prepared.cursors)
        calendar = _ReadCalendar(
            sessions,
            user_id,
            prepared.cursors.feed_cursor,
            prepared.feed,
            self._reads.feed_head,
        )
        try:
            return sync_user_with(self.studio, options, provider, state=state, calendar=calendar)
        finally:
            if state.unsaved is not None:
                self._unsaved[user_id] = state.unsaved

    def settle(self) -> None:
        """Save the cursors the runs so far kept back, in one transaction."""
        if not self._unsaved:
            return
        with self.studio.transaction() as session:
            write_cursors(session, self._unsaved)
        self._unsaved = {}


class StudioSyncer:
    """The processor's syncer: one user (``__call__``) or a batch of users (``batch``)."""

    import_path = "studiosync.syncstate.batch:SYNCER"

    def __call__(self, studio: Studio, user_id: int) -> RunResult:
        return sync_user(studio, user_id)

    def batch(self, studio: Studio, user_ids: Collection[int]) -> SyncBatch:
        return SyncBatch(studio, user_ids)


SYNCER = StudioSyncer()
