"""Catalogue wording for the errors of Google and the sync engine."""

from __future__ import annotations

from studiosync.doctor.entry import CONFLICTS, CONTROL_CENTER, CONTROL_LOG, GOOGLE_TAB, Entry
from studiosync.errors import ErrorCode

LINK = "studiosync google link {user}"
CALENDARS = "studiosync google calendars {user}"

SYNC_ENTRIES: dict[ErrorCode, Entry] = {
    ErrorCode.GOOGLE_NOT_LINKED: Entry(
        "No Google account is linked",
        "{user} has not authenticated a Google account yet.",
        "Click 'Authenticate My Google Account' and sign in to Google.",
        GOOGLE_TAB,
        LINK,
    ),
    ErrorCode.GOOGLE_ACCOUNT_TAKEN: Entry(
        "That Google account belongs to another user",
        "The Google account {google_email} is already linked to {other}; each user must sync "
        "to a different Gmail account.",
        "Sign in with another Google account, or first remove the Google account from {other} "
        "('Remove My Google Account' on their Google tab).",
        GOOGLE_TAB,
        "studiosync google unlink {other}",
    ),
    ErrorCode.GOOGLE_REAUTH_NEEDED: Entry(
        "Google no longer accepts this account's sign-in",
        "Google refused the stored sign-in of {google_email} ({reason}). This happens after the "
        "Gmail password changes or when access is removed in the Google account.",
        "Remove and re-authenticate the Google account: 'Remove My Google Account', then "
        "'Authenticate My Google Account'.",
        GOOGLE_TAB,
        "studiosync google unlink {user} && studiosync google link {user}",
    ),
    ErrorCode.GOOGLE_ACCESS_DENIED: Entry(
        "Google access was not allowed",
        "The Google sign-in was cancelled or access was denied ({reason}).",
        "Start 'Authenticate My Google Account' again and choose Allow on Google's page.",
        GOOGLE_TAB,
        LINK,
    ),
    ErrorCode.GOOGLE_LINK_EXPIRED: Entry(
        "The Google sign-in link is no longer valid",
        "This answer from Google does not belong to a sign-in started here, or it was already "
        "used or is too old.",
        "Start 'Authenticate My Google Account' again.",
        GOOGLE_TAB,
        LINK,
    ),
    ErrorCode.GOOGLE_SCOPES_MISSING: Entry(
        "Google did not grant calendar access",
        "The Google account was linked without the permissions studiosync needs: {missing}.",
        "Authenticate again and leave every requested permission ticked on Google's page.",
        GOOGLE_TAB,
        LINK,
    ),
    ErrorCode.GOOGLE_CALENDAR_NOT_SELECTED: Entry(
        "No Google calendar is selected",
        "{user} has a Google account linked but no calendar chosen to sync with.",
        "Pick one of the account's existing calendars.",
        GOOGLE_TAB,
        CALENDARS,
    ),
    ErrorCode.GOOGLE_CALENDAR_NOT_FOUND: Entry(
        "The selected Google calendar does not exist",
        "The Google account of {user} no longer has the calendar chosen for it ({calendar}); "
        "it may have been deleted or unshared.",
        "Select one of the account's existing calendars.",
        GOOGLE_TAB,
        CALENDARS,
    ),
    ErrorCode.GOOGLE_CALENDAR_READ_ONLY: Entry(
        "The selected Google calendar cannot be written",
        '{user} may only read the calendar "{calendar}" ({access_role}); studiosync needs to '
        "write appointments into it.",
        "Select a calendar this account owns or may edit.",
        GOOGLE_TAB,
        CALENDARS,
    ),
    ErrorCode.SYNC_NOT_ENABLED: Entry(
        "Google Sync is off",
        "The 'Enable Google Sync' box is not checked for {user}, so none of their appointments "
        "go to Google or come back.",
        "To sync, link a Google account with 'Authenticate My Google Account', choose its "
        "calendar, then check 'Enable Google Sync'.",
        GOOGLE_TAB,
        "studiosync google link {user}, then studiosync google options {user} --enable",
    ),
    ErrorCode.SYNC_POPULATE_HINT: Entry(
        "Older appointments are not in Google yet",
        "{user} has {appointments} made before Google Sync started that have not been sent "
        "to Google.",
        "Check 'Populate Google Calendar' (it unchecks itself when done).",
        GOOGLE_TAB,
        "studiosync google options {user} --populate-google",
    ),
    ErrorCode.GOOGLE_UNREACHABLE: Entry(
        "Google cannot be reached",
        "Could not reach Google: {reason}.",
        "Check that this computer is on and has an Internet connection; the sync will try "
        "again on its next run.",
    ),
    ErrorCode.PROVIDER_RATE_LIMITED: Entry(
        "Google asked us to slow down",
        "Google refused a request because too many were sent in a short time.",
        "Nothing to do: the sync waits and retries by itself. If this repeats every run, "
        "choose a less frequent schedule for the Calendar Sync Processor.",
        CONTROL_CENTER,
        'studiosync job schedule "every 15 minutes"',
    ),
    ErrorCode.PROVIDER_QUOTA_EXCEEDED: Entry(
        "Google's daily quota is used up",
        "Google refused further requests for this account today (its daily limit).",
        "Wait: the sync pauses this user for a few hours and then resumes by itself. If it "
        "happens daily, check for another program writing to the same calendar.",
    ),
    ErrorCode.PROVIDER_UNAVAILABLE: Entry(
        "Google could not be reached",
        "The request to Google failed: {reason}.",
        "Make sure the computer running the Calendar Sync Processor is on and online; the next "
        "run retries by itself.",
        CONTROL_CENTER,
        "studiosync computer list",
    ),
    ErrorCode.PROVIDER_ETAG_MISMATCH: Entry(
        "The event changed in Google meanwhile",
        "The Google event {event} was changed in Google after studiosync last read it.",
        "Nothing to do: the sync reads it again and applies the conflict rules.",
    ),
    ErrorCode.PROVIDER_DUPLICATE_ID: Entry(
        "The event already exists in Google",
        "Google already holds the event {event}.",
        "Nothing to do: the sync adopts the existing event instead of making a second one.",
    ),
    ErrorCode.PROVIDER_ITEM_NOT_FOUND: Entry(
        "Not found in Google",
        "Google holds no {item}.",
        "Check that the calendar chosen for this user still exists and is shared with this "
        "account.",
        GOOGLE_TAB,
        CALENDARS,
    ),
    ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED: Entry(
        "Google asked for a full resync",
        "Google no longer recognises the bookmark of the last {kind} sync (it expires after "
        "some days without syncing).",
        "Nothing to do: the sync reads everything once more and matches what it already knows, "
        "without making duplicates.",
    ),
    ErrorCode.PROVIDER_FORBIDDEN: Entry(
        "Google refused access",
        "Google did not allow studiosync to work on {item} ({reason}): the calendar may be "
        "read-only for this account, or a permission was not granted.",
        "Pick a calendar this account owns or may edit, or remove and re-authenticate the "
        "Google account leaving every permission ticked.",
        GOOGLE_TAB,
        CALENDARS,
    ),
    ErrorCode.PROVIDER_BAD_REQUEST: Entry(
        "Google refused the request",
        "Google refused a request as invalid: {reason}.",
        "Send the Control Center log of this run to support.",
        CONTROL_LOG,
        "studiosync logs --level error",
    ),
    ErrorCode.SYNC_BULK_DELETE_GUARD: Entry(
        "Sync stopped before deleting many appointments",
        "This run would delete {deletes} of the {mapped} synced appointments on the {side} "
        "side, so it stopped without changing anything.",
        "Check that the Google calendar chosen for {user} is the right one; if the deletions "
        "are wanted, confirm them with one manual sync that allows them.",
        GOOGLE_TAB,
        "studiosync sync {user} --confirm-bulk-delete",
    ),
    ErrorCode.SYNC_BAD_EVENT_SKIPPED: Entry(
        "A Google event was put aside",
        "The Google event \u201c{title}\u201d ({when}) cannot be read as an appointment "
        "({reason}); it was put aside and the rest of the sync went on.",
        "Open the event in Google Calendar and fix it (start and end, time zone, length of the "
        "text), or delete it; it is tried again as soon as it changes.",
    ),
    ErrorCode.SYNC_TENTATIVE_SKIPPED: Entry(
        "Tentative Google events are not downloaded",
        "Google holds {events} that are tentative or unanswered, and these are not downloaded.",
        "To download them, check 'Download Tentative, Non-Confirmed Appointments'. Do so if "
        "you use an Android or HTC phone, or if this Google account is not the primary "
        "account on the phone.",
        GOOGLE_TAB,
        "studiosync google options {user} --tentative",
    ),
    ErrorCode.SYNC_NOT_AN_APPOINTMENT: Entry(
        "A Google entry is not an appointment",
        "“{title}” ({when}) is {event_type} in Google Calendar, which the studio does not copy "
        "as an appointment.",
        "Nothing to do. If it should be an appointment, make it a regular event in Google "
        "Calendar (or book it in the studio).",
    ),
    ErrorCode.SYNC_CONFLICT_RECORDED: Entry(
        "A Google edit or a studio edit was not kept",
        "The appointment {appointment} ({fields}) {conflict_reason}; the {winner_side} "
        "version was kept and the other one saved in the conflict log.",
        "Review the conflict log and copy back anything needed. Who may change each field "
        "from Google (studio only, Google edits accepted, or newest edit wins) is set under "
        "Company Preferences > Google.",
        CONFLICTS,
        "studiosync company google-fields --help",
    ),
    ErrorCode.SYNC_FULL_RESYNC: Entry(
        "A full resync was done",
        "Google asked for a full resync of the {kind}; everything was read again and matched "
        "to what was already synced.",
        "Nothing to do.",
    ),
    ErrorCode.SYNC_PAUSED_FOR_QUOTA: Entry(
        "Sync paused for this user",
        "Google's daily limit for this account is used up; syncing resumes {until}.",
        "Nothing to do: it resumes by itself. If it happens daily, check for another program "
        "writing to the same calendar.",
    ),
    ErrorCode.SYNC_RETRY_LATER: Entry(
        "Some items will be retried",
        "{item} could not be synced this time ({reason}).",
        "Nothing to do: the next run retries it. If it keeps failing, make sure the computer "
        "running the Calendar Sync Processor is online.",
        CONTROL_CENTER,
        "studiosync computer list",
    ),
    ErrorCode.SYNC_ITEM_REFUSED: Entry(
        "Google refused an item",
        "Google refused {item} ({reason}).",
        "Check that the calendar chosen for this user may be written by this account (owner "
        "or writer).",
        GOOGLE_TAB,
        CALENDARS,
    ),
    ErrorCode.SYNC_STUDIO_REFUSED: Entry(
        "The studio refused a Google change",
        "The change from Google to {item} could not be saved in the studio ({reason}).",
        "Correct the event in Google Calendar (or the appointment in the studio); the next "
        "change is synced again.",
    ),
    ErrorCode.SYNC_ADOPTED_EVENT: Entry(
        "An existing Google event was reused",
        "Google already held an event for the appointment {appointment} (for example after an "
        "interrupted run); it was linked instead of copied again.",
        "Nothing to do.",
    ),
    ErrorCode.SYNC_POPULATE_NEEDS_TWO_WAY: Entry(
        "Populate studio needs two-way sync",
        "'Populate studio' copies older Google events into the studio, which only happens "
        "when Google changes are sent to the studio.",
        "Check 'Send New, Modified, and Deleted Google Appointments', or uncheck 'Populate "
        "studio'.",
        GOOGLE_TAB,
        "studiosync google options {user} --two-way",
    ),
    ErrorCode.SYNC_CONTACT_SKIPPED: Entry(
        "A Google contact was skipped",
        "The Google contact {contact} was not imported ({reason}).",
        "Give the contact a name or an email address in Google Contacts; the next run imports it.",
    ),
    ErrorCode.SYNC_ROUND_SUMMARY: Entry(
        "What this sync did",
        "{summary}",
        "Nothing to do.",
    ),
}
