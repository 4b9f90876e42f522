"""A studio synced with Google before connections existed upgrades without creating anything twice.

The studio is taken back to the schema before connections (migration 0010), with its Google
links, mappings and cursors, and upgraded again: every Google account becomes a Google
connection of the same user, and the next runs find nothing to do.
"""

from __future__ import annotations

from google_world import Desk, Linked
from sqlalchemy import select

from studiosync import db
from studiosync.accounts.models import Connection, ConnectionKind


def test_upgrading_a_synced_studio_keeps_every_link_and_recreates_nothing(
    desk: Desk, maya: Linked
) -> None:
    booked = [desk.book(maya, title=f"Session {n}") for n in range(3)]
    desk.sync(maya)
    links = desk.links(maya)
    assert set(links) == set(booked)
    events_before = {event["id"] for event in desk.events(maya)}

    engine = desk.studio.engine
    db.downgrade(engine, "0010")
    db.upgrade(engine)

    with desk.studio.transaction() as session:
        (held,) = session.scalars(select(Connection)).all()
        assert (held.user_id, held.kind, held.account) == (
            maya.user_id,
            ConnectionKind.GOOGLE,
            maya.email,
        )
    assert desk.links(maya) == links
    desk.google.clear_stats()
    desk.quiet(maya)
    assert {event["id"] for event in desk.events(maya)} == events_before
    assert desk.google.count("POST", "/calendar/v3/calendars/{calendarId}/events") == 0
