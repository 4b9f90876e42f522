"""A calendar's zone, as a server states it: by id, by VTIMEZONE, or by damaged VTIMEZONE text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from studiosync.providers.caldav.collections import _zone
from studiosync.providers.caldav.http import CALDAV, Entry

DAMAGED = (  # a folded RDATE whose continuation lost its leading space
    "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Europe/London\nBEGIN:STANDARD\n"
    "DTSTART:19711031T030000\nRDATE:19721029T030000,1976\n1024T030000\n"
    "TZOFFSETFROM:+0100\nTZOFFSETTO:+0000\nEND:STANDARD\nEND:VTIMEZONE\nEND:VCALENDAR\n"
)


def _entry(**props: str) -> Entry:
    elements = {}
    for name, text in props.items():
        element = ET.Element(f"{CALDAV}{name.replace('_', '-')}")
        element.text = text
        elements[element.tag] = element
    return Entry("/cal/", 200, elements)


def test_the_zone_id_is_taken_first_when_it_names_a_real_zone() -> None:
    assert _zone(_entry(calendar_timezone_id="America/New_York")) == "America/New_York"
    assert _zone(_entry(calendar_timezone_id="Not/AZone")) == "UTC"


def test_a_vtimezone_that_does_not_parse_still_gives_its_tzid() -> None:
    assert _zone(_entry(calendar_timezone=DAMAGED)) == "Europe/London"


def test_no_zone_stated_is_utc() -> None:
    assert _zone(_entry()) == "UTC"
