"""API: the troubleshooter's findings for oneself or (administrators) any user, run live."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from studiosync.context import Studio
from studiosync.doctor.findings import Finding
from studiosync.doctor.report import diagnose, diagnose_user
from studiosync.errors import AccessError, ErrorCode
from studiosync.studio.models import User
from studiosync.web.api.common import api_router
from studiosync.web.api.sync_schemas import DoctorOut, FindingOut
from studiosync.web.deps import ApiUser, Db, StudioDep, is_admin, release
from studiosync.web.forms import MAX_ID

router = api_router("", "Troubleshooter", admin=False)
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]


def finding_out(finding: Finding) -> FindingOut:
    return FindingOut.model_validate(finding.as_dict())


def _report(studio: Studio, me: User, user_id: int) -> DoctorOut:
    if is_admin(me):
        report = diagnose(studio, user_id, live=True)
        user_report, studio_findings = report.users[0], report.studio
    else:
        user_report, studio_findings = diagnose_user(studio, user_id, live=True), []
    every = user_report.findings + studio_findings
    return DoctorOut(
        user=user_report.login,
        ok=not any(f.verdict.value == "fail" for f in every),
        checks=[finding_out(f) for f in user_report.findings],
        studio=[finding_out(f) for f in studio_findings],
    )


@router.get("/doctor")
def my_findings(db: Db, me: ApiUser, studio: StudioDep) -> DoctorOut:
    """The support article's checks of my Google tab (administrators: and the studio's)."""
    user_id = me.id
    release(db)
    return _report(studio, me, user_id)


@router.get("/users/{user_id}/doctor")
def users_findings(db: Db, me: ApiUser, studio: StudioDep, user_id: UserId) -> DoctorOut:
    if user_id != me.id and not is_admin(me):
        raise AccessError(ErrorCode.NOT_YOUR_ACCOUNT, what="another user's troubleshooter")
    release(db)
    return _report(studio, me, user_id)
