"""A test appointment for a user's phone: book a 15-minute hold, sync it now, read it back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from studiosync.accounts.calendars import provider_for
from studiosync.accounts.endpoints import google_endpoints
from studiosync.context import Studio
from studiosync.errors import ErrorCode, InputError
from studiosync.providers.base import RemoteEvent
from studiosync.studio.appointments import Assign, create_appointment
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import User, utcnow
from studiosync.studio.validation import find_user
from studiosync.sync.result import RunResult
from studiosync.syncstate.models import SyncMapping
from studiosync.syncstate.runner import sync_user

HOLD = dt.timedelta(minutes=15)
TITLE = "Test appointment from the studio (15-minute hold)"


@dataclass(frozen=True)
class TrialOutcome:
    """What happened: the appointment booked, the run, and the event Google now holds (if any)."""

    appointment_id: int
    start: dt.datetime
    end: dt.datetime
    calendar_id: str
    run: RunResult
    event: RemoteEvent | None


def next_quarter_hour(now: dt.datetime) -> dt.datetime:
    """The next whole quarter of an hour at least five minutes away (a phone can show it)."""
    later = now + dt.timedelta(minutes=5)
    minutes = (later.minute // 15 + 1) * 15
    return later.replace(minute=0, second=0, microsecond=0) + dt.timedelta(minutes=minutes)


def send_trial(studio: Studio, user_key: str | int, now: dt.datetime | None = None) -> TrialOutcome:
    """Book the hold for the user, run their sync at once, and fetch the event from Google.

    A user without Google Sync ready gets the reason as an InputError before anything is booked.
    """
    start = next_quarter_hour(now or utcnow())
    with studio.transaction() as session:
        user = find_user(session, user_key)
        tab = google_settings(session, user.id)
        if not tab.enabled:
            raise InputError(ErrorCode.FIELD_REQUIRED, field="enabled")
        if not tab.calendar_id:
            raise InputError(ErrorCode.FIELD_REQUIRED, field="calendar")
        user_id = user.id
    # A first run starts the user's change feed, so the hold counts as new, not as "older".
    sync_user(studio, user_id)
    with studio.transaction() as session:
        appointment = create_appointment(
            session,
            title=TITLE,
            start=start,
            end=start + HOLD,
            type="Hold",
            notes="Booked by the Google Sync set-up to check that appointments reach the phone.",
            users=[Assign(user_id)],
        )
        appointment_id = appointment.id
        calendar_id = google_settings(session, user_id).calendar_id or ""
    run = sync_user(studio, user_id)
    with studio.transaction() as session:
        event_id = session.scalar(
            select(SyncMapping.event_id).where(
                SyncMapping.user_id == user_id, SyncMapping.appointment_id == appointment_id
            )
        )
        event = None
        if event_id is not None:
            owner = session.get(User, user_id)
            assert owner is not None
            provider = provider_for(session, studio, google_endpoints(studio.settings), owner)
    if event_id is not None:
        event = provider.get_event(calendar_id, event_id)
    return TrialOutcome(appointment_id, start, start + HOLD, calendar_id, run, event)
