"""Runs the troubleshooter: every check, in the article's order, for one user or for all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.accounts.connections import connection_of, service_name
from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.models import ConnectionKind, GoogleAccount
from studiosync.context import Studio
from studiosync.control.jobs import studio_zone
from studiosync.doctor import dav_checks
from studiosync.doctor.catalogue import Context
from studiosync.doctor.control_checks import check_job, check_recent_runs
from studiosync.doctor.file_checks import check_private_files
from studiosync.doctor.findings import Finding, Verdict, failed, passed, skipped
from studiosync.doctor.push_checks import check_push
from studiosync.doctor.safety_checks import safety_checks
from studiosync.doctor.studio_checks import check_email_settings
from studiosync.doctor.user_checks import CHECK_TITLES, USER_CHECKS, UserScope
from studiosync.errors import ErrorCode, InputError
from studiosync.studio import validation as check
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import User, utcnow
from studiosync.wording.times import zone_of


@dataclass
class UserReport:
    """One user's findings; ``sync_off`` when Google Sync is off (then that is all there is)."""

    login: str
    findings: list[Finding] = field(default_factory=list)
    context: Context = field(default_factory=Context)
    sync_off: bool = False


@dataclass
class Report:
    """Findings per user, then the studio-wide ones; ``failed`` when anything failed."""

    users: list[UserReport] = field(default_factory=list)
    studio: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for user in self.users for f in user.findings] + self.studio

    @property
    def failed(self) -> bool:
        return any(f.verdict is Verdict.FAIL for f in self.findings)

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": not self.failed,
            "users": [
                {"user": u.login, "checks": [f.as_dict(u.context) for f in u.findings]}
                for u in self.users
            ],
            "studio": [f.as_dict() for f in self.studio],
        }


def _is_user(studio: Studio, key: str | int) -> Finding | int:
    """The user's id, or the finding that the name is a resource (or nobody at all)."""
    title = "This is a user (only users can sync with Google)"
    with studio.transaction() as session:
        try:
            return check.find_user(session, key).id
        except InputError as error:
            if error.code is ErrorCode.RESOURCE_NOT_USER:
                params = {k: v for k, v in error.params.items() if k != "field"}
                return failed("user", title, ErrorCode.RESOURCE_CANNOT_SYNC, "/users", **params)
            raise


def _context(session: Session) -> Context:
    logins = {row.id: row.login for row in session.execute(select(User.id, User.login))}
    return Context(zone=zone_of(studio_zone(session)), now=utcnow(), logins=logins)


# Checks that cannot be made while an earlier check failed: (blocked check, blocking checks).
BLOCKED_BY = {
    "account_unique": ("authenticated",),
    "calendar": ("authenticated",),
    "populate": ("authenticated", "calendar"),
    "push": ("authenticated", "calendar"),
    "changes": ("authenticated", "calendar"),
}
CheckList = dict[str, Callable[[UserScope], Finding]]
GOOGLE_CHECKS: CheckList = {
    check.__name__.removeprefix("check_"): check for check in (*USER_CHECKS, check_push)
}
DAV_CHECKS: CheckList = {
    name: getattr(dav_checks, f"check_{name}", check)
    for name, check in GOOGLE_CHECKS.items()
    if name != "push"  # Google's change notifications; a CalDAV server is asked each run
}
DAV_CHECKS["changes"] = dav_checks.check_changes


def _gated(scope: UserScope, checks: CheckList) -> list[Finding]:
    """The user checks in order; a check an earlier problem makes impossible says so instead."""
    titles = dav_checks.TITLES if checks is DAV_CHECKS else CHECK_TITLES
    done: dict[str, Finding] = {}
    for name in sorted(checks, key=lambda n: n != "authenticated"):  # sign-in first
        blocker = next(
            (
                done[first]
                for first in BLOCKED_BY.get(name, ())
                if first in done and done[first].verdict is Verdict.FAIL
            ),
            None,
        )
        if blocker is None:
            done[name] = checks[name](scope)
            continue
        words = blocker.explanation
        because = (words.title if words else blocker.title).rstrip(".")
        title = titles.get(name) or CHECK_TITLES[name]
        done[name] = skipped(name, title, f"of the problem above ({because})")
    return [done[name] for name in checks]


def diagnose_user(
    studio: Studio, key: str | int, *, live: bool = True, every_check: bool = False
) -> UserReport:
    """One user's findings. With Google Sync off that is all there is to say, unless
    ``every_check`` asks for each check anyway (the guided set-up ticks the steps done before
    sync is turned on)."""
    found = _is_user(studio, key)
    if isinstance(found, Finding):
        return UserReport(str(key), [found])
    with studio.transaction() as session:
        user = session.get(User, found)
        assert user is not None
        context = _context(session)
        scope = UserScope(
            studio=studio,
            endpoints=google_endpoints(studio.settings),
            user_id=user.id,
            login=user.login,
            tab=google_settings(session, user.id),
            account=session.get(GoogleAccount, user.id),
            live=live,
        )
        held = connection_of(session, user.id)
        kind = held.kind if held is not None else ConnectionKind.GOOGLE
        scope.service = service_name(session, user.id)
    if not scope.tab.enabled and not every_check:
        off = Finding(
            "enabled",
            "Google Sync is off",
            Verdict.INFO,
            ErrorCode.SYNC_NOT_ENABLED,
            {"user": scope.login},
            screen=scope.screen,
        )
        return UserReport(scope.login, [off], context=context, sync_off=True)
    report = UserReport(
        scope.login,
        [
            passed(
                "user",
                f"This is a user (only users can sync with {scope.service})",
                f"{scope.login} can be photographer, assistant or be assigned",
            )
        ],
        context=context,
    )
    dav = kind is ConnectionKind.CALDAV
    report.findings.extend(_gated(scope, DAV_CHECKS if dav else GOOGLE_CHECKS))
    report.findings.extend(safety_checks(studio, scope.user_id, scope.login))
    current = {f.code for f in report.findings if f.code and f.verdict.is_problem}
    report.findings.extend(
        check_recent_runs(studio, scope.user_id, context=context, current=current)
    )
    return report


def diagnose(
    studio: Studio,
    user: str | int | None = None,
    *,
    live: bool = True,
    send_test_to: str | None = None,
    every_check: bool = False,
) -> Report:
    """The whole troubleshooter: one user (or every user with sync on), then the studio."""
    if user is not None:
        keys: list[str | int] = [user]
    else:
        with studio.transaction() as session:
            keys = [
                login
                for login, enabled in session.execute(select(User.login, User.id))
                if google_settings(session, enabled).enabled
            ]
    report = Report(
        users=[diagnose_user(studio, key, live=live, every_check=every_check) for key in keys]
    )
    report.studio.extend(studio_checks(studio, live=live, send_test_to=send_test_to))
    return report


def studio_checks(studio: Studio, *, live: bool, send_test_to: str | None = None) -> list[Finding]:
    """The studio-wide checks: the Email tab, the Calendar Sync Processor job, private files."""
    return [
        check_email_settings(studio, live=live, send_test_to=send_test_to),
        *check_job(studio),
        check_private_files(studio),
    ]
