"""The troubleshooter's checks of one user's Google tab, in the order the support article gives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from studiosync.accounts.calendars import list_calendars
from studiosync.accounts.credentials import credentials_for
from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.context import Studio
from studiosync.control.models import UserRun
from studiosync.doctor.findings import Finding, failed, from_error, hint, passed, warned
from studiosync.doctor.wording import ROLES
from studiosync.errors import ErrorCode, StudioSyncError
from studiosync.providers.base import CalendarInfo
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import (
    Appointment,
    AppointmentStatus,
    Assignment,
    GoogleSettings,
    User,
)
from studiosync.syncstate.models import SyncMapping
from studiosync.wording.clean import clean_name

RESERVED_DOMAINS = (".invalid", ".test", ".localhost", ".local")
RECENT_USER_RUNS = 10
TENTATIVE_HINT = (
    "Check 'Download Tentative, Non-Confirmed Appointments' if you use an Android or HTC "
    "phone, or if this {service} account is not the primary account on the phone."
)


CHECK_TITLES = {
    "account_unique": "No other user is linked to the same Google account",
    "calendar": "An existing, writable Google calendar is selected",
    "populate": "Older appointments are populated",
    "push": "Changes made in Google arrive within seconds",
}


@dataclass
class UserScope:
    """One user under examination; calendars are fetched once, only if a check needs them."""

    studio: Studio
    endpoints: GoogleEndpoints
    user_id: int
    login: str
    tab: GoogleSettings
    account: GoogleAccount | None
    live: bool = True
    service: str = "Google"
    """The calendar service the user syncs with, as the findings name it."""
    _calendars: list[CalendarInfo] | StudioSyncError | None = field(default=None, repr=False)

    @property
    def screen(self) -> str:
        return f"/preferences/google/{self.login}"

    def calendars(self) -> list[CalendarInfo] | StudioSyncError:
        if self._calendars is None:
            try:
                self._calendars = list_calendars(self.studio, self.endpoints, self.user_id)
            except StudioSyncError as error:
                self._calendars = error
        return self._calendars


def check_account_unique(scope: UserScope) -> Finding:
    title = CHECK_TITLES["account_unique"]
    if scope.account is None:
        return passed("account_unique", title, "no Google account linked yet")
    with scope.studio.transaction() as session:
        other = session.scalar(
            select(User.login)
            .join(GoogleAccount, GoogleAccount.user_id == User.id)
            .where(
                func.lower(GoogleAccount.google_email) == scope.account.google_email.lower(),
                GoogleAccount.user_id != scope.user_id,
            )
            .order_by(User.login)
            .limit(1)
        )
    if other:
        return failed(
            "account_unique",
            title,
            ErrorCode.GOOGLE_ACCOUNT_TAKEN,
            scope.screen,
            google_email=scope.account.google_email,
            other=other,
            user=scope.login,
        )
    return passed("account_unique", title, f"{scope.account.google_email} is this user's alone")


def check_enabled(scope: UserScope) -> Finding:
    title = "Enable Google Sync is checked"
    if scope.tab.enabled:
        return passed("enabled", title)
    return failed("enabled", title, ErrorCode.SYNC_NOT_ENABLED, scope.screen, user=scope.login)


def check_authenticated(scope: UserScope) -> Finding:
    title = "The Google account is authenticated"
    account = scope.account
    if account is None:
        return failed(
            "authenticated", title, ErrorCode.GOOGLE_NOT_LINKED, scope.screen, user=scope.login
        )
    if account.status is AccountStatus.NEEDS_REAUTH:
        return failed(
            "authenticated",
            title,
            ErrorCode.GOOGLE_REAUTH_NEEDED,
            scope.screen,
            user=scope.login,
            google_email=account.google_email,
            reason="Google answered that the sign-in was revoked or has expired",
        )
    if not scope.live:
        return passed("authenticated", title, f"linked to {account.google_email} (not tested)")
    failure: StudioSyncError | None = None
    with scope.studio.transaction() as session:
        user = session.get(User, scope.user_id)
        assert user is not None
        try:
            credentials_for(session, scope.studio.box, scope.endpoints, user, force_refresh=True)
        except StudioSyncError as error:
            failure = error  # the re-auth mark is committed with this block
    if failure is not None:
        return from_error("authenticated", title, failure, scope.screen)
    return passed(
        "authenticated", title, f"{account.google_email}: Google accepted a fresh sign-in just now"
    )


def check_calendar(scope: UserScope) -> Finding:
    title = CHECK_TITLES["calendar"]
    chosen = scope.tab.calendar_id
    if not chosen:
        return failed(
            "calendar",
            title,
            ErrorCode.GOOGLE_CALENDAR_NOT_SELECTED,
            scope.screen,
            user=scope.login,
        )
    if scope.account is None or not scope.live:
        return passed("calendar", title, "a calendar is chosen (not tested)")
    calendars = scope.calendars()
    if isinstance(calendars, StudioSyncError):
        return from_error("calendar", title, calendars, scope.screen)
    found = next((c for c in calendars if c.id == chosen), None)
    if found is None:
        return failed(
            "calendar",
            title,
            ErrorCode.GOOGLE_CALENDAR_NOT_FOUND,
            scope.screen,
            user=scope.login,
        )
    if not found.writable:
        return failed(
            "calendar",
            title,
            ErrorCode.GOOGLE_CALENDAR_READ_ONLY,
            scope.screen,
            user=scope.login,
            calendar=found.summary,
            access_role=found.access_role,
        )
    return passed("calendar", title, f'"{clean_name(found.summary)}", {role_words(found)}')


def role_words(calendar: CalendarInfo) -> str:
    """What this account may do with a calendar, in words."""
    return ROLES.get(calendar.access_role, ROLES["reader"])


def _unsynced_appointments(scope: UserScope) -> int:
    mapped = select(SyncMapping.appointment_id).where(SyncMapping.user_id == scope.user_id)
    with scope.studio.transaction() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Appointment)
                .join(Assignment)
                .where(
                    Assignment.user_id == scope.user_id,
                    Appointment.status != AppointmentStatus.CANCELLED,
                    Appointment.id.not_in(mapped),
                )
            )
            or 0
        )


def check_populate(scope: UserScope) -> Finding:
    title = CHECK_TITLES["populate"]
    tab = scope.tab
    if tab.populate_google or tab.populate_studio:
        sides = " and ".join(
            name
            for name, on in (
                (f"{scope.service} Calendar", tab.populate_google),
                ("studio", tab.populate_studio),
            )
            if on
        )
        return hint(
            "populate",
            title,
            f"Populate {sides} is in progress; the box unchecks "
            "itself when every older appointment has synced.",
            scope.screen,
        )
    waiting = _unsynced_appointments(scope)
    if waiting and scope.tab.enabled:
        return warned(
            "populate",
            title,
            ErrorCode.SYNC_POPULATE_HINT,
            scope.screen,
            user=scope.login,
            count=waiting,
        )
    return passed("populate", title, f"every appointment of this user is in {scope.service}")


def check_two_way(scope: UserScope) -> Finding:
    title = "Two-way sync"
    if scope.tab.two_way:
        return hint(
            "two_way",
            title,
            f"On: new, modified and deleted {scope.service} appointments come back into the "
            "studio.",
            scope.screen,
        )
    return hint(
        "two_way",
        title,
        f"Off: appointments go to {scope.service} only; changes made in {scope.service} "
        "stay there. Check 'Send New, Modified, and Deleted Google Appointments' for a "
        "two-way sync.",
        scope.screen,
    )


def _tentative_skipped(scope: UserScope) -> int:
    """Tentative events the user's last runs left in Google (from the run history)."""
    with scope.studio.transaction() as session:
        recent = session.scalars(
            select(UserRun.counts)
            .where(UserRun.user_id == scope.user_id)
            .order_by(UserRun.id.desc())
            .limit(RECENT_USER_RUNS)
        )
        return max(
            (int((counts or {}).get("skipped_tentative", 0)) for counts in recent), default=0
        )


def check_tentative(scope: UserScope) -> Finding:
    title = "Tentative, non-confirmed appointments"
    if scope.tab.download_tentative:
        return hint(
            "tentative",
            title,
            f"Downloaded: tentative and unanswered {scope.service} events come into the studio "
            "too.",
            scope.screen,
        )
    skipped = _tentative_skipped(scope)
    if skipped:
        return warned(
            "tentative",
            title,
            ErrorCode.SYNC_TENTATIVE_SKIPPED,
            scope.screen,
            count=skipped,
            user=scope.login,
        )
    words = TENTATIVE_HINT.format(service=scope.service)
    return hint("tentative", title, f"Not downloaded. {words}", scope.screen)


def check_contacts(scope: UserScope) -> Finding:
    title = f"{scope.service} contacts go into an existing client group"
    if not scope.tab.import_contacts:
        return hint("contacts", title, "Contacts are not synced (optional).", scope.screen)
    with scope.studio.transaction() as session:
        group = google_settings(session, scope.user_id).contacts_group
        name = group.name if group else None
    if name is None:
        return failed(
            "contacts", title, ErrorCode.CLIENT_GROUP_REQUIRED, scope.screen, user=scope.login
        )
    return passed("contacts", title, f'into the client group "{clean_name(name)}"')


def check_warnings_address(scope: UserScope) -> Finding:
    title = "Warnings and errors are emailed (required)"
    tab = scope.tab
    if not (tab.email_warnings and tab.warnings_email):
        return failed(
            "warnings_address",
            title,
            ErrorCode.WARNINGS_ADDRESS_REQUIRED,
            scope.screen,
            user=scope.login,
        )
    if tab.warnings_email.lower().endswith(RESERVED_DOMAINS):
        return warned(
            "warnings_address",
            title,
            ErrorCode.EMAIL_UNDELIVERABLE,
            scope.screen,
            address=tab.warnings_email,
            user=scope.login,
        )
    return passed("warnings_address", title, f"to {tab.warnings_email}")


def check_detailed_logs(scope: UserScope) -> Finding:
    title = "Detailed sync logs by email"
    if scope.tab.email_detailed_logs:
        return hint(
            "detailed_logs",
            title,
            "On: helpful in the first days of syncing; turn it off once the sync runs smoothly.",
            scope.screen,
        )
    return hint(
        "detailed_logs",
        title,
        "Off (optional): turning it on for the first days shows every run in your inbox.",
        scope.screen,
    )


USER_CHECKS: tuple[Callable[[UserScope], Finding], ...] = (
    check_account_unique,
    check_enabled,
    check_authenticated,
    check_calendar,
    check_populate,
    check_two_way,
    check_tentative,
    check_contacts,
    check_warnings_address,
    check_detailed_logs,
)
