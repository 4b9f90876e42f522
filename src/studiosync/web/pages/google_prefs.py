"""Pages: Preferences > Google tab, one's own or (administrators) any user's; never a resource's."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from studiosync.errors import AccessError, ErrorCode, InputError, StudioSyncError
from studiosync.studio.clients import list_groups
from studiosync.studio.google_options import DetailedLogs, google_settings, set_google_settings
from studiosync.studio.models import GoogleSettings, User
from studiosync.studio.validation import find_user
from studiosync.web.account_section import account_section, take_problem
from studiosync.web.deps import CurrentUser, Db, current_studio, is_admin, page_user
from studiosync.web.forms import checked, optional_date, record_id, user_key
from studiosync.web.menu import Crumb
from studiosync.web.pages.common import form_again
from studiosync.web.problems import FormProblems, shown, status_for
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/preferences/google",
    tags=["pages: Google tab"],
    include_in_schema=False,
    dependencies=[Depends(page_user)],
)
FIELDS = frozenset(
    {
        "enabled", "populate_google", "populate_studio", "populate_since", "two_way",
        "download_tentative", "import_contacts", "contacts_group", "email_warnings",
        "warnings_email", "email_detailed_logs", "detailed_logs", "privacy",
    }
)  # fmt: skip


class GoogleForm(BaseModel):
    """The Google tab as typed: ticked boxes send 'on', unticked ones send nothing."""

    enabled: str = ""
    populate_google: str = ""
    populate_studio: str = ""
    populate_since: str = ""
    two_way: str = ""
    download_tentative: str = ""
    import_contacts: str = ""
    contacts_group: str = ""
    email_warnings: str = ""
    warnings_email: str = ""
    email_detailed_logs: str = ""
    detailed_logs: str = ""  # how often: daily (the default) or each-round
    privacy: str = ""  # full (the default), hide-client or busy

    @classmethod
    def of(cls, tab: GoogleSettings) -> GoogleForm:
        def box(value: bool) -> str:
            return "on" if value else ""

        return cls(
            enabled=box(tab.enabled),
            populate_google=box(tab.populate_google),
            populate_studio=box(tab.populate_studio),
            populate_since=tab.populate_since.isoformat() if tab.populate_since else "",
            two_way=box(tab.two_way),
            download_tentative=box(tab.download_tentative),
            import_contacts=box(tab.import_contacts),
            contacts_group=str(tab.contacts_group_id or ""),
            email_warnings=box(tab.email_warnings),
            warnings_email=tab.warnings_email or "",
            email_detailed_logs=box(tab.email_detailed_logs),
            detailed_logs=(
                DetailedLogs.EACH_ROUND
                if tab.detailed_logs_every == "round"
                else DetailedLogs.DAILY
            ).value,
            privacy=tab.privacy or "full",
        )


def owner_of_tab(db: Session, me: User, key: str | None) -> User:
    """Whose Google tab this is; only its user and administrators may open it."""
    if key is None or key in (me.login, str(me.id)):
        return me
    if not is_admin(me):
        raise AccessError(ErrorCode.NOT_YOUR_ACCOUNT, what="another user's Google tab")
    try:
        return find_user(db, user_key(key))
    except InputError as error:
        if error.code is ErrorCode.RESOURCE_NOT_USER:
            params = {k: v for k, v in error.params.items() if k != "field"}
            raise InputError(ErrorCode.RESOURCE_CANNOT_SYNC, field="user", **params) from error
        raise


def tab_url(me: User, owner: User) -> str:
    return "/preferences/google" + ("" if owner.id == me.id else f"/{owner.login}")


def tab_place(me: User, owner: User, label: str) -> dict[str, Any]:
    """Where a user's tab sits: one's own under User Preferences, another's under Users."""
    if owner.id == me.id:
        return {"area": "user-prefs", "tab_base": "/preferences", "crumb_tail": [Crumb(label)]}
    return {
        "area": "users",
        "tab_base": "/users",
        "crumb_tail": [Crumb(owner.display_name, f"/users/{owner.id}/edit"), Crumb(label)],
    }


def render_tab(
    request: Request,
    db: Session,
    me: User,
    owner: User,
    *,
    form: GoogleForm | None = None,
    error: StudioSyncError | None = None,
    account_error: StudioSyncError | None = None,
    calendar_typed: str | None = None,
    dav_typed: dict[str, str] | None = None,
) -> Response:
    """The tab page; ``error`` is the options form's, ``account_error`` the account section's.

    The calendar list comes from Google (live), so this request's transaction ends first.
    """
    problem = shown(account_error) if account_error else take_problem(request)
    section = account_section(current_studio(request), db, owner.id, problem=problem)
    tab = google_settings(db, owner.id)
    context: dict[str, Any] = {
        **tab_place(me, owner, "Google tab"),
        "tab": "google",
        "owner": owner,
        "own_tab": owner.id == me.id,
        "form": form or GoogleForm.of(tab),
        "groups": [group for group, _count in list_groups(db)],
        "section": section,
        "calendar_typed": calendar_typed,
        "dav_typed": dav_typed or {},
        "action": tab_url(me, owner),
        "account_base": f"/preferences/google/{owner.login}",
    }
    if error is not None:
        return form_again(request, "preferences/google.html", error, FIELDS, **context)
    if account_error is not None:
        return render(
            request,
            "preferences/google.html",
            status_code=status_for(account_error),
            problems=FormProblems.none(),
            **context,
        )
    return render(request, "preferences/google.html", problems=FormProblems.none(), **context)


def _show(request: Request, db: Session, me: User, key: str | None) -> Response:
    return render_tab(request, db, me, owner_of_tab(db, me, key))


def _save(request: Request, db: Session, me: User, key: str | None, form: GoogleForm) -> Response:
    owner = owner_of_tab(db, me, key)
    try:
        group = form.contacts_group.strip()
        set_google_settings(
            db,
            owner.id,
            enabled=checked(form.enabled),
            populate_google=checked(form.populate_google),
            populate_studio=checked(form.populate_studio),
            populate_since=optional_date("populate since", form.populate_since),
            two_way=checked(form.two_way),
            download_tentative=checked(form.download_tentative),
            import_contacts=checked(form.import_contacts),
            contacts_group=record_id("client group", group, "group") if group else None,
            email_warnings=checked(form.email_warnings),
            warnings_email=form.warnings_email.strip() or None,
            detailed_logs=(
                DetailedLogs.parse(form.detailed_logs or DetailedLogs.DAILY.value)
                if checked(form.email_detailed_logs)
                else DetailedLogs.OFF
            ),
            privacy=form.privacy.strip() or None,
        )
    except StudioSyncError as error:
        db.rollback()
        return render_tab(request, db, me, db.get(User, owner.id) or me, form=form, error=error)
    whose = "Your" if owner.id == me.id else f"{owner.display_name}'s"
    notice(request, f"{whose} Google tab is saved.")
    return redirect(tab_url(me, owner))


@router.get("")
def my_google_tab(request: Request, db: Db, me: CurrentUser) -> Response:
    return _show(request, db, me, None)


@router.post("")
def save_my_google_tab(
    request: Request, db: Db, me: CurrentUser, form: Annotated[GoogleForm, Form()]
) -> Response:
    return _save(request, db, me, None, form)


@router.get("/{login}")
def users_google_tab(request: Request, db: Db, me: CurrentUser, login: str) -> Response:
    return _show(request, db, me, login)


@router.post("/{login}")
def save_users_google_tab(
    request: Request, db: Db, me: CurrentUser, login: str, form: Annotated[GoogleForm, Form()]
) -> Response:
    return _save(request, db, me, login, form)
