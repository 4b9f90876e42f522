"""Pages: Company (Studio) Preferences > Google tab: the studio-wide Google Sync settings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from studiosync.errors import ErrorCode, InputError, StudioSyncError
from studiosync.studio.company import get_company
from studiosync.sync.options import ConflictPolicy
from studiosync.web.deps import AdminUser, Db, StudioDep, page_admin
from studiosync.web.pages.common import form_again
from studiosync.web.problems import FormProblems
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/preferences/company/google",
    tags=["pages: company preferences"],
    include_in_schema=False,
    dependencies=[Depends(page_admin)],
)
POLICIES = {
    ConflictPolicy.STUDIO_WINS: "The studio's version wins",
    ConflictPolicy.GOOGLE_WINS: "Google's version wins",
    ConflictPolicy.NEWEST_WINS: "The version changed last wins",
}
FIELDS = frozenset({"conflict_policy"})


def _context(studio: StudioDep, policy: str) -> dict[str, Any]:
    settings = studio.settings
    return {
        "area": "company",
        "tab": "google",
        "policy": policy,
        "policies": POLICIES,
        "real_google": bool(settings.google_client_id),
        "sandbox_url": settings.sandbox_url or "http://127.0.0.1:8765/",
    }


@router.get("")
def google_tab(request: Request, db: Db, studio: StudioDep, me: AdminUser) -> Response:
    policy = get_company(db).conflict_policy
    return render(
        request,
        "preferences/company_google.html",
        problems=FormProblems.none(),
        **_context(studio, policy),
    )


@router.post("")
def save_google_tab(
    request: Request,
    db: Db,
    studio: StudioDep,
    me: AdminUser,
    conflict_policy: Annotated[str, Form()] = "",
) -> Response:
    try:
        try:
            policy = ConflictPolicy(conflict_policy)
        except ValueError as exc:
            raise InputError(
                ErrorCode.INVALID_VALUE,
                field="conflict_policy",
                value=conflict_policy,
                reason="choose one of the listed rules",
            ) from exc
        get_company(db).conflict_policy = policy.value
    except StudioSyncError as error:
        db.rollback()
        return form_again(
            request,
            "preferences/company_google.html",
            error,
            FIELDS,
            **_context(studio, conflict_policy),
        )
    notice(request, "Studio-wide Google settings saved.")
    return redirect("/preferences/company/google")
