"""Page: the guided Google Sync set-up of one user: the article's checklist, ticked live."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from studiosync.doctor.report import diagnose
from studiosync.errors import StudioSyncError
from studiosync.studio.clients import list_groups
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.studio.models import User
from studiosync.syncstate.trial import send_trial
from studiosync.web.account_section import account_section, keep_problem, take_problem
from studiosync.web.deps import CurrentUser, Db, StudioDep, is_admin, page_user, release
from studiosync.web.forms import checked, record_id
from studiosync.web.pages.google_prefs import owner_of_tab, tab_place
from studiosync.web.problems import FormProblems, shown, status_for
from studiosync.web.setup_steps import build_steps, may_open
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/preferences/google-setup",
    tags=["pages: Google Sync set-up"],
    include_in_schema=False,
    dependencies=[Depends(page_user)],
)
BOXES = frozenset(
    {"enabled", "populate_google", "two_way", "download_tentative", "import_contacts",
     "email_warnings", "email_detailed_logs"}
)  # fmt: skip
TEXTS = frozenset({"warnings_email", "contacts_group"})
TRIAL_KEY = "google_trial"


def setup_url(me: User, owner: User) -> str:
    return "/preferences/google-setup" + ("" if owner.id == me.id else f"/{owner.login}")


def _page(
    request: Request, db: Session, me: User, owner: User, error: StudioSyncError | None = None
) -> Response:
    studio = request.app.state.web.studio
    admin = is_admin(me)
    problem = shown(error) if error else take_problem(request)
    section = account_section(studio, db, owner.id, problem=None)
    tab = google_settings(db, owner.id)
    groups = [group for group, _count in list_groups(db)]
    owner_id, owner_login = owner.id, owner.login
    release(db)
    report = diagnose(studio, owner_id, live=True, every_check=True)  # steps before Enable too
    steps = build_steps(report.findings)
    context: dict[str, Any] = {
        **tab_place(me, owner, "Google Sync set-up"),
        "tab": "setup",
        "owner": owner,
        "own_tab": owner_id == me.id,
        "steps": steps,
        "ready": all(step.done for step in steps[:4]),
        "all_done": all(step.done for step in steps),
        "section": section,
        "google_tab": tab,
        "groups": groups,
        "problem": problem,
        "may_open": lambda screen: may_open(screen, admin),
        "base": f"/preferences/google-setup/{owner_login}",
        "account_base": f"/preferences/google/{owner_login}",
        "here": setup_url(me, owner),
        "trial": request.session.pop(TRIAL_KEY, None),
    }
    status = status_for(error) if error else 200
    return render(
        request,
        "preferences/google_setup.html",
        status_code=status,
        problems=FormProblems.none(),
        **context,
    )


@router.get("")
def my_setup(request: Request, db: Db, me: CurrentUser) -> Response:
    return _page(request, db, me, me)


@router.get("/{login}")
def users_setup(request: Request, db: Db, me: CurrentUser, login: str) -> Response:
    return _page(request, db, me, owner_of_tab(db, me, login))


@router.post("/{login}/options")
async def save_step(request: Request, db: Db, me: CurrentUser, login: str) -> Response:
    """Save the options of one step; ``fields`` names the boxes the step shows (unticked = off)."""
    owner = owner_of_tab(db, me, login)
    form = await request.form()
    shown_fields = {str(name) for name in str(form.get("fields", "")).split(",")}
    changes: dict[str, Any] = {}
    for name in shown_fields & BOXES:
        changes[name] = checked(str(form.get(name, "")))
    if "warnings_email" in shown_fields:
        changes["warnings_email"] = str(form.get("warnings_email", "")).strip() or None
    if "contacts_group" in shown_fields:
        group = str(form.get("contacts_group", "")).strip()
        changes["contacts_group"] = record_id("client group", group, "group") if group else None
    try:
        set_google_settings(db, owner.id, **changes)
    except StudioSyncError as error:
        db.rollback()
        keep_problem(request, error)
        return redirect(setup_url(me, owner))
    notice(request, "Saved. The checklist below is checked again.")
    return redirect(setup_url(me, owner))


@router.post("/{login}/test-appointment")
def test_appointment(
    request: Request, db: Db, me: CurrentUser, studio: StudioDep, login: str
) -> Response:
    """Book a 15-minute hold, sync it now, and show what Google holds."""
    owner = owner_of_tab(db, me, login)
    back = setup_url(me, owner)
    owner_id = owner.id
    release(db)
    try:
        outcome = send_trial(studio, owner_id)
    except StudioSyncError as error:
        keep_problem(request, error)
        return redirect(back)
    event = outcome.event
    request.session[TRIAL_KEY] = {
        "start": outcome.start.isoformat(),
        "end": outcome.end.isoformat(),
        "calendar": outcome.calendar_id,
        "arrived": event is not None and not event.cancelled,
        "summary": event.summary if event else "",
        "stopped": outcome.run.stopped.value if outcome.run.stopped else "",
    }
    return redirect(back + "#trial")
