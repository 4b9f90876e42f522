"""Random edits on both sides, injected faults, then sync: both sides end as the policy says.

Two users sync two-way with the same conflict policy. Every edit sets a new start time (a
marker) or a new title, or deletes; the model remembers each side's state and when it last
changed. A sync rule runs once with faults (5xx, 429, answers lost after the work was done,
etag races, expired tokens, crashes) and once without, then checks: no duplicates, every pair
equal on both sides, each item as the policy says, and every losing version in the conflict log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from dataclasses import dataclass, field

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sync_world import TAG, World

from studiosync.errors import ErrorCode, ProviderError, RateLimitedError, TransientError
from studiosync.providers.base import EventTime, RemoteEvent
from studiosync.providers.memory import Call
from studiosync.sync import mapping as m
from studiosync.sync.options import BulkDeleteGuard, ConflictPolicy
from studiosync.sync.records import ConflictRecord, Side, TimedSpan

USERS = (1, 2)
BASE = dt.datetime(2024, 4, 1, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
STEPS: list[int] = []


@dataclass(frozen=True)
class Look:
    """What one side shows for an item: its start (the marker) and its title."""

    start: dt.datetime
    title: str


@dataclass
class Item:
    user: int
    origin: Side
    appointment_id: int | None = None
    event_id: str | None = None
    agreed: Look | None = None
    studio: Look | None = None
    google: Look | None = None
    studio_at: dt.datetime | None = None
    google_at: dt.datetime | None = None
    ignored: bool = False
    series: str | None = None
    gone: bool = False

    @property
    def studio_changed(self) -> bool:
        return self.studio != self.agreed

    @property
    def google_changed(self) -> bool:
        return self.google != self.agreed


@dataclass
class Expectation:
    look: Look | None
    loser: Look | None = None
    conflict: bool = False
    reworded: str | None = None
    records: list[ConflictRecord] = field(default_factory=list)


class TwoWaySync(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.world = World()
        self.items: list[Item] = []
        self.markers = 0
        self.policy = ConflictPolicy.STUDIO_WINS
        self.seen_records: dict[int, int] = {}

    # -- set-up and helpers ------------------------------------------------------------------

    @initialize(policy=st.sampled_from(list(ConflictPolicy)))
    def start(self, policy: ConflictPolicy) -> None:
        """Both users start with synced appointments and events, a series among them."""
        self.policy = policy
        for user in USERS:
            self.run_sync(user)
            self.studio_book(user)
            self.studio_book(user)
            self.google_create(user, tentative=False, repeats=1)
            self.google_create(user, tentative=user == 2, repeats=3 if user == 1 else 1)
        self.sync(faulty=False, expire=False, seed=0)

    def options(self) -> dict[str, object]:
        return {"conflict_policy": self.policy, "bulk_delete": BulkDeleteGuard(minimum=10_000)}

    def run_sync(self, user: int) -> None:
        result = self.world.sync(user, **self.options())
        assert result.stopped is None, result.log

    def marker(self) -> dt.datetime:
        self.markers += 1
        return BASE + self.markers * HOUR

    def now(self) -> dt.datetime:
        self.world.clock.tick(1)
        return self.world.clock.now()

    def pick(self, index: int, *, studio: bool = False, google: bool = False) -> Item | None:
        live = [
            item
            for item in self.items
            if not item.gone
            and not item.ignored
            and (not studio or item.studio is not None)
            and (not google or (item.google is not None and item.event_id is not None))
        ]
        return live[index % len(live)] if live else None

    def span(self, start: dt.datetime) -> TimedSpan:
        return TimedSpan(start, start + HOUR, "Europe/Paris")

    def times(self, start: dt.datetime) -> dict[str, EventTime]:
        return {"start": EventTime(date_time=start), "end": EventTime(date_time=start + HOUR)}

    # -- the studio staff --------------------------------------------------------------------

    @rule(user=st.sampled_from(USERS))
    def studio_book(self, user: int) -> None:
        look = Look(self.marker(), f"s{self.markers}")
        at = self.now()  # each studio change is stamped with the time the studio records
        booked = self.world.studio.book([user], title=look.title, span=self.span(look.start))
        self.items.append(Item(user, Side.STUDIO, booked.id, studio=look, studio_at=at))

    @rule(index=st.integers(0, 1000))
    def studio_move(self, index: int) -> None:
        item = self.pick(index, studio=True)
        if item is None or item.studio is None or item.appointment_id is None:
            return
        item.studio = Look(self.marker(), item.studio.title)
        item.studio_at = self.now()
        self.world.studio.edit(item.appointment_id, span=self.span(item.studio.start))

    @rule(index=st.integers(0, 1000), cancel=st.booleans())
    def studio_delete(self, index: int, cancel: bool) -> None:
        item = self.pick(index, studio=True)
        if item is None or item.appointment_id is None:
            return
        item.studio, item.studio_at = None, self.now()
        if cancel:
            self.world.studio.cancel(item.appointment_id)
        else:
            self.world.studio.remove(item.appointment_id)

    @rule(index=st.integers(0, 1000))
    def studio_reassign(self, index: int) -> None:
        item = self.pick(index, studio=True)
        if item is None or item.appointment_id is None or item.studio is None:
            return
        other = 2 if item.user == 1 else 1
        at = self.now()
        self.world.studio.assign(item.appointment_id, [other])
        origin = self.world.studio.rows[item.appointment_id].appointment.origin
        known = [
            mine
            for mine in self.items
            if mine.user == other and mine.appointment_id == item.appointment_id and not mine.gone
        ]
        if known:  # back to a user who still has it linked
            known[0].studio, known[0].studio_at = item.studio, at
        else:
            self.items.append(
                Item(other, origin, item.appointment_id, studio=item.studio, studio_at=at)
            )
        item.studio, item.studio_at = None, at

    # -- the users in Google Calendar --------------------------------------------------------

    @rule(user=st.sampled_from(USERS), tentative=st.booleans(), repeats=st.sampled_from([1, 1, 3]))
    def google_create(self, user: int, tentative: bool, repeats: int) -> None:
        start = self.marker()
        self.markers += repeats
        title = f"g{self.markers}"
        google = self.world.account(user)
        made = google.google_create(
            "primary",
            summary=title,
            time_zone="Europe/Paris",
            status="tentative" if tentative else "confirmed",
            every=dt.timedelta(days=1) if repeats > 1 else None,
            count=repeats,
            **self.times(start),
        )
        at = self.now()
        instances = [event for event in google.events() if event.id.split("_")[0] == made.id]
        for event in instances:
            assert event.start is not None and event.start.date_time is not None
            look = Look(event.start.date_time, title)
            self.items.append(
                Item(
                    user, Side.GOOGLE, None, event.id, google=look, google_at=at,
                    ignored=tentative, series=made.id if repeats > 1 else None,
                )
            )  # fmt: skip

    def google_edit(self, item: Item, **changes: object) -> RemoteEvent:
        assert item.event_id is not None
        return self.world.account(item.user).google_edit("primary", item.event_id, **changes)

    @rule(index=st.integers(0, 1000))
    def google_move(self, index: int) -> None:
        item = self.pick(index, google=True)
        if item is None or item.google is None:
            return
        item.google = Look(self.marker(), item.google.title)
        self.google_edit(item, **self.times(item.google.start))
        item.google_at = self.world.clock.now()
        self.now()

    @rule(index=st.integers(0, 1000))
    def google_retitle(self, index: int) -> None:
        item = self.pick(index, google=True)
        if item is None or item.google is None:
            return
        self.markers += 1
        item.google = Look(item.google.start, f"t{self.markers}")
        self.google_edit(item, summary=item.google.title)
        item.google_at = self.world.clock.now()
        self.now()

    @rule(index=st.integers(0, 1000), whole_series=st.booleans())
    def google_delete(self, index: int, whole_series: bool) -> None:
        item = self.pick(index, google=True)
        if item is None or item.event_id is None:
            return
        google = self.world.account(item.user)
        at = self.world.clock.now()
        if whole_series and item.series is not None:
            google.google_delete("primary", item.series)
            targets = [
                other
                for other in self.items
                if other.series == item.series and other.user == item.user
            ]
        else:
            google.google_delete("primary", item.event_id)
            targets = [item]
        for target in targets:
            if target.google is not None:
                target.google, target.google_at = None, at
        self.now()

    # -- syncing -----------------------------------------------------------------------------

    def faults(self, user: int, seed: int) -> object:
        chance = random.Random(seed)
        google = self.world.account(user)

        def hook(call: Call) -> ProviderError | None:
            roll = chance.random()
            writes = ("insert", "update", "delete")
            if call.phase == "before" and call.method in ("update", "delete") and roll < 0.1:
                self.race(user, call.event_id)
                return None
            if call.phase == "before" and roll < 0.12:
                return TransientError(ErrorCode.PROVIDER_UNAVAILABLE, reason="503")
            if call.phase == "before" and roll < 0.2:
                return RateLimitedError(ErrorCode.PROVIDER_RATE_LIMITED)
            if call.phase == "after" and call.method in writes and roll < 0.1:
                return TransientError(ErrorCode.PROVIDER_UNAVAILABLE, reason="connection reset")
            if call.phase == "after" and call.method == "batch" and roll < 0.05:
                raise RuntimeError("the sync process died")
            return None

        del google
        return hook

    def owner(self, user: int, event: RemoteEvent) -> Item | None:
        """The live item an event stands for now.

        An item that is gone keeps the id of its last event, but that id can be taken again (an
        appointment assigned back gets the event derived from its id once more), so only live
        items count: the one linked to the event, else a new one the event was made for.
        """
        live = [item for item in self.items if item.user == user and not item.gone]
        for item in live:
            if item.event_id == event.id:
                return item
        claimed = m.claimed_appointment(event, TAG, user)
        for item in live:
            if item.event_id is None and claimed is not None and item.appointment_id == claimed:
                return item
        return None

    def race(self, user: int, event_id: str | None) -> None:
        """Someone edits the event in Google between our read and our write.

        They move the event as Google shows it now, which may hold a write of ours whose answer
        was lost: its title is the event's, not the one the model last knew.
        """
        if event_id is None:
            return
        google = self.world.account(user)
        event = google.get_event("primary", event_id)
        item = self.owner(user, event)
        if item is None or event.cancelled:
            return
        start = self.marker()
        google.google_edit("primary", event_id, **self.times(start))
        item.google = Look(start, event.summary)
        item.google_at = self.world.clock.now()
        self.world.clock.tick(1)

    @rule(faulty=st.booleans(), expire=st.booleans(), seed=st.integers(0, 2**32 - 1))
    def sync(self, faulty: bool, expire: bool, seed: int) -> None:
        STEPS.append(len(self.items))
        if faulty:
            for user in USERS:
                google = self.world.account(user)
                if expire:
                    google.expire_sync_tokens()
                google.fault = self.faults(user, seed + user)  # type: ignore[assignment]
                with contextlib.suppress(RuntimeError):
                    self.world.sync(user, **self.options())
                google.fault = None
        expectations = {id(item): self.expect(item) for item in self.items}
        for user in USERS:
            self.run_sync(user)
        records = self.new_records()
        for item in self.items:
            self.check(item, expectations[id(item)], records)
        self.check_no_duplicates()

    # -- the model ---------------------------------------------------------------------------

    def winner(self, item: Item) -> Side:
        if self.policy is ConflictPolicy.STUDIO_WINS:
            return Side.STUDIO
        if self.policy is ConflictPolicy.GOOGLE_WINS:
            return Side.GOOGLE
        if item.studio is None or item.google is None:
            return Side.GOOGLE if item.studio is None else Side.STUDIO
        assert item.studio_at is not None and item.google_at is not None
        return Side.GOOGLE if item.google_at > item.studio_at else Side.STUDIO

    def expect(self, item: Item) -> Expectation:
        if item.ignored or item.gone:
            return Expectation(None)
        studio, google = item.studio, item.google
        studio_origin = item.origin is Side.STUDIO

        def google_look() -> Look | None:
            if google is not None and studio is not None and studio_origin:
                return Look(google.start, studio.title)  # a studio appointment keeps its words
            return google

        reworded = None
        both_there = google is not None and studio is not None
        if studio_origin and both_there and item.google_changed:
            assert google is not None and studio is not None
            if google.title != studio.title:
                reworded = google.title
        if not item.google_changed:
            return Expectation(studio)
        if not item.studio_changed:
            return Expectation(google_look(), reworded=reworded)
        if studio == google:
            return Expectation(studio)
        if self.winner(item) is Side.STUDIO:
            return Expectation(studio, loser=google, conflict=True, reworded=reworded)
        return Expectation(google_look(), loser=studio, conflict=True, reworded=reworded)

    def new_records(self) -> dict[int, list[ConflictRecord]]:
        fresh: dict[int, list[ConflictRecord]] = {}
        for user in USERS:
            every = self.world.state.conflicts(user)
            fresh[user] = every[self.seen_records.get(user, 0) :]
            self.seen_records[user] = len(every)
        return fresh

    def check(
        self, item: Item, expected: Expectation, records: dict[int, list[ConflictRecord]]
    ) -> None:
        if item.ignored or item.gone:
            return
        mine = [
            record
            for record in records[item.user]
            if (item.appointment_id is not None and record.appointment_id == item.appointment_id)
            or (item.event_id is not None and record.event_id == item.event_id)
        ]
        if expected.conflict:
            loser = expected.loser
            assert any(
                (record.losing_content is None) if loser is None
                else record.losing_content is not None
                and record.losing_content.span.start == loser.start
                for record in mine
            ), (item, expected, mine)  # fmt: skip
        if expected.reworded is not None:
            assert any(
                record.losing_content is not None
                and record.losing_content.summary == expected.reworded
                for record in mine
            ), (item, expected, mine)
        state, user = self.world.state, item.user
        link = None
        if item.appointment_id is not None:
            link = state.mappings_by_appointment(user, [item.appointment_id]).get(
                item.appointment_id
            )
        if link is None and item.event_id is not None:
            link = state.mappings_by_event(user, [item.event_id]).get(item.event_id)
            others = {
                other.appointment_id
                for other in self.items
                if other is not item and other.user == user
            }
            if link is not None and link.appointment_id in others:
                link = None  # that event now belongs to another item
        if expected.look is None:
            assert link is None, (item, link)
            item.gone = True
            return
        assert link is not None, (item, expected)
        item.appointment_id, item.event_id = link.appointment_id, link.event_id
        if item.series is not None and not link.event_id.startswith(f"{item.series}_"):
            item.series = None  # a new event of its own now, no longer part of the series
        appointment = self.world.studio.load(user, [link.appointment_id])[link.appointment_id]
        event = self.world.account(user).get_event("primary", link.event_id)
        assert appointment.live and not event.cancelled
        shown = m.read_event(event)
        assert m.project(appointment).same_as(shown), (appointment, event)
        assert (shown.span.start, shown.summary) == (expected.look.start, expected.look.title)
        if appointment.origin is Side.GOOGLE:
            item.origin = Side.GOOGLE
        item.agreed = item.studio = item.google = expected.look
        item.studio_at = item.google_at = None

    @invariant()
    def first_runs_done(self) -> None:
        assert all(self.world.state.cursors(user).feed_cursor is not None for user in USERS)

    def check_no_duplicates(self) -> None:
        for user in USERS:
            links = self.world.state.all_mappings(user)
            events = [
                event for event in self.world.account(user).events()
                if event.status != "tentative"
            ]  # fmt: skip
            assert sorted(event.id for event in events) == sorted(link.event_id for link in links)
            appointments = self.world.studio.of_user(user)
            assert sorted(a.id for a in appointments) == sorted(
                link.appointment_id for link in links
            )
            expected = [
                item
                for item in self.items
                if item.user == user and not item.gone and not item.ignored
            ]
            assert len(expected) == len(links), (expected, links)


TestTwoWaySync = TwoWaySync.TestCase
