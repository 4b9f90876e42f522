"""A big round hands users out in batches: each user is still claimed, synced, recorded and let
go on their own terms: a failure, a busy user or an email stays that user's."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from control_world import ScriptedSyncer, add_user, make_processor, ready_job
from sqlalchemy import select

from studiosync.clock import FakeClock
from studiosync.context import Studio
from studiosync.control import locks
from studiosync.control.models import Lock, UserRun
from studiosync.errors import ErrorCode
from studiosync.studio.models import User
from studiosync.sync.result import RunResult

USERS = 40  # 4 threads' worth of batches of 10 (one thread here: four batches in a row)


@dataclass
class BatchingSyncer(ScriptedSyncer):
    """A scripted syncer with batches of its own: it notes each batch's users, and whether
    its runs were settled before the round recorded them."""

    batches: list[list[int]] = field(default_factory=list)
    settled: list[int] = field(default_factory=list)
    studio: Studio | None = None
    recorded_unsettled: list[int] = field(default_factory=list)

    def batch(self, studio: Studio, user_ids: Sequence[int]) -> _Batch:
        self.batches.append(list(user_ids))
        return _Batch(self, studio)


@dataclass
class _Batch:
    syncer: BatchingSyncer
    studio: Studio
    ran: list[int] = field(default_factory=list)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def run(self, user_id: int) -> RunResult:
        with self.guard:
            self.ran.append(user_id)
        return self.syncer(self.studio, user_id)

    def settle(self) -> None:
        with self.studio.transaction() as session:  # nobody settled may be recorded yet
            recorded = session.scalars(
                select(UserRun.user_id).where(
                    UserRun.user_id.in_(self.ran), UserRun.finished_at.is_not(None)
                )
            )
            self.syncer.recorded_unsettled.extend(recorded)
        self.syncer.settled.extend(self.ran)
        self.ran = []


def _users(studio: Studio) -> dict[str, int]:
    with studio.transaction() as session:
        ids = {login: add_user(session, login) for login in [f"u{n:02d}" for n in range(USERS)]}
        ready_job(session)
    return ids


def test_a_big_round_goes_in_batches_and_each_user_keeps_their_own_outcome(
    studio: Studio, clock: FakeClock
) -> None:
    ids = _users(studio)
    crashes, held = ids["u05"], ids["u06"]
    with studio.transaction() as session:  # another worker is syncing u06 right now
        assert locks.take(
            session,
            locks.user_lock_name(held),
            "desk-2/999/elsewhere",
            ttl=locks.USER_LOCK_TTL,
            now=clock.now(),
            stale_after=None,
        )

    def crash(studio: Studio, user_id: int) -> RunResult:
        raise RuntimeError("the engine fell over")

    syncer = BatchingSyncer(script={crashes: crash})
    syncer.studio = studio
    outcome = make_processor(studio, syncer, clock, concurrency=1).tick()

    assert outcome is not None
    assert sorted(len(batch) for batch in syncer.batches) == [9, 10, 10, 10]  # u06 held
    assert sorted(syncer.settled) == sorted(set(ids.values()) - {held})
    assert syncer.recorded_unsettled == [], "a run is recorded only after its batch settled it"
    with studio.transaction() as session:
        rows = {
            login: (row.status, row.reason)
            for row, login in session.execute(
                select(UserRun, User.login)
                .join(User, User.id == UserRun.user_id)
                .where(UserRun.run_id == outcome.run_id)
            )
        }
        still_held = list(
            session.scalars(
                select(Lock.name).where(Lock.owner.is_not(None), Lock.name != f"user:{held}")
            )
        )
    assert rows.pop("u05") == ("error", ErrorCode.CONTROL_SYNCER_FAILED.value)
    assert rows.pop("u06") == ("skipped", ErrorCode.CONTROL_USER_BUSY.value)
    assert set(rows.values()) == {("ok", None)}
    assert [name for name in still_held if name.startswith("user:")] == []


def test_a_syncer_without_batches_is_called_for_each_user(studio: Studio, clock: FakeClock) -> None:
    ids = _users(studio)
    syncer = ScriptedSyncer()
    outcome = make_processor(studio, syncer, clock, concurrency=2).tick()
    assert outcome is not None
    assert outcome.users_ok == USERS
    assert all(syncer.calls[user] == 1 for user in ids.values())
