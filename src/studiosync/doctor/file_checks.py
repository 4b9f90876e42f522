"""The troubleshooter's check that the studio's files are private to the account running it."""

from __future__ import annotations

from studiosync.context import Studio
from studiosync.doctor.findings import Finding, passed, warned
from studiosync.errors import ErrorCode
from studiosync.private_files import chmod_command, loose_paths

TITLE = "The studio's files are private to the account that runs studiosync"
SHOWN = 5


def check_private_files(studio: Studio) -> Finding:
    """The data folder and outbox 0700; the database, its -wal and -shm, the key, the settings
    file and the emails in the outbox 0600. Looser ones are named with the command to fix them."""
    loose = loose_paths(studio.settings)
    if not loose:
        return passed("private_files", TITLE, f"{studio.settings.data_dir} and its files")
    names = [f"{item.path} ({item.mode_words})" for item in loose[:SHOWN]]
    if len(loose) > SHOWN:
        names.append(f"and {len(loose) - SHOWN} more")
    return warned(
        "private_files",
        TITLE,
        ErrorCode.FILES_NOT_PRIVATE,
        files=", ".join(names),
        command=chmod_command(loose),
    )
