"""Page: the troubleshooter: the support article's checks for one user, then the studio's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from studiosync.context import Studio
from studiosync.doctor.catalogue import Context, Explanation, Surface
from studiosync.doctor.findings import Finding, Verdict
from studiosync.doctor.report import diagnose_user, studio_checks
from studiosync.errors import AccessError, ErrorCode
from studiosync.studio.models import User
from studiosync.studio.people import list_users
from studiosync.web.deps import CurrentUser, Db, StudioDep, is_admin, page_user, release
from studiosync.web.forms import user_key
from studiosync.web.templating import render

router = APIRouter(
    tags=["pages: troubleshooter"], include_in_schema=False, dependencies=[Depends(page_user)]
)
ADMIN_SCREENS = ("/users", "/resources", "/clients", "/groups", "/preferences/company", "/control")
VERDICT_WORDS = {
    Verdict.OK: "passed",
    Verdict.FAIL: "problem",
    Verdict.WARN: "warning",
    Verdict.INFO: "note",
    Verdict.SKIPPED: "not checked",
}


def may_open(screen: str, admin: bool) -> bool:
    return bool(screen) and (admin or not screen.startswith(ADMIN_SCREENS))


@dataclass(frozen=True)
class Checked:
    """One finding as the page shows it: mark, title, cause and fix (or note), and the screen."""

    finding: Finding
    screen: str
    context: Context

    @property
    def words(self) -> Explanation | None:
        return self.finding.words(Surface.WEB, self.context)

    @property
    def mark(self) -> str:
        return self.finding.verdict.mark

    @property
    def verdict(self) -> str:
        return self.finding.verdict.value

    @property
    def verdict_words(self) -> str:
        return VERDICT_WORDS[self.finding.verdict]


@dataclass(frozen=True)
class Checks:
    user_checks: list[Checked]
    studio_checks: list[Checked]
    sync_off: bool = False

    @property
    def problems(self) -> int:
        return self._count(Verdict.FAIL)

    @property
    def warnings(self) -> int:
        return self._count(Verdict.WARN)

    def _count(self, verdict: Verdict) -> int:
        every = self.user_checks + self.studio_checks
        return sum(1 for shown in every if shown.finding.verdict is verdict)


def examined(db: Session, me: User, key: str) -> str | int:
    """Whose checks: oneself, or (administrators) the user or resource named."""
    if not key.strip() or key.strip() in (me.login, str(me.id)):
        return me.id
    if not is_admin(me):
        raise AccessError(ErrorCode.NOT_YOUR_ACCOUNT, what="another user's troubleshooter")
    return user_key(key)


def run_checks(studio: Studio, who: str | int, admin: bool) -> tuple[str, Checks]:
    """The user's checks, live; for administrators also the studio-wide ones."""
    user_report = diagnose_user(studio, who, live=True)
    studio_findings: list[Finding] = []
    if admin and not user_report.sync_off:
        studio_findings = studio_checks(studio, live=True)
    context = user_report.context

    def shown(findings: list[Finding]) -> list[Checked]:
        return [
            Checked(f, f.screen if may_open(f.screen, admin) else "", context) for f in findings
        ]

    return user_report.login, Checks(
        shown(user_report.findings), shown(studio_findings), user_report.sync_off
    )


@router.get("/troubleshooter")
def troubleshooter(
    request: Request,
    db: Db,
    me: CurrentUser,
    studio: StudioDep,
    user: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    who = examined(db, me, user)
    admin = is_admin(me)
    people = list_users(db, include_inactive=False) if admin else []
    release(db)
    login, checks = run_checks(studio, who, admin)
    return render(
        request,
        "troubleshooter.html",
        area="troubleshooter",
        login=login,
        checks=checks,
        people=people,
    )
