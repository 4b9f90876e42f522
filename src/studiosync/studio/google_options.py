"""Each user's Google tab (User Preferences > Google) with the rules that keep it consistent."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy.orm import Session

from studiosync.errors import ErrorCode, InputError
from studiosync.studio import validation as check
from studiosync.studio.models import GoogleSettings, User


class DetailedLogs(StrEnum):
    """How often the detailed sync log is emailed: a daily digest (the default), after each
    round that did something, or never."""

    DAILY = "daily"
    EACH_ROUND = "each-round"
    OFF = "off"

    @classmethod
    def of(cls, tab: GoogleSettings) -> DetailedLogs:
        if not tab.email_detailed_logs:
            return cls.OFF
        return cls.EACH_ROUND if tab.detailed_logs_every == "round" else cls.DAILY

    @classmethod
    def parse(cls, text: str) -> DetailedLogs:
        """A choice as typed ('daily', 'each round', 'each-round', 'off'); else a clear error."""
        cleaned = "-".join(text.strip().lower().replace("_", " ").split())
        try:
            return cls(cleaned)
        except ValueError:
            raise InputError(
                ErrorCode.INVALID_VALUE,
                field="detailed logs",
                value=text[:40],
                reason="choose daily, each-round or off",
            ) from None


def google_settings(session: Session, key: str | int) -> GoogleSettings:
    """The user's Google tab (made with every option off on first use); resources have none."""
    user: User = check.find_user(session, key)
    if user.google is None:
        user.google = GoogleSettings(
            enabled=False,
            populate_google=False,
            populate_studio=False,
            two_way=False,
            download_tentative=False,
            import_contacts=False,
            email_warnings=True,
            email_detailed_logs=False,
            detailed_logs_every="day",
        )
        session.flush()
    return user.google


def _check_rules(user: User, options: GoogleSettings) -> None:
    if options.enabled and not (options.email_warnings and options.warnings_email):
        raise InputError(
            ErrorCode.WARNINGS_ADDRESS_REQUIRED, field="warnings email", user=user.login
        )
    if options.import_contacts and options.contacts_group is None:
        raise InputError(ErrorCode.CLIENT_GROUP_REQUIRED, field="contacts group", user=user.login)


PRIVACY_CHOICES = ("full", "hide-client", "busy")
"""What goes to Google: full details, the appointment without its client, or busy only."""


def _set_privacy(options: GoogleSettings, privacy: str) -> None:
    """Choose what goes to Google; a change rewrites future events on the next run (Populate)."""
    choice = privacy.strip().lower()
    if choice not in PRIVACY_CHOICES:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="privacy",
            value=privacy,
            reason="choose full, hide-client or busy",
        )
    if choice != (options.privacy or "full"):
        options.privacy = choice
        options.populate_google = True  # paced page by page, and it unchecks itself when done


def set_google_settings(
    session: Session,
    key: str | int,
    *,
    enabled: bool | None = None,
    populate_google: bool | None = None,
    populate_studio: bool | None = None,
    populate_since: dt.date | check.Unchanged | None = check.UNCHANGED,
    two_way: bool | None = None,
    download_tentative: bool | None = None,
    import_contacts: bool | None = None,
    contacts_group: str | int | check.Unchanged | None = check.UNCHANGED,
    email_warnings: bool | None = None,
    warnings_email: str | check.Unchanged | None = check.UNCHANGED,
    email_detailed_logs: bool | None = None,
    detailed_logs: DetailedLogs | None = None,
    privacy: str | None = None,
) -> GoogleSettings:
    """Change options of a user's Google tab; the result must obey the tab's rules.

    A resource's name gives RESOURCE_CANNOT_SYNC: resources such as rooms never sync.
    """
    try:
        user = check.find_user(session, key)
    except InputError as error:
        if error.code is ErrorCode.RESOURCE_NOT_USER:
            raise InputError(
                ErrorCode.RESOURCE_CANNOT_SYNC,
                field="user",
                **{k: v for k, v in error.params.items() if k != "field"},
            ) from error
        raise
    options = google_settings(session, user.id)
    flags = {
        "enabled": enabled,
        "populate_google": populate_google,
        "populate_studio": populate_studio,
        "two_way": two_way,
        "download_tentative": download_tentative,
        "import_contacts": import_contacts,
        "email_warnings": email_warnings,
        "email_detailed_logs": email_detailed_logs,
    }
    for name, value in flags.items():
        if value is not None:
            setattr(options, name, value)
    if detailed_logs is not None:
        options.email_detailed_logs = detailed_logs is not DetailedLogs.OFF
        if detailed_logs is not DetailedLogs.OFF:
            options.detailed_logs_every = (
                "round" if detailed_logs is DetailedLogs.EACH_ROUND else "day"
            )
    if populate_since is not check.UNCHANGED:
        options.populate_since = populate_since if isinstance(populate_since, dt.date) else None
    if contacts_group is not check.UNCHANGED:
        options.contacts_group = (
            check.find_group(session, contacts_group)
            if isinstance(contacts_group, str | int)
            else None
        )
    if warnings_email is not check.UNCHANGED:
        options.warnings_email = check.optional_email(
            "warnings email", warnings_email if isinstance(warnings_email, str) else None
        )
    if privacy is not None:
        _set_privacy(options, privacy)
    _check_rules(user, options)
    session.flush()
    return options
