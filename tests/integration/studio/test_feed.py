"""The appointment change feed: per user, in commit order, with deletes kept as tombstones."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from studiosync.context import Studio
from studiosync.studio import appointments, people
from studiosync.studio.appointments import Assign
from studiosync.studio.feed import Change, changes_since, fold, latest_seq
from studiosync.studio.models import AssignmentRole, ChangeKind, FeedCounter, ResourceKind

START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
INSERT, UPDATE, DELETE = ChangeKind.INSERT, ChangeKind.UPDATE, ChangeKind.DELETE


@pytest.fixture
def ids(studio: Studio) -> dict[str, int]:
    with studio.transaction() as session:
        made = {login: people.create_user(session, login=login).id for login in ("a", "b", "c")}
        people.create_resource(session, kind=ResourceKind.ROOM, name="Room 1")
        return made


def _book(studio: Studio, *logins: str) -> int:
    with studio.transaction() as session:
        return appointments.create_appointment(
            session,
            title="Shoot",
            start=START,
            end=START + dt.timedelta(hours=1),
            users=[Assign(login) for login in logins],
        ).id


def _kinds(studio: Studio, user: int, cursor: int = 0) -> list[tuple[int, ChangeKind]]:
    with studio.transaction() as session:
        return [(c.appointment_id, c.kind) for c in changes_since(session, cursor, user=user)]


def test_a_new_appointment_is_an_insert_for_each_assigned_user(
    studio: Studio, ids: dict[str, int]
) -> None:
    booked = _book(studio, "a", "b")
    assert _kinds(studio, ids["a"]) == [(booked, INSERT)]
    assert _kinds(studio, ids["b"]) == [(booked, INSERT)]
    assert _kinds(studio, ids["c"]) == []


def test_edits_are_updates_and_cancelling_is_an_update_not_a_delete(
    studio: Studio, ids: dict[str, int]
) -> None:
    booked = _book(studio, "a")
    with studio.transaction() as session:
        appointments.update_appointment(session, booked, title="Family shoot")
        appointments.cancel_appointment(session, booked)
    assert _kinds(studio, ids["a"]) == [(booked, INSERT), (booked, UPDATE), (booked, UPDATE)]


def test_moving_an_appointment_from_a_to_b_is_a_delete_for_a_and_an_insert_for_b(
    studio: Studio, ids: dict[str, int]
) -> None:
    booked = _book(studio, "a", "c")
    with studio.transaction() as session:
        cursor = latest_seq(session)
        appointments.update_appointment(session, booked, users=[Assign("b"), Assign("c")])
    assert _kinds(studio, ids["a"], cursor) == [(booked, DELETE)]
    assert _kinds(studio, ids["b"], cursor) == [(booked, INSERT)]
    assert _kinds(studio, ids["c"], cursor) == [(booked, UPDATE)]


def test_a_role_change_alone_is_an_update_and_bumps_the_version(
    studio: Studio, ids: dict[str, int]
) -> None:
    booked = _book(studio, "a")
    with studio.transaction() as session:
        version = appointments.get_appointment(session, booked).version
        cursor = latest_seq(session)
        changed = appointments.update_appointment(
            session, booked, users=[Assign("a", AssignmentRole.PHOTOGRAPHER)]
        )
        assert changed.version == version + 1
    assert _kinds(studio, ids["a"], cursor) == [(booked, UPDATE)]


def test_a_resource_change_alone_is_an_update(studio: Studio, ids: dict[str, int]) -> None:
    booked = _book(studio, "a")
    with studio.transaction() as session:
        cursor = latest_seq(session)
        appointments.update_appointment(session, booked, resources=["Room 1"])
    assert _kinds(studio, ids["a"], cursor) == [(booked, UPDATE)]


def test_saving_without_a_change_writes_nothing(studio: Studio, ids: dict[str, int]) -> None:
    booked = _book(studio, "a")
    with studio.transaction() as session:
        cursor = latest_seq(session)
        current = appointments.get_appointment(session, booked)
        appointments.update_appointment(session, booked, title=current.title)
    assert _kinds(studio, ids["a"], cursor) == []


def test_deletes_stay_as_tombstones(studio: Studio, ids: dict[str, int]) -> None:
    booked = _book(studio, "a", "b")
    with studio.transaction() as session:
        cursor = latest_seq(session)
        appointments.delete_appointment(session, booked)
    for _ in range(3):  # later activity does not wash the tombstone out
        _book(studio, "c")
    assert _kinds(studio, ids["a"], cursor) == [(booked, DELETE)]
    assert _kinds(studio, ids["b"], cursor) == [(booked, DELETE)]


def test_deleting_a_user_is_a_delete_for_that_user_only(
    studio: Studio, ids: dict[str, int]
) -> None:
    booked = _book(studio, "a", "b")
    with studio.transaction() as session:
        cursor = latest_seq(session)
        people.delete_user(session, "a")
    assert _kinds(studio, ids["a"], cursor) == [(booked, DELETE)]
    assert _kinds(studio, ids["b"], cursor) == [(booked, UPDATE)]


def test_a_rolled_back_change_leaves_no_trace(studio: Studio, ids: dict[str, int]) -> None:
    with studio.transaction() as session:
        before = latest_seq(session)

    class BoomError(Exception):
        pass

    with pytest.raises(BoomError), studio.transaction() as session:
        appointments.create_appointment(
            session,
            title="x",
            start=START,
            end=START + dt.timedelta(hours=1),
            users=[Assign("a")],
        )
        raise BoomError
    with studio.transaction() as session:
        assert latest_seq(session) == before
    assert _kinds(studio, ids["a"]) == []


def test_the_cursor_and_limit_page_through_the_feed(studio: Studio, ids: dict[str, int]) -> None:
    booked = [_book(studio, "a") for _ in range(5)]
    with studio.transaction() as session:
        first = changes_since(session, 0, user=ids["a"], limit=2)
        rest = changes_since(session, first[-1].seq, user=ids["a"])
    assert [c.appointment_id for c in first + rest] == booked
    seqs = [c.seq for c in first + rest]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5


def test_fold_gives_the_net_change_per_appointment() -> None:
    changes = [
        Change(1, 10, 1, INSERT),
        Change(2, 10, 1, UPDATE),
        Change(3, 11, 1, UPDATE),
        Change(4, 11, 1, DELETE),
        Change(5, 12, 1, DELETE),
        Change(6, 12, 1, INSERT),
    ]
    net = fold(changes)
    assert {k: (v.kind, v.seq) for k, v in net.items()} == {
        10: (INSERT, 2),
        11: (DELETE, 4),
        12: (INSERT, 6),
    }


def test_sequence_numbers_follow_commit_order(studio: Studio, ids: dict[str, int]) -> None:
    """A writer that started second but committed second gets the later numbers, never earlier."""
    first_flushed, first_may_commit = threading.Event(), threading.Event()
    results: dict[str, int] = {}

    def first_writer() -> None:
        with studio.transaction() as session:
            results["first"] = appointments.create_appointment(
                session,
                title="first",
                start=START,
                end=START + dt.timedelta(hours=1),
                users=[Assign("a")],
            ).id
            first_flushed.set()
            first_may_commit.wait(10)

    def second_writer() -> None:
        first_flushed.wait(10)
        results["second"] = _book(studio, "a")

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    first_flushed.wait(10)
    threads[1].join(0.5)
    assert threads[1].is_alive(), "the second writer must wait for the first to commit"
    first_may_commit.set()
    for thread in threads:
        thread.join(20)
    order = [appointment for appointment, _ in _kinds(studio, ids["a"])]
    assert order == [results["first"], results["second"]]
    with studio.transaction() as session:
        assert session.scalar(select(FeedCounter.value)) == 2
