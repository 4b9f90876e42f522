"""Catalogue wording for CalDAV and CardDAV servers (iCloud, Fastmail, Nextcloud, Radicale...)."""

from __future__ import annotations

from studiosync.doctor.entry import GOOGLE_TAB, Entry
from studiosync.errors import ErrorCode

DAV_ENTRIES: dict[ErrorCode, Entry] = {
    ErrorCode.DAV_UNREACHABLE: Entry(
        "The calendar server cannot be reached",
        "Could not reach the calendar server {server}: {reason}.",
        "Check the server address and that this computer is on and has an Internet "
        "connection; the sync will try again on its next run.",
    ),
    ErrorCode.DAV_AUTH_FAILED: Entry(
        "The calendar server refused the sign-in",
        "The calendar server {server} did not accept the user name and password of {user}. "
        "iCloud accepts only an app-specific password, never the Apple ID password.",
        "Enter the account's user name and password again; for iCloud, create an "
        "app-specific password at https://account.apple.com (Sign-In and Security > "
        "App-Specific Passwords) and use it.",
    ),
    ErrorCode.DAV_NOT_A_SERVER: Entry(
        "No calendars were found at that address",
        "The address {server} answered, but not as a CalDAV calendar server ({reason}).",
        "Check the address the calendar service gives for CalDAV (for iCloud "
        "https://caldav.icloud.com, for Fastmail https://caldav.fastmail.com).",
    ),
    ErrorCode.DAV_CALENDAR_GONE: Entry(
        "The chosen calendar no longer exists on the server",
        "The calendar server of {user} no longer has the calendar chosen for it ({calendar}); "
        "it may have been deleted or unshared.",
        "Choose one of the account's existing calendars.",
    ),
    ErrorCode.DAV_READ_ONLY: Entry(
        "The chosen calendar cannot be written",
        'The account of {user} may only read the calendar "{calendar}"; studiosync needs to '
        "write appointments into it.",
        "Choose a calendar the account owns or may edit.",
    ),
    ErrorCode.DAV_NO_SYNC_COLLECTION: Entry(
        "The calendar server lists changes the slow way",
        "The calendar server {server} cannot say what changed since the last run (it lacks "
        "the sync-collection report), so each run compares every event's version instead. "
        "Nothing is lost, but runs take longer on large calendars.",
        "Nothing needs fixing. A newer server version may offer the faster way.",
    ),
    ErrorCode.DAV_NO_ADDRESSBOOK: Entry(
        "The account has no address book",
        "The calendar server {server} has no address book for {user}, so no contacts can "
        "come to the studio from it.",
        "Create an address book in the account, or turn off sending contacts to the studio.",
    ),
    ErrorCode.DAV_ACCOUNT_TAKEN: Entry(
        "That calendar account belongs to another user",
        "The calendar account {account} is already connected to {other}; each user syncs "
        "with an account of their own.",
        "Connect another account, or first remove this one from {other}.",
        GOOGLE_TAB,
        "studiosync caldav unlink {other}",
    ),
    ErrorCode.DAV_BAD_ADDRESS: Entry(
        "That is not a server address",
        '"{server}" is not the address of a calendar server.',
        "Enter the address the calendar service gives for CalDAV, such as "
        "https://caldav.icloud.com for iCloud, https://caldav.fastmail.com for Fastmail, or "
        "https://your-server/remote.php/dav for Nextcloud.",
        GOOGLE_TAB,
        "studiosync caldav link USER --server https://caldav.icloud.com --username NAME",
    ),
    ErrorCode.DAV_NOT_LINKED: Entry(
        "No CalDAV account is connected",
        "{user} is not connected to a CalDAV account (iCloud, Fastmail, Nextcloud...).",
        "Connect one with the server address, user name and password; for iCloud use an "
        "app-specific password from https://account.apple.com.",
        GOOGLE_TAB,
        "studiosync caldav link {user} --server https://caldav.icloud.com --username NAME",
    ),
    ErrorCode.DAV_CALENDAR_NOT_SELECTED: Entry(
        "No calendar is selected",
        "{user} is connected to a CalDAV account but has no calendar chosen to sync with.",
        "Pick one of the account's existing, writable calendars.",
        GOOGLE_TAB,
        "studiosync caldav calendars {user}",
    ),
    ErrorCode.CONNECTION_OTHER_KIND: Entry(
        "The user is already connected to another calendar service",
        "{user} syncs with a {linked} account; a user syncs with one calendar service at a "
        "time, so a {wanted} account cannot be added beside it.",
        "Remove the {linked} account first, then connect the {wanted} account.",
        GOOGLE_TAB,
        "{unlink}",
    ),
}
