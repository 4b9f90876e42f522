"""Events the studio cannot read are skipped and named; everything else in the run still syncs.

Google's API refuses to store most such events, but Google can still hold and send them (time
zones newer than ours, event types added later, data written by other tools). The sandbox keeps
its state in a file here, so the test stops it, changes the stored events as such a tool would,
and starts it again on the same file before the studio syncs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import orjson
import pytest
from google_world import START, Desk, Linked, logged

from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.context import Studio
from studiosync.errors import ErrorCode
from studiosync.sandbox.testing import SandboxHandle, running_sandbox

Body = dict[str, Any]


class StoredSandbox:
    """A sandbox on a state file that can be stopped, edited and started again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._running = ExitStack()
        self.handle = self._running.enter_context(running_sandbox(data=path))

    def close(self) -> None:
        self._running.close()

    def edit_events(self, edits: dict[str, Callable[[Body], None]]) -> None:
        """Stop, change the stored bodies of the events named (by id), start again."""
        self.close()
        with sqlite3.connect(self.path) as db:
            for key, value in db.execute("SELECT key, value FROM records WHERE kind = 'event'"):
                record = orjson.loads(value)
                edit = edits.get(record["id"])
                if edit is not None:
                    edit(record["body"])
                    db.execute(
                        "UPDATE records SET value = ? WHERE kind = 'event' AND key = ?",
                        (orjson.dumps(record), key),
                    )
        self._running = ExitStack()
        self.handle = self._running.enter_context(running_sandbox(data=self.path))


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[StoredSandbox]:
    sandbox = StoredSandbox(tmp_path / "google.sqlite")
    yield sandbox
    sandbox.close()


@pytest.fixture
def google(stored: StoredSandbox) -> SandboxHandle:
    return stored.handle


def _zone(name: str) -> Callable[[Body], None]:
    def edit(body: Body) -> None:
        body["start"]["timeZone"] = body["end"]["timeZone"] = name

    return edit


def _without_start(body: Body) -> None:
    del body["start"]


def _event_type(name: str) -> Callable[[Body], None]:
    def edit(body: Body) -> None:
        body["eventType"] = name

    return edit


def test_unreadable_events_are_skipped_named_and_picked_up_once_fixed(
    studio: Studio, stored: StoredSandbox, endpoints: GoogleEndpoints
) -> None:
    desk = Desk(studio, stored.handle, endpoints)
    maya: Linked = desk.link("maya", two_way=True)
    desk.sync(maya)
    linked = desk.book(maya, title="Portrait")
    desk.sync(maya)
    linked_event = desk.event_id(maya, linked)
    bad = {
        "zone": desk.add_event(maya, "Odd zone")["id"],
        "start": desk.add_event(maya, "No start")["id"],
        "type": desk.add_event(maya, "New kind")["id"],
    }
    huge = desk.add_event(maya, "x" * 400, description="Long title")["id"]
    good = desk.add_event(maya, "Dentist")["id"]
    desk.change_event(
        maya,
        linked_event,
        start={"dateTime": "2026-12-01T17:00:00Z"},
        end={"dateTime": "2026-12-01T18:00:00Z"},
    )
    stored.edit_events(
        {
            bad["zone"]: _zone("Mars/Olympus_Mons"),
            bad["start"]: _without_start,
            bad["type"]: _event_type("someFutureType"),
            linked_event: _zone("Mars/Olympus_Mons"),
        }
    )
    studio.settings.sandbox_url = stored.handle.base_url  # started again, on a new port
    desk = Desk(studio, stored.handle, endpoints)
    moved = desk.book(maya, title="Booked meanwhile")
    result = desk.sync(maya)
    skipped = logged(result, ErrorCode.SYNC_BAD_EVENT_SKIPPED)
    reasons = {entry["event_id"]: str(entry["reason"]) for entry in skipped}
    assert set(reasons) == {*bad.values(), huge, linked_event}
    assert "time zone" in reasons[bad["zone"]] or "timeZone" in reasons[bad["zone"]]
    assert "start" in reasons[bad["start"]]
    assert "someFutureType" in reasons[bad["type"]]
    assert "summary" in reasons[huge]
    assert {e.level.value for e in result.log if e.code is ErrorCode.SYNC_BAD_EVENT_SKIPPED} == {
        "warning"
    }
    assert result.counts.pulled == 1 and result.counts.pushed == 1  # the rest still syncs
    titles = {a.title for a in desk.appointments_of(maya)}
    assert titles == {"Portrait", "Dentist", "Booked meanwhile"}
    kept = desk.appointment(linked)
    assert kept is not None and kept.start_at == START  # the unreadable edit was not taken
    assert desk.links(maya)[moved] == desk.event_id(maya, moved)
    assert good in desk.links(maya).values()
    fixed = {"dateTime": "2026-12-03T09:00:00Z", "timeZone": "UTC"}
    until = {"dateTime": "2026-12-03T10:00:00Z", "timeZone": "UTC"}
    desk.change_event(maya, bad["zone"], start=fixed, end=until)
    desk.change_event(maya, bad["start"], start=fixed, end=until)
    desk.change_event(maya, huge, summary="Short again")
    again = desk.sync(maya)
    assert again.counts.pulled == 3
    assert [entry["event_id"] for entry in logged(again, ErrorCode.SYNC_BAD_EVENT_SKIPPED)] == []
