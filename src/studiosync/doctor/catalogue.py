"""The error catalogue: a title, a plain-language cause and a fix for every ErrorCode."""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from studiosync.errors import ErrorCode, StudioSyncError


@dataclass(frozen=True)
class Entry:
    """How one error code is worded; ``cause`` and ``fix`` may name ``{params}`` of the error."""

    title: str
    cause: str
    fix: str


@dataclass(frozen=True)
class Explanation:
    """An error worded for a person: what happened, why, and what to do."""

    code: ErrorCode
    title: str
    cause: str
    fix: str

    @property
    def message(self) -> str:
        return f"{self.cause} {self.fix}".strip()


CATALOGUE: dict[ErrorCode, Entry] = {
    ErrorCode.FIELD_REQUIRED: Entry(
        "A required value is missing",
        "{field} is required.",
        "Give a value for {field}.",
    ),
    ErrorCode.INVALID_VALUE: Entry(
        "A value is not valid",
        "{field} cannot be {value!r}: {reason}.",
        "Give a valid {field}.",
    ),
    ErrorCode.INVALID_EMAIL: Entry(
        "An email address is not valid",
        "{field} is not an email address: {value!r}.",
        "Enter an address of the form name@example.com.",
    ),
    ErrorCode.INVALID_TIMEZONE: Entry(
        "Unknown time zone",
        "{field} names no known time zone: {value!r}.",
        "Use an IANA time zone name such as Europe/London or America/New_York.",
    ),
    ErrorCode.END_BEFORE_START: Entry(
        "The appointment ends before it starts",
        "The end ({end}) is not after the start ({start}).",
        "Choose an end time later than the start time.",
    ),
    ErrorCode.NOT_FOUND: Entry(
        "Not found",
        "There is no {entity} {key!r}.",
        "Check the spelling, or list them with 'studiosync {command} list'.",
    ),
    ErrorCode.DUPLICATE: Entry(
        "Already taken",
        "Another {entity} already has {field} {value!r}.",
        "Choose a different {field}, or edit the existing {entity}.",
    ),
    ErrorCode.RESOURCE_NOT_USER: Entry(
        "A resource cannot be assigned as a person",
        "{name!r} is a resource ({kind}), not a user; only users can be photographer, assistant "
        "or have an appointment assigned.",
        "Assign a user here, and add the {kind} under the appointment's resources instead.",
    ),
    ErrorCode.RESOURCE_CANNOT_SYNC: Entry(
        "Resources cannot sync with Google",
        "{name!r} is a resource ({kind}). Resources such as locations or rooms cannot sync with "
        "Google; only users can.",
        "Set up Google Sync for the user who works in that {kind} instead (Maintenance > Users).",
    ),
    ErrorCode.WARNINGS_ADDRESS_REQUIRED: Entry(
        "A warnings address is required",
        "Google Sync is enabled for {user!r} but no address is set for warnings and errors.",
        "Check 'Email Warnings and Errors to Me' and enter an address on the Google tab "
        "('studiosync google options {user} --email-warnings --warnings-email ADDRESS').",
    ),
    ErrorCode.CLIENT_GROUP_REQUIRED: Entry(
        "Contacts need a client group",
        "Google contacts sync is on for {user!r} but no existing client group is selected.",
        "Pick a client group for Google contacts on the Google tab "
        "('studiosync google options {user} --contacts-group GROUP'); create one under "
        "Maintenance > Client > Client Groups ('studiosync group add NAME').",
    ),
    ErrorCode.ALL_DAY_NEEDS_DATES: Entry(
        "An all-day appointment needs dates",
        "An all-day appointment is given by its first and last day, not by times.",
        "Give --start and --end as dates (YYYY-MM-DD); the last day is included.",
    ),
    ErrorCode.INVALID_DATE: Entry(
        "A date is not valid",
        "{field} is not a date: {value!r}.",
        "Write the date as YYYY-MM-DD, for example 2026-12-05.",
    ),
    ErrorCode.INVALID_TIME: Entry(
        "A time is not valid",
        "{field} is not a time of day: {value!r}.",
        "Write the time as HH:MM on the 24-hour clock, for example 14:30.",
    ),
    ErrorCode.INVALID_NUMBER: Entry(
        "A number is not valid",
        "{field} must be a whole number from {minimum} to {maximum}, not {value!r}.",
        "Enter a whole number from {minimum} to {maximum}.",
    ),
    ErrorCode.SELF_LOCKOUT: Entry(
        "You cannot lock yourself out",
        "You are logged in as {user!r}; deactivating yourself or taking away your own "
        "administrator role would leave you unable to manage the studio.",
        "Ask another administrator to make this change under Maintenance > Users.",
    ),
    ErrorCode.APPOINTMENT_CHANGED: Entry(
        "The appointment changed meanwhile",
        "Appointment {appointment} was changed (by someone else or by Google Sync) after you "
        "opened it, so your version was not saved over it.",
        "Open the appointment again to see its latest version, then make your change again.",
    ),
    ErrorCode.LOGIN_REQUIRED: Entry(
        "Please log in",
        "This needs you to be logged in to studiosync.",
        "Log in with your login and password on the login page; for the API, send "
        "'Authorization: Bearer TOKEN' with a token from POST /api/token.",
    ),
    ErrorCode.LOGIN_FAILED: Entry(
        "Login failed",
        "The login and password do not match an active user.",
        "Check your login and password (the password is case-sensitive); an administrator can "
        "set a new password or reactivate your user under Maintenance > Users.",
    ),
    ErrorCode.TOKEN_INVALID: Entry(
        "The API token is not accepted",
        "The API token was refused: {reason}.",
        "Get a new token with POST /api/token (login and password).",
    ),
    ErrorCode.ADMIN_ONLY: Entry(
        "For administrators only",
        "{what} can only be seen or changed by an administrator.",
        "Ask an administrator of your studio, or log in as one.",
    ),
    ErrorCode.NOT_YOUR_ACCOUNT: Entry(
        "This belongs to another user",
        "Only that user and administrators may see or change {what}.",
        "Open your own Google tab (Preferences > My Google tab), or ask an administrator.",
    ),
    ErrorCode.OTHERS_SYNC_HISTORY: Entry(
        "This is another user's sync history",
        "Only that user and administrators may see {what}.",
        "Open your own runs, log and conflicts (Sync log in the menu), or ask an administrator.",
    ),
    ErrorCode.FORM_EXPIRED: Entry(
        "The form has expired",
        "The form was sent without the security token of your current login (it may have been "
        "open for a long time, or you logged in again meanwhile), so nothing was changed.",
        "Reload the page and send the form again.",
    ),
    ErrorCode.PAGE_NOT_FOUND: Entry(
        "Page not found",
        "There is no page at {path}.",
        "Use the menu at the top of the page to find what you need.",
    ),
    ErrorCode.UNEXPECTED: Entry(
        "Something went wrong on our side",
        "studiosync could not finish this request because of an unexpected problem "
        "(reference {reference}).",
        "Try again; if it happens again, give the reference {reference} and the server log to "
        "your support contact.",
    ),
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
    ErrorCode.EMAIL_UNDELIVERABLE: Entry(
        "That address cannot receive email",
        "{address} is on a domain reserved for testing, so no email can reach it.",
        "Enter a real address for warnings and errors on the Google tab "
        "('studiosync google options {user} --warnings-email ADDRESS').",
    ),
    ErrorCode.GOOGLE_UNREACHABLE: Entry(
        "Google cannot be reached",
        "Could not reach Google at {url}: {reason}.",
        "Check that this computer is on and has an Internet connection; the sync will try "
        "again on its next run.",
    ),
    ErrorCode.NOT_INITIALISED: Entry(
        "The studio is not set up yet",
        "The database at {database} has no studio in it.",
        "Run 'studiosync init' first.",
    ),
    ErrorCode.DATABASE_UNREACHABLE: Entry(
        "The database cannot be reached",
        "Could not open the database {database}: {reason}.",
        "Check STUDIOSYNC_DATABASE_URL, that the database server is running, and the password.",
    ),
    ErrorCode.SECRET_KEY_INVALID: Entry(
        "The secret key does not fit",
        "Stored secrets cannot be decrypted with the secret key at {path}.",
        "Restore the secret key this studio was set up with (STUDIOSYNC_SECRET_KEY or the key "
        "file), or enter the secrets again.",
    ),
    ErrorCode.SETTINGS_INVALID: Entry(
        "A setting is not valid",
        "{reason}.",
        "Fix the setting in the environment (STUDIOSYNC_*) or in the settings file.",
    ),
    ErrorCode.SANDBOX_CANNOT_LISTEN: Entry(
        "The Google sandbox cannot start",
        "It cannot listen on {host}:{port} ({reason}); another program may already use that port.",
        "Stop the other program, or start it on a free port: 'studiosync sandbox --port 0' "
        "picks one and prints its address.",
    ),
    ErrorCode.SANDBOX_DATA_UNUSABLE: Entry(
        "The Google sandbox cannot use its data file",
        "The file {path} cannot be opened as the sandbox's state ({reason}).",
        "Give 'studiosync sandbox --data' a writable path, or move the damaged file away to "
        "start with an empty sandbox.",
    ),
    ErrorCode.EMAIL_NOT_CONFIGURED: Entry(
        "Email is not set up",
        "studiosync cannot send email because the Email tab of Company Preferences is "
        "missing: {fields}.",
        "Fill in {fields} on Maintenance > Preferences > Company (Studio) Preferences > Email "
        "tab ('studiosync company email --host SERVER --from ADDRESS --username NAME "
        "--ask-password'), then run 'studiosync email test ADDRESS'.",
    ),
    ErrorCode.SMTP_DNS: Entry(
        "The mail server's name cannot be found",
        "The SMTP server name {host!r} could not be looked up: it is misspelled, no longer "
        "exists, or this computer is not connected to the Internet.",
        "Check the SMTP server on Maintenance > Preferences > Company (Studio) Preferences > "
        "Email tab ('studiosync company email --host SERVER') and this computer's Internet "
        "connection, then run 'studiosync email test ADDRESS'.",
    ),
    ErrorCode.SMTP_REFUSED: Entry(
        "The mail server refused the connection",
        "Nothing accepted a connection at {host}:{port}: the port is wrong, the mail server is "
        "down, or a firewall blocks it.",
        "Check the SMTP server and port on Maintenance > Preferences > Company (Studio) "
        "Preferences > Email tab (usually 587 with starttls, 465 with ssl: 'studiosync company "
        "email --port 587 --security starttls'), then run 'studiosync email test ADDRESS'.",
    ),
    ErrorCode.SMTP_TIMEOUT: Entry(
        "The mail server did not answer",
        "{host}:{port} did not answer within {timeout} seconds: a firewall may be dropping "
        "the connection, or the port expects another security setting (port 465 needs ssl).",
        "Check the SMTP port and security on Maintenance > Preferences > Company (Studio) "
        "Preferences > Email tab ('studiosync company email --port 465 --security ssl' or "
        "'--port 587 --security starttls') and that this computer is online, then run "
        "'studiosync email test ADDRESS'.",
    ),
    ErrorCode.SMTP_TLS: Entry(
        "A secure connection to the mail server failed",
        "The secure (TLS) connection to {host}:{port} with security {security!r} could not be "
        "set up: {reason}.",
        "Use the security your email provider names on Maintenance > Preferences > Company "
        "(Studio) Preferences > Email tab (ssl with port 465, starttls with port 587: "
        "'studiosync company email --security starttls --port 587'); if the certificate is not "
        "trusted, enter the server name the certificate was issued for. Then run "
        "'studiosync email test ADDRESS'.",
    ),
    ErrorCode.SMTP_AUTH: Entry(
        "The mail server did not accept the login",
        "{host} did not accept the SMTP login (username {username!r}): {reason}.",
        "Enter the SMTP username and password again on Maintenance > Preferences > Company "
        "(Studio) Preferences > Email tab ('studiosync company email --username NAME "
        "--ask-password'); some providers want an app password, and most only allow login with "
        "security starttls or ssl. Then run 'studiosync email test ADDRESS'.",
    ),
    ErrorCode.SMTP_REJECTED: Entry(
        "The mail server refused the message",
        "{host} would not take the message from {sender!r} to {recipients}: {reason}.",
        "Check the recipient address (for sync emails: 'Email Warnings and Errors to' on the "
        "user's Google tab) and that your SMTP account may send as the From address on "
        "Maintenance > Preferences > Company (Studio) Preferences > Email tab ('studiosync "
        "company email --from ADDRESS'), then run 'studiosync email test ADDRESS'.",
    ),
    ErrorCode.SMTP_FAILED: Entry(
        "Sending email failed",
        "Talking to the mail server {host}:{port} failed: {reason}.",
        "Check the settings on Maintenance > Preferences > Company (Studio) Preferences > Email "
        "tab ('studiosync company show'), run 'studiosync email test ADDRESS', and if it still "
        "fails ask your email provider about the reply shown.",
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
        "A Google event was skipped",
        "Google event {event_id} cannot be read as an appointment ({reason}); the rest of the "
        "sync went on.",
        "Open the event in Google Calendar and fix it (start and end, time zone, length of the "
        "text), or delete it; the next run picks it up.",
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
        "An appointment changed on both sides",
        "Appointment {appointment_id} and its Google event {event_id} both changed since the "
        "last sync ({reason}); the {winner} version was kept and the other one saved in the "
        "conflict log.",
        "Review the conflict log under Utilities > Control Center and copy back anything "
        "needed; the conflict rule is set in the studio's Google sync preferences.",
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
        "Another processor or worker ({owner}) is syncing {user!r} right now, so this round "
        "skipped them to avoid syncing the same user twice at once.",
        "Nothing to do: the next round syncs them. If this repeats for hours, check the "
        "computers in Utilities > Control Center ('studiosync computer list').",
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


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: dict[str, Any]) -> str:
    formatter = string.Formatter()
    try:
        return formatter.vformat(template, (), _Lenient(params))
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


def explain_code(code: ErrorCode, **params: Any) -> Explanation:
    """Word one error code with its data."""
    entry = CATALOGUE[code]
    return Explanation(
        code=code,
        title=_fill(entry.title, params),
        cause=_fill(entry.cause, params),
        fix=_fill(entry.fix, params),
    )


def explain(error: StudioSyncError) -> Explanation:
    """Word a studiosync error for a person."""
    return explain_code(error.code, **error.params)
