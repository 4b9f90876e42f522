"""Runs the troubleshooter: every check, in the article's order, for one user or for all."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.models import GoogleAccount
from studiosync.context import Studio
from studiosync.doctor.control_checks import check_job, check_recent_runs
from studiosync.doctor.file_checks import check_private_files
from studiosync.doctor.findings import Finding, Verdict, failed, passed
from studiosync.doctor.safety_checks import safety_checks
from studiosync.doctor.studio_checks import check_email_settings
from studiosync.doctor.user_checks import USER_CHECKS, UserScope
from studiosync.errors import ErrorCode, InputError
from studiosync.studio import validation as check
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import User


@dataclass
class UserReport:
    login: str
    findings: list[Finding] = field(default_factory=list)


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
                {"user": u.login, "checks": [f.as_dict() for f in u.findings]} for u in self.users
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


def diagnose_user(studio: Studio, key: str | int, *, live: bool = True) -> UserReport:
    found = _is_user(studio, key)
    if isinstance(found, Finding):
        return UserReport(str(key), [found])
    with studio.transaction() as session:
        user = session.get(User, found)
        assert user is not None
        scope = UserScope(
            studio=studio,
            endpoints=google_endpoints(studio.settings),
            user_id=user.id,
            login=user.login,
            tab=google_settings(session, user.id),
            account=session.get(GoogleAccount, user.id),
            live=live,
        )
    report = UserReport(
        scope.login,
        [
            passed(
                "user",
                "This is a user (only users can sync with Google)",
                f"{scope.login} can be photographer, assistant or be assigned",
            )
        ],
    )
    report.findings.extend(run(scope) for run in USER_CHECKS)
    report.findings.extend(check_recent_runs(studio, scope.user_id))
    report.findings.extend(safety_checks(studio, scope.user_id, scope.login))
    return report


def diagnose(
    studio: Studio,
    user: str | int | None = None,
    *,
    live: bool = True,
    send_test_to: str | None = None,
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
    report = Report(users=[diagnose_user(studio, key, live=live) for key in keys])
    report.studio.append(check_email_settings(studio, live=live, send_test_to=send_test_to))
    report.studio.extend(check_job(studio))
    report.studio.append(check_private_files(studio))
    return report
