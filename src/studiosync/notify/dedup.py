"""Which problems to email a user after a round: one email per round, no repeat within 24 h."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from studiosync.errors import ErrorCode
from studiosync.notify.inputs import Problem, ProblemKey

REPEAT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class EmailedProblem:
    """A problem (code + item) that was emailed to the user at ``sent_at``."""

    code: ErrorCode
    item: str | None
    sent_at: datetime

    @property
    def key(self) -> ProblemKey:
        return (self.code, self.item)


@dataclass(frozen=True)
class ProblemEmailPlan:
    """The decision for one user and one round: what goes in the (single) email, what waits."""

    to_send: tuple[Problem, ...]
    held_back: tuple[Problem, ...]

    @property
    def should_send(self) -> bool:
        return bool(self.to_send)

    def emailed(self, sent_at: datetime) -> tuple[EmailedProblem, ...]:
        """What to remember once the email went out, for the next rounds' decisions."""
        return tuple(
            EmailedProblem(code=problem.code, item=problem.item, sent_at=sent_at)
            for problem in self.to_send
        )


def plan_problem_email(
    problems: Sequence[Problem],
    already_emailed: Iterable[EmailedProblem],
    *,
    now: datetime,
    window: timedelta = REPEAT_WINDOW,
) -> ProblemEmailPlan:
    """Decide which of this round's problems to email to one user.

    Problems with the same code and item are merged (their counts added), so the user gets at
    most one email for the round. A problem emailed less than ``window`` before ``now`` is held
    back; so is one stamped after ``now`` (a clock that went backwards must not cause repeats).
    Times must be timezone-aware.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    recent: set[ProblemKey] = set()
    for emailed in already_emailed:
        if emailed.sent_at.tzinfo is None:
            raise ValueError("sent_at must be timezone-aware")
        if now - emailed.sent_at < window:
            recent.add(emailed.key)
    to_send: list[Problem] = []
    held_back: list[Problem] = []
    for problem in _merge(problems):
        (held_back if problem.key in recent else to_send).append(problem)
    return ProblemEmailPlan(to_send=tuple(to_send), held_back=tuple(held_back))


def _merge(problems: Sequence[Problem]) -> list[Problem]:
    merged: dict[ProblemKey, Problem] = {}
    for problem in problems:
        seen = merged.get(problem.key)
        if seen is None:
            merged[problem.key] = problem
        else:
            level = max(seen.level, problem.level, key=lambda each: each.severity)
            merged[problem.key] = replace(seen, count=seen.count + problem.count, level=level)
    return list(merged.values())
