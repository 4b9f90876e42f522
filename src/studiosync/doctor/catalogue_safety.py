"""Catalogue wording for events put aside, long series and an OAuth app left in testing."""

from __future__ import annotations

from studiosync.doctor.entry import GOOGLE_TAB, Entry
from studiosync.errors import ErrorCode

SAFETY_ENTRIES: dict[ErrorCode, Entry] = {
    ErrorCode.SYNC_EVENT_QUARANTINED: Entry(
        "A Google event was put aside",
        "The Google event \u201c{title}\u201d ({when}) could not be saved in the studio "
        "({reason}); it was put aside and the rest of the sync went on.",
        "Correct the event in Google Calendar (or delete it): it is tried again as soon as it "
        "changes. The Troubleshooter lists every event put aside.",
    ),
    ErrorCode.SYNC_SERIES_CAPPED: Entry(
        "A repeating Google event was cut short",
        "The repeating Google event \u201c{title}\u201d ({rule}) has more than {cap} occurrences "
        "within the sync window; only the first {cap}, up to {last}, were copied to the studio.",
        "If the event should not repeat that often, change its repeat rule in Google Calendar; "
        "the sync copies it anew when it changes.",
    ),
    ErrorCode.DOCTOR_EVENTS_QUARANTINED: Entry(
        "Google events put aside for {user}",
        "{events} of {user} could not be saved in the studio and were put aside: {items}.",
        "Correct or delete each event in Google Calendar; a changed event is tried again on the "
        "next run and leaves this list once it goes through.",
    ),
    ErrorCode.GOOGLE_APP_IN_TESTING: Entry(
        "The Google sign-in of {user} keeps expiring after a week",
        "Google cancelled the sign-in of {user} about 7 days after it was given, {times} times "
        "in a row. Google does this when the Google Cloud project's OAuth consent screen is in "
        "\u201cTesting\u201d.",
        "In the Google Cloud console open APIs & Services > OAuth consent screen and click "
        "\u201cPublish app\u201d (publishing status \u201cIn production\u201d); then link the "
        "account again with 'Authenticate My Google Account'.",
        GOOGLE_TAB,
        "studiosync google link {user}",
    ),
}
