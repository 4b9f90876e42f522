"""Users synced in a batch (their first reads together, their cursors saved together) end up
exactly as each synced alone would: over real HTTP to the sandbox, on the studio database."""

from __future__ import annotations

import datetime as dt

import pytest
from google_world import Desk, Linked

from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.errors import ErrorCode, InputError
from studiosync.sandbox.testing import SandboxHandle
from studiosync.sync.result import RunResult
from studiosync.syncstate import batch as batches
from studiosync.syncstate.batch import SyncBatch


def _pulled_at(desk: Desk, user: Linked) -> dt.datetime | None:
    row = desk.cursor_row(user)
    return row.last_pull_at if row else None


def _run_all(batch: SyncBatch, users: list[Linked]) -> dict[str, RunResult | Exception]:
    outcomes: dict[str, RunResult | Exception] = {}
    for user in users:
        try:
            outcomes[user.login] = batch.run(user.user_id)
        except Exception as error:  # the processor records it; here the test looks at it
            outcomes[user.login] = error
    return outcomes


def test_a_batch_syncs_each_user_as_a_run_of_their_own_would(
    desk: Desk, google: SandboxHandle
) -> None:
    booked, phoned, quiet, revoked, off = (
        desk.link(name, two_way=True) for name in ("booked", "phoned", "quiet", "revoked", "off")
    )
    for user in (booked, phoned, quiet, revoked, off):
        desk.quiet(user)  # each has a sync token and a feed cursor
    desk.options("off", enabled=False)
    appointment = desk.book(booked, title="Wedding consult")
    desk.add_event(phoned, "Dentist")
    google.revoke_account(revoked.email)
    google.advance_clock(7200)  # the stored access token expires; the refresh is refused
    before = _pulled_at(desk, quiet)

    batch = SyncBatch(desk.studio, [u.user_id for u in (booked, phoned, quiet, revoked, off)])
    outcomes = _run_all(batch, [booked, phoned, quiet, revoked, off])
    assert _pulled_at(desk, quiet) == before, "a quick run's cursors wait for settle"
    batch.settle()

    assert _pulled_at(desk, quiet) != before
    assert [e["summary"] for e in desk.events(booked)] == ["Wedding consult"]
    assert desk.event_id(booked, appointment) == desk.events(booked)[0]["id"]
    assert [a.title for a in desk.appointments_of(phoned)] == ["Dentist"]
    stopped = outcomes["revoked"]
    assert isinstance(stopped, RunResult) and stopped.stopped is ErrorCode.GOOGLE_REAUTH_NEEDED
    with desk.studio.transaction() as session:
        account = session.get(GoogleAccount, revoked.user_id)
        assert account is not None and account.status is AccountStatus.NEEDS_REAUTH
    refused = outcomes["off"]
    assert isinstance(refused, InputError) and refused.code is ErrorCode.SYNC_NOT_ENABLED

    again = SyncBatch(desk.studio, [u.user_id for u in (booked, phoned, quiet)])
    for user in (booked, phoned, quiet):  # the saved cursors hold: nothing is done twice
        result = again.run(user.user_id)
        assert result.ok and not result.full_resync, result.log
        assert (result.counts.pushed, result.counts.pulled) == (0, 0)
    again.settle()
    assert len(desk.events(booked)) == 1 and len(desk.appointments_of(phoned)) == 1


def test_a_long_run_saves_its_cursors_at_once(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    maya = desk.link("maya", two_way=True)
    desk.quiet(maya)
    before = _pulled_at(desk, maya)
    monkeypatch.setattr(batches, "BUFFER_SECONDS", 0.0)  # every run counts as long

    batch = SyncBatch(desk.studio, [maya.user_id])
    assert batch.run(maya.user_id).ok
    assert _pulled_at(desk, maya) != before, "saved before settle, as a Populate's checkpoints"


def test_when_reading_together_fails_each_user_reads_alone(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    maya = desk.link("maya")
    desk.quiet(maya)
    desk.book(maya, title="Headshots")

    def broken(*_args: object) -> dict[int, object]:
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(batches, "read_cursors", broken)
    batch = SyncBatch(desk.studio, [maya.user_id])
    result = batch.run(maya.user_id)
    batch.settle()
    assert result.ok, result.log
    assert [e["summary"] for e in desk.events(maya)] == ["Headshots"]
