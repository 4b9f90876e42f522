"""The studio never e-mails anyone through Google and never touches the guests of an event.

Observation: Google may e-mail attendees whenever an event with attendees is written; clients
of other products received invitations "to my horror". Every write the engine sends must say
``sendUpdates=none``; the client is never made an attendee; guests added on the phone stay
when the studio rewrites the event (an update is a patch of the studio's own fields).
"""

from __future__ import annotations

from typing import Any

from google_world import Desk, Linked

from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle

GUESTS = [
    {"email": "grandma@example.com"},
    {"email": "sofia@example.com", "responseStatus": "accepted"},
]


class Journal:
    """The event writes the engine sent, as the sandbox received them (the phone's left out)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.writes: list[dict[str, Any]] = []

    def sync(self, user: Linked) -> None:
        self.desk.google.clear_stats()
        result = self.desk.sync(user)
        assert result.ok, result.log
        self.writes.extend(self.desk.google.stats()["writes"])


def _guests(event: dict[str, Any]) -> set[str]:
    return {person["email"] for person in event.get("attendees", ())}


def test_no_write_can_mail_anyone_and_guests_in_google_are_kept(
    studio: Studio, google: SandboxHandle, endpoints: GoogleEndpoints
) -> None:
    desk = Desk(studio, google, endpoints)
    maya = desk.link("maya", two_way=True)
    journal = Journal(desk)
    journal.sync(maya)
    client = desk.client("Sofia Rossi", email="sofia@example.com", phone="555 0100")
    booked = desk.book(maya, title="Rossi portraits", client=client)
    spare = desk.book(maya, title="Spare slot", hours=2)
    journal.sync(maya)
    event_id = desk.event_id(maya, booked)
    assert _guests(desk.event(maya, event_id)) == set()  # the client is never invited

    desk.change_event(maya, event_id, attendees=GUESTS)  # the photographer invites people
    lunch = desk.add_event(maya, "Team lunch", attendees=[{"email": "ana@example.com"}])["id"]
    journal.sync(maya)
    desk.edit(booked, location="Garden studio")
    pulled = next(a.id for a in desk.appointments_of(maya) if a.title == "Team lunch")
    desk.edit(pulled, title="Team lunch (moved)", location="Cafe")
    desk.remove(spare)
    journal.sync(maya)

    kept = desk.event(maya, event_id)
    assert "Garden studio" in kept["location"]
    assert _guests(kept) == {"grandma@example.com", "sofia@example.com"}
    assert [p.get("responseStatus") for p in kept["attendees"]] == ["needsAction", "accepted"]
    lunch_now = desk.event(maya, lunch)
    assert lunch_now["location"] == "Cafe" and _guests(lunch_now) == {"ana@example.com"}

    methods = {write["method"] for write in journal.writes}
    assert {"POST", "PATCH", "DELETE"} <= methods  # inserts, updates and a delete were sent
    assert "PUT" not in methods  # a full replace would drop what Google holds
    unsafe = [w for w in journal.writes if w["query"].get("sendUpdates") != "none"]
    assert unsafe == []
