"""Catalogue wording for the studio's own errors: input, settings, access, web and email."""

from __future__ import annotations

from studiosync.doctor.entry import EMAIL_TAB, GOOGLE_TAB, USERS, Entry
from studiosync.errors import ErrorCode

STUDIO_ENTRIES: dict[ErrorCode, Entry] = {
    ErrorCode.FIELD_REQUIRED: Entry(
        "A required value is missing",
        "{field} is required.",
        "Give a value for {field}.",
    ),
    ErrorCode.INVALID_VALUE: Entry(
        "A value is not valid",
        "The {field} cannot be {value}: {reason}.",
        "Type a {field} that fits: {reason}.",
    ),
    ErrorCode.INVALID_EMAIL: Entry(
        "An email address is not valid",
        "The {field} is not an email address: {value}.",
        "Enter an address of the form name@example.com.",
    ),
    ErrorCode.INVALID_TIMEZONE: Entry(
        "Unknown time zone",
        "The {field} names no known time zone: {value}.",
        "Use an IANA time zone name such as Europe/London or America/New_York.",
    ),
    ErrorCode.END_BEFORE_START: Entry(
        "The appointment ends before it starts",
        "The end ({end}) is before the start ({start}).",
        "Choose an end time later than the start time.",
    ),
    ErrorCode.ENDS_WHEN_IT_STARTS: Entry(
        "The appointment ends when it starts",
        "It starts and ends at {start}: it would last no time at all.",
        "Choose an end time later than the start time.",
    ),
    ErrorCode.DOUBLE_BOOKING: Entry(
        "This would be a double booking",
        "At that time {clashes}.",
        "Choose another time, room or person. If the double booking is meant, tick 'Book "
        "anyway' on the form.",
        None,
        "the same command again with --allow-double-booking",
    ),
    ErrorCode.NOT_FOUND: Entry(
        "Not found",
        'There is no {entity} "{key}".',
        "Check the spelling.",
        None,
        "studiosync {command} list",
    ),
    ErrorCode.DUPLICATE: Entry(
        "Already taken",
        'Another {entity} already has the {field} "{value}".',
        "Choose a different {field}, or edit the existing {entity}.",
    ),
    ErrorCode.RESOURCE_NOT_USER: Entry(
        "A resource cannot be assigned as a person",
        "{name} is a resource ({kind}), not a user; only users can be photographer, assistant "
        "or have an appointment assigned.",
        "Assign a user here, and add the {kind} under the appointment's resources instead.",
    ),
    ErrorCode.RESOURCE_CANNOT_SYNC: Entry(
        "Resources cannot sync with Google",
        "{name} is a resource ({kind}). Resources such as locations or rooms cannot sync with "
        "Google; only users can.",
        "Set up Google Sync for the user who works in that {kind} instead.",
        USERS,
        "studiosync user list",
    ),
    ErrorCode.WARNINGS_ADDRESS_REQUIRED: Entry(
        "A warnings address is required",
        "Google Sync is enabled for {user} but no address is set for warnings and errors.",
        "Check 'Email Warnings and Errors to Me' and enter an address.",
        GOOGLE_TAB,
        "studiosync google options {user} --email-warnings --warnings-email ADDRESS",
    ),
    ErrorCode.CLIENT_GROUP_REQUIRED: Entry(
        "Contacts need a client group",
        "Google contacts sync is on for {user} but no existing client group is selected.",
        "Pick a client group for Google contacts (create one under Maintenance > Client > "
        "Client Groups first if there is none).",
        GOOGLE_TAB,
        "studiosync google options {user} --contacts-group GROUP",
    ),
    ErrorCode.ALL_DAY_NEEDS_DATES: Entry(
        "An all-day appointment needs dates",
        "An all-day appointment is given by its first and last day, not by times.",
        "Give the start and end as dates (YYYY-MM-DD); the last day is included.",
    ),
    ErrorCode.INVALID_DATE: Entry(
        "A date is not valid",
        "The {field} is not a date: {value}.",
        "Write the date as YYYY-MM-DD, for example 2026-12-05.",
    ),
    ErrorCode.INVALID_TIME: Entry(
        "A time is not valid",
        "The {field} is not a time of day: {value}.",
        "Write the time as HH:MM on the 24-hour clock, for example 14:30.",
    ),
    ErrorCode.INVALID_NUMBER: Entry(
        "A number is not valid",
        "The {field} must be a whole number from {minimum} to {maximum}, not {value}.",
        "Enter a whole number from {minimum} to {maximum}.",
    ),
    ErrorCode.SELF_LOCKOUT: Entry(
        "You cannot lock yourself out",
        "You are logged in as {user}; deactivating yourself or taking away your own "
        "administrator role would leave you unable to manage the studio.",
        "Ask another administrator to make this change.",
        USERS,
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
        "Log in with your login and password on the login page; programs using the API send "
        "'Authorization: Bearer TOKEN' with a token from POST /api/token.",
    ),
    ErrorCode.LOGIN_FAILED: Entry(
        "Login failed",
        "The login and password do not match an active user.",
        "Check your login and password (the password is case-sensitive); an administrator can "
        "set a new password or reactivate your user.",
        USERS,
    ),
    ErrorCode.LOGIN_THROTTLED: Entry(
        "Too many failed logins",
        "Logins {where} failed so many times in a row that they are paused for a moment, to "
        "stop anyone guessing passwords.",
        "Try again in {wait}. If you forgot your password, an administrator can set a new one "
        "under Maintenance > Users.",
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
        "Open your own Google tab, or ask an administrator.",
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
    ErrorCode.EMAIL_UNDELIVERABLE: Entry(
        "That address cannot receive email",
        "{address} is on a domain reserved for testing, so no email can reach it.",
        "Enter a real address for warnings and errors.",
        GOOGLE_TAB,
        "studiosync google options {user} --warnings-email ADDRESS",
    ),
    ErrorCode.NOT_INITIALISED: Entry(
        "The studio is not set up yet",
        "The database at {database} has no studio in it.",
        "Set the studio up first.",
        None,
        "studiosync init",
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
    ErrorCode.FILES_NOT_PRIVATE: Entry(
        "The studio's files can be read by other accounts",
        "{files} can be read by other accounts on this computer; they hold the staff's "
        "password hashes, client details and the secret key that unlocks the Google and email "
        "passwords.",
        "Make them private to the account that runs studiosync: {command} (studiosync also "
        "does this each time it starts, when that account owns them). If they keep coming "
        "back loose, look for what copies or restores them (a backup tool, a shared folder).",
    ),
    ErrorCode.SANDBOX_CANNOT_LISTEN: Entry(
        "The Google sandbox cannot start",
        "It cannot listen on {host}:{port} ({reason}); another program may already use that port.",
        "Stop the other program, or start the sandbox on a free port.",
        None,
        "studiosync sandbox --port 0 (picks a free port and prints its address)",
    ),
    ErrorCode.SANDBOX_DATA_UNUSABLE: Entry(
        "The Google sandbox cannot use its data file",
        "The file {path} cannot be opened as the sandbox's state ({reason}).",
        "Give the sandbox a data file it may write, or move the damaged file away to start "
        "with an empty sandbox.",
        None,
        "studiosync sandbox --data PATH",
    ),
    ErrorCode.EMAIL_NOT_CONFIGURED: Entry(
        "Email is not set up",
        "studiosync cannot send email because the Email tab of Company Preferences is "
        "missing: {fields}.",
        "Fill in {fields}, then send a test email.",
        EMAIL_TAB,
        "studiosync company email --host SERVER --from ADDRESS --username NAME --ask-password",
    ),
    ErrorCode.SMTP_DNS: Entry(
        "The mail server's name cannot be found",
        'The SMTP server name "{host}" could not be looked up: it is misspelled, no longer '
        "exists, or this computer is not connected to the Internet.",
        "Check the SMTP server name and this computer's Internet connection, then send a "
        "test email.",
        EMAIL_TAB,
        "studiosync company email --host SERVER, then studiosync email test ADDRESS",
    ),
    ErrorCode.SMTP_REFUSED: Entry(
        "The mail server refused the connection",
        "Nothing accepted a connection at {host} port {port}: the port is wrong, the mail "
        "server is down, or a firewall blocks it.",
        "Check the SMTP server and port (usually 587 with STARTTLS, or 465 with SSL), then "
        "send a test email.",
        EMAIL_TAB,
        "studiosync company email --port 587 --security starttls",
    ),
    ErrorCode.SMTP_TIMEOUT: Entry(
        "The mail server did not answer",
        "{host} port {port} did not answer within {timeout} seconds: a firewall may be "
        "dropping the connection, or the port expects another security setting (port 465 "
        "needs SSL).",
        "Check the SMTP port and security, and that this computer is online, then send a "
        "test email.",
        EMAIL_TAB,
        "studiosync company email --port 465 --security ssl",
    ),
    ErrorCode.SMTP_TLS: Entry(
        "A secure connection to the mail server failed",
        "The secure connection to {host} port {port} with security {security} could not be "
        "set up: {reason}.",
        "Use the security your email provider names (SSL with port 465, STARTTLS with port "
        "587); if the certificate is not trusted, enter the server name the certificate was "
        "issued for. Then send a test email.",
        EMAIL_TAB,
        "studiosync company email --security starttls --port 587",
    ),
    ErrorCode.SMTP_AUTH: Entry(
        "The mail server did not accept the login",
        '{host} did not accept the SMTP login (username "{username}"): {reason}.',
        "Enter the SMTP username and password again; some providers want an app password, "
        "and most only allow login with security STARTTLS or SSL. Then send a test email.",
        EMAIL_TAB,
        "studiosync company email --username NAME --ask-password",
    ),
    ErrorCode.SMTP_PASSWORD_IN_ARGUMENTS: Entry(
        "The SMTP password cannot be typed as part of the command",
        "A password given as an argument is seen in the list of running programs and kept in "
        "the shell's history.",
        "Give the password at a hidden prompt, on standard input, or in the "
        "STUDIOSYNC_SMTP_PASSWORD environment variable.",
        EMAIL_TAB,
        "studiosync company email --ask-password (or --password-stdin)",
    ),
    ErrorCode.SMTP_PASSWORD_WITHOUT_USERNAME: Entry(
        "An SMTP password needs a username",
        "A password was given but the Email tab has no SMTP username, so every email would fail "
        "to log in.",
        "Give the SMTP username together with the password.",
        EMAIL_TAB,
        "studiosync company email --username NAME --ask-password",
    ),
    ErrorCode.SMTP_LOGIN_IN_CLEAR: Entry(
        "The SMTP login would be sent unprotected",
        "Security is 'none', so the username and password would cross the network readable by "
        "anyone on the way.",
        "Choose security STARTTLS (usually port 587) or SSL (usually port 465); only for a mail "
        "server on this computer or a trusted network, allow a login without security.",
        EMAIL_TAB,
        "studiosync company email --security starttls --port 587 (or add --allow-plaintext)",
    ),
    ErrorCode.SMTP_REJECTED: Entry(
        "The mail server refused the message",
        "{host} would not take the message from {sender} to {recipients}: {reason}.",
        "Check the recipient address (for sync emails: 'Email Warnings and Errors to' on the "
        "user's Google tab) and that your SMTP account may send as the From address, then "
        "send a test email.",
        EMAIL_TAB,
        "studiosync company email --from ADDRESS, then studiosync email test ADDRESS",
    ),
    ErrorCode.SMTP_FAILED: Entry(
        "Sending email failed",
        "Talking to the mail server {host} port {port} failed: {reason}.",
        "Check the email settings and send a test email; if it still fails, ask your email "
        "provider about the reply shown.",
        EMAIL_TAB,
        "studiosync company show, then studiosync email test ADDRESS",
    ),
}
