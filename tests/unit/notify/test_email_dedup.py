"""One problems email per user per round, and the same problem not again within 24 hours."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from studiosync.clock import FakeClock
from studiosync.errors import ErrorCode
from studiosync.notify.dedup import REPEAT_WINDOW, EmailedProblem, plan_problem_email
from studiosync.notify.inputs import LogLevel, Problem

START = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


@dataclass
class Mailer:
    """Plays the processor: plans each round's email and remembers what went out."""

    clock: FakeClock
    history: list[EmailedProblem] = field(default_factory=list)
    emails: list[tuple[Problem, ...]] = field(default_factory=list)

    def round(self, *problems: Problem) -> tuple[Problem, ...]:
        plan = plan_problem_email(problems, self.history, now=self.clock.now())
        if plan.should_send:
            self.emails.append(plan.to_send)
            self.history.extend(plan.emailed(self.clock.now()))
        return plan.to_send


BAD_EVENT = Problem(ErrorCode.END_BEFORE_START, {"start": "10:00", "end": "9:00"}, item="Smith")
OTHER_ITEM = Problem(ErrorCode.END_BEFORE_START, {"start": "11:00", "end": "9:00"}, item="Jones")
NO_ADDRESS = Problem(ErrorCode.WARNINGS_ADDRESS_REQUIRED, {"user": "maya"}, item=None)


def test_a_new_problem_is_sent_and_not_repeated_within_24_hours() -> None:
    clock = FakeClock(START)
    mailer = Mailer(clock)
    assert mailer.round(BAD_EVENT) == (BAD_EVENT,)
    clock.advance(minutes=15)
    assert mailer.round(BAD_EVENT) == ()
    clock.advance(hours=23, minutes=44)
    assert mailer.round(BAD_EVENT) == ()
    assert len(mailer.emails) == 1


def test_the_same_problem_is_sent_again_once_24_hours_have_passed() -> None:
    clock = FakeClock(START)
    mailer = Mailer(clock)
    mailer.round(BAD_EVENT)
    clock.advance(hours=24)
    assert mailer.round(BAD_EVENT) == (BAD_EVENT,)
    clock.advance(hours=1)
    assert mailer.round(BAD_EVENT) == ()  # the new email restarts the 24 hours
    assert len(mailer.emails) == 2


def test_same_code_on_another_item_is_a_different_problem() -> None:
    clock = FakeClock(START)
    mailer = Mailer(clock)
    mailer.round(BAD_EVENT)
    clock.advance(minutes=15)
    assert mailer.round(BAD_EVENT, OTHER_ITEM, NO_ADDRESS) == (OTHER_ITEM, NO_ADDRESS)


def test_one_round_gives_at_most_one_email_with_repeats_merged() -> None:
    clock = FakeClock(START)
    mailer = Mailer(clock)
    warning = Problem(ErrorCode.END_BEFORE_START, item="Smith", count=2, level=LogLevel.WARNING)
    sent = mailer.round(BAD_EVENT, NO_ADDRESS, warning, BAD_EVENT)
    assert len(mailer.emails) == 1
    assert [(problem.key, problem.count) for problem in sent] == [
        (BAD_EVENT.key, 4),
        (NO_ADDRESS.key, 1),
    ]
    assert sent[0].level is LogLevel.ERROR  # the most serious level of the merged ones
    assert sent[0].params == BAD_EVENT.params


def test_a_round_without_new_problems_sends_nothing() -> None:
    plan = plan_problem_email([], [], now=FakeClock(START).now())
    assert not plan.should_send
    assert plan.emailed(FakeClock(START).now()) == ()


def test_held_back_problems_are_reported_to_the_caller() -> None:
    clock = FakeClock(START)
    history = [EmailedProblem(BAD_EVENT.code, BAD_EVENT.item, clock.now() - timedelta(hours=3))]
    plan = plan_problem_email([BAD_EVENT, NO_ADDRESS], history, now=clock.now())
    assert plan.to_send == (NO_ADDRESS,)
    assert plan.held_back == (BAD_EVENT,)
    assert plan.emailed(clock.now()) == (EmailedProblem(NO_ADDRESS.code, None, clock.now()),)


def test_a_record_from_the_future_still_holds_the_problem_back() -> None:
    clock = FakeClock(START)
    history = [EmailedProblem(BAD_EVENT.code, BAD_EVENT.item, clock.now() + timedelta(minutes=5))]
    assert plan_problem_email([BAD_EVENT], history, now=clock.now()).to_send == ()


def test_the_window_can_be_changed() -> None:
    clock = FakeClock(START)
    history = [EmailedProblem(BAD_EVENT.code, BAD_EVENT.item, clock.now() - timedelta(hours=2))]
    plan = plan_problem_email([BAD_EVENT], history, now=clock.now(), window=timedelta(hours=1))
    assert plan.to_send == (BAD_EVENT,)
    assert timedelta(hours=24) == REPEAT_WINDOW


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        plan_problem_email([BAD_EVENT], [], now=datetime(2024, 5, 1, 8, 0))
    history = [EmailedProblem(BAD_EVENT.code, None, datetime(2024, 5, 1, 8, 0))]
    with pytest.raises(ValueError):
        plan_problem_email([BAD_EVENT], history, now=FakeClock(START).now())


def test_a_problem_happens_at_least_once() -> None:
    with pytest.raises(ValueError):
        Problem(ErrorCode.END_BEFORE_START, count=0)
