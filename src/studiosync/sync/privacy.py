"""What each user lets go to Google: full details, the appointment without its client, or busy.

Only what the studio made is affected (events made on the phone are the user's own). With the
client hidden, the event shows the appointment's title (no client name), no notes and no
contact details; busy only shows "Busy — Studio" at the appointment's time and nothing else.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from studiosync.sync.records import EventContent, Side, StudioAppointment

BUSY_SUMMARY = "Busy \u2014 Studio"


class Privacy(StrEnum):
    FULL = "full"
    HIDE_CLIENT = "hide-client"
    BUSY = "busy"


def shown(content: EventContent, appointment: StudioAppointment) -> EventContent:
    """``content`` as the user's privacy choice lets it go to Google."""
    if appointment.origin is Side.GOOGLE or appointment.privacy == Privacy.FULL:
        return content
    if appointment.privacy == Privacy.BUSY:
        return replace(content, summary=BUSY_SUMMARY, description="", location="")
    return replace(content, summary=appointment.title, description="")
