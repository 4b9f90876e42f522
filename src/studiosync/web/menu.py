"""The menu the support article speaks of (Maintenance, Utilities) and the breadcrumbs it gives.

Every screen has an *area*; the area's place in the tree is its path. The path
"Maintenance > General (Studio) > Users" is three clicks: Maintenance opens, General (Studio)
opens, Users goes. Each menu heading is also a page of its own (a hub), so every breadcrumb is
a link.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MenuNode:
    """A heading (with children) or a screen (an area with its page)."""

    label: str
    href: str
    area: str
    blurb: str = ""
    admin_only: bool = False
    hidden_for_admins: bool = False
    demo_only: bool = False  # e.g. the outbox of the demo studio's emails
    children: tuple[MenuNode, ...] = field(default=())

    def shown_to(self, admin: bool, demo: bool = False) -> bool:
        if (self.admin_only and not admin) or (self.hidden_for_admins and admin):
            return False
        if self.demo_only and not demo:
            return False
        return not self.children or any(child.shown_to(admin, demo) for child in self.children)

    def visible_children(self, admin: bool, demo: bool = False) -> list[MenuNode]:
        return [child for child in self.children if child.shown_to(admin, demo)]


@dataclass(frozen=True)
class Crumb:
    """One step of a breadcrumb trail; the last one (the page itself) has no link."""

    label: str
    href: str | None = None


def _screen(
    label: str,
    href: str,
    area: str,
    blurb: str = "",
    *,
    admin_only: bool = False,
    hidden_for_admins: bool = False,
    demo_only: bool = False,
) -> MenuNode:
    return MenuNode(
        label,
        href,
        area,
        blurb,
        admin_only=admin_only,
        hidden_for_admins=hidden_for_admins,
        demo_only=demo_only,
    )


MENU: tuple[MenuNode, ...] = (
    _screen("Appointments", "/appointments", "appointments", "The studio's week."),
    MenuNode(
        "Maintenance",
        "/maintenance",
        "maintenance",
        "Users and resources, clients and groups, and the preferences.",
        children=(
            MenuNode(
                "General (Studio)",
                "/maintenance/general",
                "maintenance-general",
                "The people and the rooms of the studio.",
                children=(
                    _screen(
                        "Users",
                        "/users",
                        "users",
                        "Anyone who can be photographer, assistant or have an appointment "
                        "assigned. Only users can sync with Google.",
                        admin_only=True,
                    ),
                    _screen(
                        "Resources",
                        "/resources",
                        "resources",
                        "Locations, rooms and equipment. Resources never sync with Google.",
                        admin_only=True,
                    ),
                ),
            ),
            MenuNode(
                "Client",
                "/maintenance/client",
                "maintenance-client",
                "The studio's clients and the groups they belong to.",
                children=(
                    _screen(
                        "Clients",
                        "/clients",
                        "clients",
                        "Everyone the studio works for.",
                        admin_only=True,
                    ),
                    _screen(
                        "Client Groups",
                        "/groups",
                        "groups",
                        "Groups of clients; Google contacts go into one of them.",
                        admin_only=True,
                    ),
                ),
            ),
            MenuNode(
                "Preferences",
                "/maintenance/preferences",
                "maintenance-preferences",
                "Your own preferences, with the Google tab, and the studio's.",
                children=(
                    _screen(
                        "User Preferences",
                        "/preferences/user",
                        "user-prefs",
                        "Your details, your Google tab and the guided Google Sync set-up.",
                    ),
                    _screen(
                        "Company (Studio) Preferences",
                        "/preferences/company",
                        "company",
                        "The studio's name and time zone, the Email tab and the studio-wide "
                        "Google settings.",
                        admin_only=True,
                    ),
                ),
            ),
        ),
    ),
    MenuNode(
        "Utilities",
        "/utilities",
        "utilities",
        "The Control Center and the troubleshooter.",
        children=(
            _screen(
                "Control Center",
                "/control-center",
                "control",
                "Every user's sync at a glance, the Calendar Sync Processor job, its computers "
                "and logs.",
                admin_only=True,
            ),
            _screen(
                "My sync log",
                "/control-center/runs",
                "sync-log",
                "Every sync run of your appointments.",
                hidden_for_admins=True,
            ),
            _screen(
                "Troubleshooter",
                "/troubleshooter",
                "troubleshooter",
                "Checks every Google Sync setting and says what to fix.",
            ),
            _screen(
                "Demo outbox",
                "/outbox",
                "outbox",
                "The emails the demo studio would have sent.",
                admin_only=True,
                demo_only=True,
            ),
        ),
    ),
)


def _walk(
    nodes: tuple[MenuNode, ...], trail: tuple[MenuNode, ...] = ()
) -> Iterator[tuple[MenuNode, tuple[MenuNode, ...]]]:
    for node in nodes:
        yield node, (*trail, node)
        yield from _walk(node.children, (*trail, node))


PATHS: dict[str, tuple[MenuNode, ...]] = {node.area: trail for node, trail in _walk(MENU)}


def node_for(area: str) -> MenuNode | None:
    trail = PATHS.get(area)
    return trail[-1] if trail else None


def in_path(area: str | None, node: MenuNode) -> bool:
    """Whether ``node`` is the current screen's heading (or the screen itself)."""
    return bool(area) and node in PATHS.get(area or "", ())


def crumbs_for(area: str | None, tail: list[Crumb] | None = None) -> list[Crumb]:
    """The trail to the current screen: every step a link but the page itself."""
    steps = [Crumb(node.label, node.href) for node in PATHS.get(area or "", ())]
    steps.extend(tail or [])
    if steps and steps[-1].href is not None and not tail:
        steps[-1] = Crumb(steps[-1].label)
    return steps


def menu_path(area: str) -> str:
    """The path as the article writes it, e.g. ``Maintenance > General (Studio) > Users``."""
    return " > ".join(node.label for node in PATHS[area])
