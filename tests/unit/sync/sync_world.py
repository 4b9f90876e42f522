"""A small world for engine tests: a fake studio, the memory provider per user, a fake clock."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from sync_fakes import EPOCH, FakeStudio

from studiosync.clock import FakeClock
from studiosync.providers.base import CalendarInfo
from studiosync.providers.memory import FaultHook, MemoryProvider
from studiosync.providers.memory_store import Semantics
from studiosync.sync.engine import sync_user
from studiosync.sync.memory_state import MemoryStateStore
from studiosync.sync.options import SyncOptions
from studiosync.sync.result import RunResult

TAG = "5a17"


@dataclass
class World:
    clock: FakeClock = field(default_factory=lambda: FakeClock(EPOCH))
    state: MemoryStateStore = field(default_factory=MemoryStateStore)
    google: dict[int, MemoryProvider] = field(default_factory=dict)
    semantics: Semantics = Semantics.GOOGLE
    studio: FakeStudio = field(init=False)

    def __post_init__(self) -> None:
        self.studio = FakeStudio(self.clock)

    def account(self, user_id: int, **kwargs: Any) -> MemoryProvider:
        if user_id not in self.google:
            calendar = CalendarInfo("primary", f"user {user_id}", "owner", True, "Europe/London")
            self.google[user_id] = MemoryProvider(
                self.clock, calendars=[calendar], semantics=self.semantics, **kwargs
            )
        return self.google[user_id]

    def options(self, user_id: int = 1, **overrides: Any) -> SyncOptions:
        values: dict[str, Any] = {"two_way": True}
        values.update(overrides)
        return SyncOptions(user_id=user_id, calendar_id="primary", studio_tag=TAG, **values)

    def sync(self, user_id: int = 1, **overrides: Any) -> RunResult:
        return sync_user(
            self.options(user_id, **overrides),
            provider=self.account(user_id),
            studio=self.studio,
            state=self.state,
            clients=self.studio,
            clock=self.clock,
            rng=random.Random(7),
        )

    def fault(self, user_id: int, hook: FaultHook | None) -> None:
        self.account(user_id).fault = hook
