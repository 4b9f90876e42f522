"""What each user lets go to Google: full details, the appointment without its client, or busy.

The rule, by where an appointment was made:

* Made in the studio: with the client hidden, the event shows the appointment's title (no
  client name), no notes and no contact details; busy only shows "Busy — Studio" at the
  appointment's time and nothing else.
* Made on the phone (in Google): the event keeps the wording the user typed there (title,
  their notes, location) whatever the choice; with the client hidden or busy the studio adds
  nothing about the client (no contact lines), as it does with full details.

A change of choice rewrites only the user's future events (those of appointments not over
yet); past ones stay as they were, and follow the new choice only if they change again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from enum import StrEnum
from zoneinfo import ZoneInfo

from studiosync.sync.records import EventContent, Side, Span, StudioAppointment, TimedSpan

BUSY_SUMMARY = "Busy \u2014 Studio"


class Privacy(StrEnum):
    FULL = "full"
    HIDE_CLIENT = "hide-client"
    BUSY = "busy"


def shares_client(appointment: StudioAppointment) -> bool:
    """Whether the studio may add the client's contact lines to the event."""
    return appointment.privacy == Privacy.FULL


def shown(content: EventContent, appointment: StudioAppointment) -> EventContent:
    """``content`` as the user's privacy choice lets it go to Google.

    For an appointment made on the phone ``content`` is already without contact lines when
    they may not go (``mapping.project``): its own words are kept as they are.
    """
    if appointment.origin is Side.GOOGLE or appointment.privacy == Privacy.FULL:
        return content
    if appointment.privacy == Privacy.BUSY:
        return replace(content, summary=BUSY_SUMMARY, description="", location="")
    return replace(content, summary=appointment.title, description="")


def ends_after(span: Span, moment: dt.datetime) -> bool:
    """Whether an appointment is not over at ``moment`` (all-day ones end at midnight there)."""
    if isinstance(span, TimedSpan):
        return span.end > moment
    end = dt.datetime.combine(span.end, dt.time(0), tzinfo=ZoneInfo(span.time_zone))
    return end > moment
