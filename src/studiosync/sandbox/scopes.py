"""The OAuth scopes the sandbox knows and which of them each kind of API call needs."""

from __future__ import annotations

AUTH = "https://www.googleapis.com/auth/"
CALENDAR = AUTH + "calendar"
CALENDAR_READONLY = AUTH + "calendar.readonly"
CALENDAR_EVENTS = AUTH + "calendar.events"
CALENDAR_EVENTS_READONLY = AUTH + "calendar.events.readonly"
CONTACTS = AUTH + "contacts"
CONTACTS_READONLY = AUTH + "contacts.readonly"
USERINFO_EMAIL = AUTH + "userinfo.email"
USERINFO_PROFILE = AUTH + "userinfo.profile"
OPENID = "openid"

ALIASES = {"email": USERINFO_EMAIL, "profile": USERINFO_PROFILE}

DESCRIPTIONS = {
    CALENDAR: "See, edit, share, and permanently delete all the calendars you can access",
    CALENDAR_READONLY: "See and download any calendar you can access",
    CALENDAR_EVENTS: "View and edit events on all your calendars",
    CALENDAR_EVENTS_READONLY: "View events on all your calendars",
    CONTACTS: "See, edit, download, and permanently delete your contacts",
    CONTACTS_READONLY: "See and download your contacts",
    USERINFO_EMAIL: "See your primary email address",
    USERINFO_PROFILE: "See your personal info, including any personal info you've made public",
    OPENID: "Associate you with your personal info",
}
KNOWN = frozenset(DESCRIPTIONS)

CALENDAR_LIST_READ = frozenset({CALENDAR, CALENDAR_READONLY})
CALENDARS_READ = frozenset({CALENDAR, CALENDAR_READONLY})
CALENDARS_WRITE = frozenset({CALENDAR})
EVENTS_READ = frozenset({CALENDAR, CALENDAR_READONLY, CALENDAR_EVENTS, CALENDAR_EVENTS_READONLY})
EVENTS_WRITE = frozenset({CALENDAR, CALENDAR_EVENTS})
CONTACTS_READ = frozenset({CONTACTS, CONTACTS_READONLY})
CONTACTS_WRITE = frozenset({CONTACTS})
PROFILE_READ = frozenset({OPENID, USERINFO_EMAIL, USERINFO_PROFILE, CONTACTS, CONTACTS_READONLY})


def normalise(scopes: list[str]) -> list[str]:
    """Scopes as Google spells them in grants: short aliases expanded, duplicates dropped."""
    seen: list[str] = []
    for scope in scopes:
        full = ALIASES.get(scope, scope)
        if full not in seen:
            seen.append(full)
    return seen


def parse(raw: str | None) -> list[str]:
    """A space-separated scope parameter as a list (Google also accepts commas)."""
    if not raw:
        return []
    return [part for part in raw.replace(",", " ").split() if part]


def unknown(scopes: list[str]) -> list[str]:
    return [scope for scope in normalise(scopes) if scope not in KNOWN]
