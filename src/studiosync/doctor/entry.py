"""One catalogue entry: cause and fix as data with named slots, the screen and the command."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Screen:
    """A screen of the web pages: its name as the menus give it, and its address."""

    name: str
    path: str


@dataclass(frozen=True)
class Entry:
    """How one error code is worded.

    ``cause`` and ``fix`` are plain words that may name ``{slots}`` of the error's data; the fix
    says what to do and never how (no screen, no command). ``screen`` is where to do it in the web
    pages (web and email name it), ``command`` the same step on the command line (the CLI shows
    it); either may be missing.
    """

    title: str
    cause: str
    fix: str
    screen: Screen | None = None
    command: str | None = None


GOOGLE_TAB = Screen(
    "Maintenance > Preferences > User Preferences > Google tab", "/preferences/google/{user}"
)
EMAIL_TAB = Screen(
    "Maintenance > Preferences > Company (Studio) Preferences > Email tab",
    "/preferences/company/email",
)
CONTROL_CENTER = Screen("Utilities > Control Center", "/control-center")
USERS = Screen("Maintenance > Users", "/users")
CLIENT_GROUPS = Screen("Maintenance > Client > Client Groups", "/groups")
CONFLICTS = Screen("Utilities > Control Center > Conflicts", "/control-center/conflicts")
CONTROL_LOG = Screen("Utilities > Control Center > Log", "/control-center/logs")
