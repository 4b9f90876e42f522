"""Catalogue wording for the Control Center: the job, its schedule, computers and workers."""

from __future__ import annotations

from studiosync.doctor.entry import CONTROL_CENTER, CONTROL_LOG, GOOGLE_TAB, Entry
from studiosync.errors import ErrorCode

CONTROL_ENTRIES: dict[ErrorCode, Entry] = {
    ErrorCode.CONTROL_COMPUTER_OFFLINE: Entry(
        "The sync computer is off or offline",
        "The Calendar Sync Processor runs on {computer}, but {reason} (last seen {last_seen}). "
        "That computer must be on and have an Internet connection to sync.",
        "Turn that computer on, connect it to the Internet and keep the Calendar Sync Processor "
        "running there; or choose another computer for the job.",
        CONTROL_CENTER,
        "studiosync processor (on that computer), or studiosync job computer NAME",
    ),
    ErrorCode.CONTROL_NEVER_RAN: Entry(
        "The sync has not run yet",
        "The Calendar Sync Processor job has no runs in its log.",
        "Enable the job, check its schedule and computer, and keep the Calendar Sync Processor "
        "running on that computer; or start a round now with 'Run now'.",
        CONTROL_CENTER,
        "studiosync job run-now",
    ),
    ErrorCode.CONTROL_SCHEDULE_INVALID: Entry(
        "The schedule is not valid",
        '"{schedule}" is not a schedule studiosync understands: {reason}.',
        "Type 'every N minutes' (for example 'every 15 minutes'), or five fields: minute "
        "(0-59), hour (0-23), day of the month (1-31), month (1-12) and day of the week (0-6, "
        "Sunday is 0), such as '*/15 7-20 * * *' for every 15 minutes from 7:00 to 20:45.",
        CONTROL_CENTER,
        'studiosync job schedule "every 15 minutes"',
    ),
    ErrorCode.CONTROL_SCHEDULE_NEVER_FIRES: Entry(
        "The schedule never runs",
        '"{schedule}" names a date that never comes (such as 30 February), so the job would '
        "never run.",
        "Choose a schedule with a real date, such as 'every 15 minutes'.",
        CONTROL_CENTER,
        'studiosync job schedule "every 15 minutes"',
    ),
    ErrorCode.CONTROL_SCHEDULE_TOO_OFTEN: Entry(
        "The schedule runs too often",
        '"{schedule}" would start the job more than once a minute; Google asks programs not '
        "to poll that often.",
        "Choose at most one run a minute, such as 'every 5 minutes'.",
        CONTROL_CENTER,
        'studiosync job schedule "every 5 minutes"',
    ),
    ErrorCode.CONTROL_UNKNOWN_COMPUTER: Entry(
        "Unknown computer",
        'No computer named "{computer}" has checked in with the Control Center (known: {known}).',
        "Start the Calendar Sync Processor once on that computer so it checks in, then choose "
        "it for the job; or choose 'any'.",
        CONTROL_CENTER,
        "studiosync computer register (on that computer), then studiosync job computer NAME",
    ),
    ErrorCode.CONTROL_NO_COMPUTER: Entry(
        "No computer is chosen to run the job",
        "The {job} job cannot be enabled before a computer is chosen to run it.",
        "Choose the computer that runs the job (or 'any'), then enable the job.",
        CONTROL_CENTER,
        "studiosync job computer NAME, then studiosync job enable",
    ),
    ErrorCode.CONTROL_JOB_DISABLED: Entry(
        "The job is disabled",
        "While the {job} job is disabled the processor runs no rounds, so nobody's appointments "
        "are synced on its schedule.",
        "Enable the job, or run one round now with 'Run now'.",
        CONTROL_CENTER,
        "studiosync job enable",
    ),
    ErrorCode.CONTROL_SYNC_DISABLED: Entry(
        "Google Sync is off for this user",
        "{user} has 'Enable Google Sync' unchecked, so the processor skips them.",
        "Check 'Enable Google Sync' if {user} should sync.",
        GOOGLE_TAB,
        "studiosync google options {user} --enable",
    ),
    ErrorCode.CONTROL_USER_BUSY: Entry(
        "This user is already being synced",
        "{user} is being synced right now by {owner}, so this sync did not start: the same "
        "user is never synced twice at once.",
        "Nothing to do: the next round syncs them, or sync them again once that sync is over. "
        "A processor or worker that stopped without finishing hands the user back by itself "
        "within 2 minutes; if this repeats for long, check that computer.",
        CONTROL_CENTER,
        "studiosync sync {user} (again, later), or studiosync computer list",
    ),
    ErrorCode.CONTROL_SYNCER_FAILED: Entry(
        "The sync of this user failed unexpectedly",
        "Syncing {user} stopped on an unexpected problem ({error}, reference {reference}); "
        "the other users were synced as usual.",
        "The next round tries again; if it keeps failing, send the Control Center log of "
        "{user} to support.",
        CONTROL_LOG,
        "studiosync logs --user {user} --level error",
    ),
    ErrorCode.CONTROL_SYNCER_NOT_CONFIGURED: Entry(
        "The sync program cannot be loaded",
        'The sync function "{syncer}" cannot be used: {reason}.',
        "Set STUDIOSYNC_SYNCER to 'module:function' of an installed sync function, or leave it "
        "unset to use studiosync's own; then restart the Calendar Sync Processor.",
    ),
    ErrorCode.CONTROL_USER_NOT_FINISHED: Entry(
        "A user's sync did not finish in this round",
        'No worker finished syncing {user} from queue "{queue}" within {seconds} seconds.',
        "Make sure a worker listens on that queue and its computer is on and online; the next "
        "round tries again.",
        CONTROL_CENTER,
        "studiosync worker --queue {queue}",
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
        "or unset STUDIOSYNC_BROKER_URL to sync inside the Calendar Sync Processor.",
    ),
    ErrorCode.CONTROL_ROUND_ABANDONED: Entry(
        "The round stopped before it finished",
        "The processor on {computer} stopped in the middle of this round (it was killed, it "
        "crashed, or its computer went off); users it had not finished: {users}. Another "
        "processor took the round over once it was no longer heard from.",
        "Nothing to do for the users: the round that took over synced them. If it happens "
        "again, look at the processor's log on {computer} and make sure a service manager "
        "restarts it.",
        CONTROL_LOG,
    ),
}
