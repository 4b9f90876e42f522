"""The studio's files stay private to the account that runs studiosync: folders 0700, files 0600.

The data folder, the SQLite database with its -wal and -shm files, the embedded sandbox's state
(the demo calendars), the secret key, the settings file and the outbox (its folder and every
email filed in it) hold password hashes, client details and secrets. They are created private,
made private again each time studiosync opens the studio, and checked: what could not be made
private is named with the command to fix it.
"""

from __future__ import annotations

import logging
import os
import shlex
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from studiosync.settings import Settings

FOLDER_MODE = 0o700
FILE_MODE = 0o600
OUTBOX = "outbox"
SANDBOX_STATE = "sandbox.db"  # the embedded sandbox Google: the demo calendars and contacts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoosePath:
    """A file or folder others could read: its mode when found, and whether it is fixed now."""

    path: Path
    mode: int
    wanted: int
    fixed: bool = False

    @property
    def mode_words(self) -> str:
        return f"{self.mode:04o}"


def sqlite_file(settings: Settings) -> Path | None:
    """The SQLite database file, when the studio's database is one."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def private_paths(settings: Settings) -> list[tuple[Path, int]]:
    """Every studio path that must be private, with the mode it should have (existing ones)."""
    wanted: list[tuple[Path, int]] = [(settings.data_dir, FOLDER_MODE)]
    database = sqlite_file(settings)
    if database is not None:
        wanted += [(Path(f"{database}{end}"), FILE_MODE) for end in ("", "-wal", "-shm")]
    sandbox = settings.data_dir / SANDBOX_STATE
    wanted += [(Path(f"{sandbox}{end}"), FILE_MODE) for end in ("", "-wal", "-shm")]
    wanted += [
        (settings.secret_key_path, FILE_MODE),
        (settings.data_dir / "studiosync.toml", FILE_MODE),
        (settings.data_dir / OUTBOX, FOLDER_MODE),
    ]
    outbox = settings.data_dir / OUTBOX
    if outbox.is_dir():
        wanted += [(item, FILE_MODE) for item in sorted(outbox.iterdir()) if item.is_file()]
    return [(path, mode) for path, mode in wanted if path.exists()]


def _enforced() -> bool:
    return os.name == "posix"


def loose_paths(settings: Settings) -> list[LoosePath]:
    """The studio's paths that others can read, write or enter now."""
    if not _enforced():
        return []
    found = []
    for path, wanted in private_paths(settings):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            found.append(LoosePath(path, mode, wanted))
    return found


def keep_private(settings: Settings) -> list[LoosePath]:
    """Make the studio's paths private (only ever tightening); what was loose, and if fixed."""
    found = []
    for loose in loose_paths(settings):
        try:
            loose.path.chmod(loose.mode & ~0o077)
        except OSError as error:
            log.warning(
                "%s can be read by other accounts (mode %s) and cannot be made private (%s); "
                "run: %s",
                loose.path,
                loose.mode_words,
                error.strerror,
                chmod_command([loose]),
            )
            found.append(loose)
            continue
        log.info("%s was readable by other accounts (mode %s); made it private", loose.path,
                 loose.mode_words)  # fmt: skip
        found.append(LoosePath(loose.path, loose.mode, loose.wanted, fixed=True))
    return found


def create_private_file(path: Path) -> None:
    """Make an empty file only this account can read (it is left alone when it exists)."""
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))


def write_private_file(path: Path, content: bytes) -> None:
    """Write a new file only this account can read."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


def chmod_command(paths: Iterable[LoosePath]) -> str:
    """The commands that make these paths private, ready to paste in a terminal."""
    by_mode: dict[int, list[str]] = {}
    for loose in paths:
        by_mode.setdefault(loose.wanted, []).append(shlex.quote(str(loose.path)))
    return " && ".join(
        f"chmod {mode:o} {' '.join(names)}" for mode, names in sorted(by_mode.items(), reverse=True)
    )
