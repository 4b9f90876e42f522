"""Catalogue wording for Google's change notifications (push channels)."""

from __future__ import annotations

from studiosync.doctor.entry import CONTROL_CENTER, Entry
from studiosync.errors import ErrorCode

PROCESSOR = "studiosync processor (on the job's computer)"
ADDRESS = "STUDIOSYNC_PUBLIC_URL=https://studio.example.com studiosync processor"
PUSH_ENTRIES: dict[ErrorCode, Entry] = {
    ErrorCode.PUSH_NO_PUBLIC_ADDRESS: Entry(
        "Changes made in Google arrive at each scheduled run",
        "The studio has no public HTTPS address, so Google cannot tell studiosync when "
        "{user}'s calendar changes. Changes made in Google wait for the next scheduled run; "
        "bookings made in the studio still reach Google within seconds.",
        "Nothing needs fixing if the schedule is often enough. For changes within seconds, "
        "make the web pages reachable from the Internet over HTTPS (for example behind a "
        "reverse proxy), set STUDIOSYNC_PUBLIC_URL to that address (such as "
        "https://studio.example.com) and restart the Calendar Sync Processor.",
        None,
        ADDRESS,
    ),
    ErrorCode.PUSH_NOT_OPENED: Entry(
        "Google's change notifications are not set up yet",
        "The Calendar Sync Processor asks Google for notifications about {user}'s calendar at "
        "its next check (once a minute while it runs); until then changes made in Google wait "
        "for the next scheduled run.",
        "Keep the Calendar Sync Processor running on the job's computer.",
        CONTROL_CENTER,
        PROCESSOR,
    ),
    ErrorCode.PUSH_REFUSED: Entry(
        "Google refused to send change notifications",
        "Google refused to notify {address} about {user}'s calendar ({reason}), so changes made "
        "in Google wait for the next scheduled run. studiosync asks again every hour.",
        "Check that {address} is an HTTPS address with a valid certificate that Google can "
        "reach from the Internet.",
        CONTROL_CENTER,
        ADDRESS,
    ),
    ErrorCode.PUSH_EXPIRED: Entry(
        "Google's change notifications ended",
        "The notifications about {user}'s calendar ended {when} and were not renewed, because "
        "the Calendar Sync Processor was not running. Changes made in Google wait for the next "
        "scheduled run until they are renewed.",
        "Keep the Calendar Sync Processor running; it renews the notifications a day before "
        "Google ends them.",
        CONTROL_CENTER,
        PROCESSOR,
    ),
    ErrorCode.PUSH_SILENT: Entry(
        "Google's change notifications do not arrive",
        "Google agreed {when} to notify {address} about {user}'s calendar, but its first "
        "message never arrived. Changes made in Google wait for the next scheduled run.",
        "Make sure {address} can be reached from the Internet, not only inside the studio, "
        "and that no firewall or proxy turns away Google's requests to it.",
        CONTROL_CENTER,
        ADDRESS,
    ),
}
