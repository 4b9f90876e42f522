"""Catalogue wording for the errors of Google, the sync engine and the Control Center."""

from __future__ import annotations

from studiosync.doctor.entry import Entry
from studiosync.errors import ErrorCode

SYNC_ENTRIES: dict[ErrorCode, Entry] = {
    ErrorCode.GOOGLE_NOT_LINKED: Entry(
        "No Google account is linked",
        "{user!r} has not authenticated a Google account yet.",
        "Click 'Authenticate My Google Account' on the Google tab (Maintenance > Preferences > "
        "User Preferences > Google), or run 'studiosync google link {user}'.",
    ),
    ErrorCode.GOOGLE_ACCOUNT_TAKEN: Entry(
        "That Google account belongs to another user",
        "The Google account {google_email} is already linked to user {other!r}; each user must "
        "sync to a different Gmail account.",
        "Sign in with another Google account, or remove it from {other!r} first "
        "('studiosync google unlink {other}').",
    ),
    ErrorCode.GOOGLE_REAUTH_NEEDED: Entry(
        "Google no longer accepts this account's sign-in",
        "Google refused the stored sign-in of {google_email} ({reason}). This happens after the "
        "Gmail password changes or when access is removed in the Google account.",
        "Remove and re-authenticate the Google account on the Google tab ('Remove My Google "
        "Account', then 'Authenticate My Google Account'), or run 'studiosync google unlink "
        "{user}' then 'studiosync google link {user}'.",
    ),
    ErrorCode.GOOGLE_ACCESS_DENIED: Entry(
        "Google access was not allowed",
        "The Google sign-in was cancelled or access was denied ({reason}).",
        "Start 'Authenticate My Google Account' again and choose Allow on Google's page.",
    ),
    ErrorCode.GOOGLE_LINK_EXPIRED: Entry(
        "The Google sign-in link is no longer valid",
        "This answer from Google does not belong to a sign-in started here, or it was already "
        "used or is too old.",
        "Start 'Authenticate My Google Account' again ('studiosync google link {user}').",
    ),
    ErrorCode.GOOGLE_SCOPES_MISSING: Entry(
        "Google did not grant calendar access",
        "The Google account was linked without the permissions studiosync needs: {missing}.",
        "Authenticate again and leave every requested permission ticked on Google's page.",
    ),
    ErrorCode.GOOGLE_CALENDAR_NOT_SELECTED: Entry(
        "No Google calendar is selected",
        "{user!r} has a Google account linked but no calendar chosen to sync with.",
        "Pick an existing calendar on the Google tab, or run 'studiosync google calendars "
        "{user}' and 'studiosync google select-calendar {user} CALENDAR'.",
    ),
    ErrorCode.GOOGLE_CALENDAR_NOT_FOUND: Entry(
        "The selected Google calendar does not exist",
        "The Google account of {user!r} has no calendar {calendar!r} (it may have been deleted "
        "or unshared).",
        "Select an existing calendar on the Google tab ('studiosync google calendars {user}' "
        "lists them).",
    ),
    ErrorCode.GOOGLE_CALENDAR_READ_ONLY: Entry(
        "The selected Google calendar cannot be written",
        "{user!r} may only read the calendar {calendar!r} (access: {access_role}); studiosync "
        "needs to write appointments into it.",
        "Select a calendar you own or may edit ('studiosync google calendars {user}' shows "
        "which are writable).",
    ),
    ErrorCode.SYNC_NOT_ENABLED: Entry(
        "Google Sync is not enabled",
        "The 'Enable Google Sync' box is not checked for {user!r}.",
        "Check 'Enable Google Sync' on the Google tab (Maintenance > Preferences > User "
        "Preferences > Google), or run 'studiosync google options {user} --enable'.",
    ),
    ErrorCode.CONTROL_COMPUTER_OFFLINE: Entry(
        "The sync computer is off or offline",
        "The Google Sync Processor runs on {computer}, but {reason} (last seen {last_seen}). "
        "That computer must be on and have an Internet connection to sync.",
        "Turn that computer on and connect it to the Internet, and make sure 'studiosync "
        "processor' runs there; or choose another computer in Utilities > Control Center "
        "('studiosync job computer NAME').",
    ),
    ErrorCode.CONTROL_NEVER_RAN: Entry(
        "The sync has not run yet",
        "The Google Sync Processor job has no runs in its log.",
        "Enable the job and check its schedule and computer in Utilities > Control Center, "
        "make sure 'studiosync processor' runs on that computer, or start a round with "
        "'studiosync job run-now'.",
    ),
    ErrorCode.SYNC_POPULATE_HINT: Entry(
        "Older appointments are not in Google yet",
        "{count} appointment(s) of {user!r} were made before Google Sync started and have not "
        "been sent to Google.",
        "Check 'Populate Google Calendar' on the Google tab (it unchecks itself when done), or "
        "run 'studiosync google options {user} --populate-google'.",
    ),
    ErrorCode.GOOGLE_UNREACHABLE: Entry(
        "Google cannot be reached",
        "Could not reach Google at {url}: {reason}.",
        "Check that this computer is on and has an Internet connection; the sync will try "
        "again on its next run.",
    ),
    ErrorCode.PROVIDER_RATE_LIMITED: Entry(
        "Google asked us to slow down",
        "Google refused a request because too many were sent in a short time "
        "(rate limit, HTTP 403 or 429).",
        "Nothing to do: the sync waits and retries by itself. If this repeats every run, "
        "space out the Google Sync Processor schedule in Utilities > Control Center.",
    ),
    ErrorCode.PROVIDER_QUOTA_EXCEEDED: Entry(
        "Google's daily quota is used up",
        "Google refused further requests for this account today (quotaExceeded).",
        "Wait: the sync pauses this user for a few hours and then resumes by itself. If it "
        "happens daily, check for another program writing to the same calendar.",
    ),
    ErrorCode.PROVIDER_UNAVAILABLE: Entry(
        "Google could not be reached",
        "The request to Google failed ({reason}): a server error, a timeout or a dropped "
        "connection.",
        "Make sure the computer running the Google Sync Processor (Utilities > Control Center) "
        "is on and online; the next run retries by itself.",
    ),
    ErrorCode.PROVIDER_ETAG_MISMATCH: Entry(
        "The event changed in Google meanwhile",
        "Event {event_id} was changed in Google after studiosync last read it.",
        "Nothing to do: the sync reads it again and applies the conflict rules.",
    ),
    ErrorCode.PROVIDER_DUPLICATE_ID: Entry(
        "The event already exists in Google",
        "Google already holds an event with id {event_id}.",
        "Nothing to do: the sync adopts the existing event instead of making a second one.",
    ),
    ErrorCode.PROVIDER_ITEM_NOT_FOUND: Entry(
        "Not found in Google",
        "Google holds no {item}.",
        "Check the calendar chosen on the Google tab (Maintenance > Preferences > "
        "User Preferences > Google) still exists and is shared with this account.",
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
        "Pick a calendar you own or may edit on the Google tab, or remove and re-authenticate "
        "the Google account leaving every permission ticked.",
    ),
    ErrorCode.PROVIDER_BAD_REQUEST: Entry(
        "Google refused the request",
        "Google refused a request as invalid: {reason}.",
        "Send the Control Center log of this run (Utilities > Control Center) to support.",
    ),
    ErrorCode.SYNC_BULK_DELETE_GUARD: Entry(
        "Sync stopped before deleting many appointments",
        "This run would delete {deletes} of the {mapped} synced items on the {side} side, so it "
        "stopped without changing anything.",
        "Check the Google calendar chosen on the Google tab (Maintenance > Preferences > "
        "User Preferences > Google) is the right one; if the deletions are wanted, confirm them "
        "with 'studiosync sync {user} --confirm-bulk-delete'.",
    ),
    ErrorCode.SYNC_BAD_EVENT_SKIPPED: Entry(
        "A Google event was put aside",
        "Google event \u201c{title}\u201d ({when}) cannot be read as an appointment ({reason}); "
        "it was put aside and the rest of the sync went on.",
        "Open the event in Google Calendar and fix it (start and end, time zone, length of the "
        "text), or delete it; it is tried again as soon as it changes.",
    ),
    ErrorCode.SYNC_TENTATIVE_SKIPPED: Entry(
        "Tentative Google events are not downloaded",
        "Google holds {count} tentative or unanswered events that are not downloaded.",
        "To download them, check 'Download Tentative, Non-Confirmed Appointments' on the Google "
        "tab (Maintenance > Preferences > User Preferences > Google).",
    ),
    ErrorCode.SYNC_NOT_AN_APPOINTMENT: Entry(
        "A Google entry is not an appointment",
        "Google event {event_id} is a {event_type} entry, which is not copied to the studio.",
        "Nothing to do; create a regular event in Google if it should become an appointment.",
    ),
    ErrorCode.SYNC_CONFLICT_RECORDED: Entry(
        "A Google edit or a studio edit was not kept",
        "Appointment {appointment_id} and its Google event {event_id}: {fields} ({reason}); the "
        "{winner} version was kept and the other one saved in the conflict log.",
        "Review the conflict log under Utilities > Control Center > Conflicts and copy back "
        "anything needed. Who may change each field from Google is set under Company "
        "Preferences > Google, or with 'studiosync company google-fields' (for example "
        "'studiosync company google-fields --location google').",
    ),
    ErrorCode.SYNC_FULL_RESYNC: Entry(
        "A full resync was done",
        "Google asked for a full resync of the {kind}; everything was read again and matched "
        "to what was already synced.",
        "Nothing to do.",
    ),
    ErrorCode.SYNC_PAUSED_FOR_QUOTA: Entry(
        "Sync paused for this user",
        "Google's quota for this account is used up; syncing this user resumes after {until}.",
        "Nothing to do: it resumes by itself. If it happens daily, check for another program "
        "writing to the same calendar.",
    ),
    ErrorCode.SYNC_RETRY_LATER: Entry(
        "Some items will be retried",
        "{item} could not be synced this time ({reason}).",
        "Nothing to do: the next run retries it. If it keeps failing, make sure the computer "
        "running the Google Sync Processor (Utilities > Control Center) is online.",
    ),
    ErrorCode.SYNC_ITEM_REFUSED: Entry(
        "Google refused an item",
        "Google refused {item} ({reason}).",
        "Check the calendar chosen on the Google tab (Maintenance > Preferences > User "
        "Preferences > Google) is writable by this account (owner or writer).",
    ),
    ErrorCode.SYNC_STUDIO_REFUSED: Entry(
        "The studio refused a Google change",
        "The change from Google to {item} could not be saved in the studio ({reason}).",
        "Correct the event in Google Calendar (or the appointment in the studio); the next "
        "change is synced again.",
    ),
    ErrorCode.SYNC_ADOPTED_EVENT: Entry(
        "An existing Google event was reused",
        "Google already held event {event_id} for appointment {appointment_id} (for example "
        "after an interrupted run); it was linked instead of copied again.",
        "Nothing to do.",
    ),
    ErrorCode.SYNC_POPULATE_NEEDS_TWO_WAY: Entry(
        "Populate studio needs two-way sync",
        "'Populate studio' copies older Google events into the studio, which only happens "
        "when Google changes are sent to the studio.",
        "Check 'Send New, Modified, and Deleted Google Appointments' on the Google tab "
        "(Maintenance > Preferences > User Preferences > Google), or uncheck 'Populate studio'.",
    ),
    ErrorCode.SYNC_CONTACT_SKIPPED: Entry(
        "A Google contact was skipped",
        "Google contact {contact} was not imported ({reason}).",
        "Give the contact a name or an email address in Google Contacts; the next run imports it.",
    ),
    ErrorCode.SYNC_ROUND_SUMMARY: Entry(
        "What this sync did",
        "{summary}",
        "Nothing to do.",
    ),
    ErrorCode.CONTROL_SCHEDULE_INVALID: Entry(
        "The schedule is not valid",
        "{schedule!r} is not a schedule studiosync understands: {reason}.",
        "Give 'every N minutes' (for example 'every 15 minutes') or a five-field cron "
        "expression such as '*/15 7-20 * * *' in Utilities > Control Center "
        "('studiosync job schedule \"every 15 minutes\"').",
    ),
    ErrorCode.CONTROL_SCHEDULE_NEVER_FIRES: Entry(
        "The schedule never runs",
        "{schedule!r} names a date that never comes (such as 30 February), so the job would "
        "never run.",
        "Choose a schedule with a real date in Utilities > Control Center ('studiosync job "
        'schedule "every 15 minutes"\').',
    ),
    ErrorCode.CONTROL_SCHEDULE_TOO_OFTEN: Entry(
        "The schedule runs too often",
        "{schedule!r} would start the job more than once a minute; Google asks programs not to "
        "poll that often.",
        "Choose at most one run a minute in Utilities > Control Center ('studiosync job "
        'schedule "every 5 minutes"\').',
    ),
    ErrorCode.CONTROL_UNKNOWN_COMPUTER: Entry(
        "Unknown computer",
        "No computer named {computer!r} has checked in with the Control Center (known: {known}).",
        "Start 'studiosync processor' (or run 'studiosync computer register') once on that "
        "computer so it checks in, then choose it with 'studiosync job computer NAME'; or "
        "choose 'any'.",
    ),
    ErrorCode.CONTROL_NO_COMPUTER: Entry(
        "No computer is chosen to run the job",
        "The {job!r} job cannot be enabled before a computer is chosen to run it.",
        "Choose the computer in Utilities > Control Center ('studiosync job computer NAME', "
        "or 'studiosync job computer any'), then enable the job ('studiosync job enable').",
    ),
    ErrorCode.CONTROL_JOB_DISABLED: Entry(
        "The job is disabled",
        "The {job!r} job is disabled, so the processor will not run it.",
        "Enable it in Utilities > Control Center ('studiosync job enable'), or run one round "
        "now on this computer with 'studiosync job run-now --here'.",
    ),
    ErrorCode.CONTROL_SYNC_DISABLED: Entry(
        "Google Sync is not enabled for this user",
        "{user!r} has 'Enable Google Sync' unchecked, so the processor skips them.",
        "Check 'Enable Google Sync' on the Google tab (Maintenance > Preferences > User "
        "Preferences > Google) or run 'studiosync google options {user} --enable'.",
    ),
    ErrorCode.CONTROL_USER_BUSY: Entry(
        "This user is already being synced",
        "{user!r} is being synced right now by {owner}, so this sync did not start: the "
        "same user is never synced twice at once.",
        "Nothing to do: the next round syncs them, or run 'studiosync sync {user}' again once "
        "that sync is over. A processor or worker that stopped without finishing hands the "
        "user back by itself within 2 minutes; if this repeats for long, check that computer "
        "in Utilities > Control Center ('studiosync computer list').",
    ),
    ErrorCode.CONTROL_SYNCER_FAILED: Entry(
        "The sync of this user failed unexpectedly",
        "Syncing {user!r} stopped on an unexpected problem ({error}, reference {reference}); "
        "the other users were synced as usual.",
        "The next round tries again; if it keeps failing, send the Control Center log "
        "('studiosync logs --user {user} --level error') to support.",
    ),
    ErrorCode.CONTROL_SYNCER_NOT_CONFIGURED: Entry(
        "The sync program cannot be loaded",
        "The sync function {syncer!r} cannot be used: {reason}.",
        "Set STUDIOSYNC_SYNCER to 'module:function' of an installed sync function, or leave it "
        "unset to use studiosync's own; then restart 'studiosync processor' or "
        "'studiosync worker'.",
    ),
    ErrorCode.CONTROL_USER_NOT_FINISHED: Entry(
        "A user's sync did not finish in this round",
        "No worker finished syncing {user!r} from queue {queue!r} within {seconds} seconds.",
        "Make sure a worker listens on that queue and its computer is on and online "
        "('studiosync worker --queue {queue}'); the next round tries again.",
    ),
    ErrorCode.CONTROL_ROUND_ABANDONED: Entry(
        "The round stopped before it finished",
        "The processor on {computer} stopped in the middle of this round (it was killed, it "
        "crashed, or its computer went off); users it had not finished: {users}. Another "
        "processor took the round over once it was no longer heard from.",
        "Nothing to do for the users: the round that took over synced them. If it happens "
        "again, look at the processor's log on {computer} and make sure a service manager "
        "restarts it.",
    ),
    ErrorCode.CONTROL_BROKER_UNREACHABLE: Entry(
        "The task queue cannot be reached",
        "The round could not hand users to the workers through {broker}: {reason}.",
        "Check that Redis is running and STUDIOSYNC_BROKER_URL points at it; the next round "
        "tries again.",
    ),
    ErrorCode.CONTROL_SCALE_OUT_NEEDS_POSTGRES: Entry(
        "Workers need a shared database",
        "STUDIOSYNC_BROKER_URL is set but the database is {database}, a file only this "
        "computer can use; workers on other computers could not see it.",
        "Set STUDIOSYNC_DATABASE_URL to the studio's PostgreSQL database on every computer, "
        "or unset STUDIOSYNC_BROKER_URL to sync inside 'studiosync processor'.",
    ),
}
