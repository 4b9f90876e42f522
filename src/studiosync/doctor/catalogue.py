"""The error catalogue: every ErrorCode worded for each surface (command line, web, email)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from studiosync.doctor.catalogue_control import CONTROL_ENTRIES
from studiosync.doctor.catalogue_dav import DAV_ENTRIES
from studiosync.doctor.catalogue_push import PUSH_ENTRIES
from studiosync.doctor.catalogue_safety import SAFETY_ENTRIES
from studiosync.doctor.catalogue_studio import STUDIO_ENTRIES
from studiosync.doctor.catalogue_sync import SYNC_ENTRIES
from studiosync.doctor.entry import Entry
from studiosync.doctor.wording import Context, fill
from studiosync.errors import ErrorCode, StudioSyncError

__all__ = ["CATALOGUE", "Context", "Entry", "Explanation", "Surface", "explain", "explain_code"]


class Surface(StrEnum):
    """Where words are read: the CLI names commands, web and email name (and link) screens."""

    CLI = "cli"
    WEB = "web"
    EMAIL = "email"


@dataclass(frozen=True)
class Explanation:
    """An error worded for a person on one surface: what happened, why, and what to do.

    ``fix`` is the whole advice for the surface; ``action`` the step alone, ``screen`` and
    ``href`` where in the web pages (web links it), ``command`` the CLI's way.
    """

    code: ErrorCode
    title: str
    cause: str
    fix: str
    action: str = ""
    screen: str = ""
    href: str = ""
    command: str = ""

    @property
    def message(self) -> str:
        return f"{self.cause} {self.fix}".strip()


CATALOGUE: dict[ErrorCode, Entry] = {
    **STUDIO_ENTRIES,
    **SYNC_ENTRIES,
    **CONTROL_ENTRIES,
    **PUSH_ENTRIES,
    **SAFETY_ENTRIES,
    **DAV_ENTRIES,
}


def _advice(action: str, screen: str, command: str, surface: Surface) -> str:
    if surface is Surface.CLI:
        if command:
            return f"{action} Run: {command}"
        return f"{action} In the web pages: {screen}." if screen else action
    return f"{action} Where: {screen}." if screen else action


def _href(path: str, params: dict[str, Any]) -> str:
    """The screen's address; a user's Google tab only when the user is known by login."""
    if "{user}" not in path:
        return path
    login = params.get("user")
    if isinstance(login, str) and login:
        return path.replace("{user}", quote(login, safe=""))
    return path.replace("/{user}", "")


def explain_code(
    code: ErrorCode,
    surface: Surface = Surface.EMAIL,
    context: Context | None = None,
    /,
    **params: Any,
) -> Explanation:
    """Word one error code with its data for ``surface`` (email words unless told)."""
    entry = CATALOGUE[code]
    context = context or Context()
    action = fill(entry.fix, params, context)
    screen = entry.screen.name if entry.screen else ""
    href = _href(entry.screen.path, params) if entry.screen else ""
    command = fill(entry.command, params, context) if entry.command else ""
    return Explanation(
        code=code,
        title=fill(entry.title, params, context),
        cause=fill(entry.cause, params, context),
        fix=_advice(action, screen, command, surface),
        action=action,
        screen=screen,
        href=href,
        command=command,
    )


def explain(
    error: StudioSyncError, surface: Surface = Surface.EMAIL, context: Context | None = None
) -> Explanation:
    """Word a studiosync error for a person on ``surface``."""
    return explain_code(error.code, surface, context, **error.params)
