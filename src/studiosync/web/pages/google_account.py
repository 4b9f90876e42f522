"""Pages: the Google account of a Google tab: authenticate (OAuth + PKCE), remove, calendar."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.accounts.calendars import select_calendar
from studiosync.accounts.connections import service_name
from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.linking import begin_link, complete_link, unlink
from studiosync.accounts.models import GoogleAccount, PendingLink
from studiosync.control.requests import sync_now
from studiosync.errors import AccessError, ErrorCode, InputError, StudioSyncError
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import User
from studiosync.web.account_section import keep_problem
from studiosync.web.deps import (
    CurrentUser,
    Db,
    StudioDep,
    is_admin,
    page_user,
    release,
    web_state,
)
from studiosync.web.handlers import safe_next
from studiosync.web.pages.google_prefs import owner_of_tab, render_tab, tab_place, tab_url
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    tags=["pages: Google account"], include_in_schema=False, dependencies=[Depends(page_user)]
)
CALLBACK = "/preferences/google-callback"
SECTION = "#google-account"
BACK_KEY = "google_link_back"


def callback_url(request: Request) -> str:
    """This application's own address for Google's answer (registered with the OAuth client)."""
    return str(request.url_for("google_callback"))


@router.post("/preferences/google/{login}/authenticate")
def authenticate(
    request: Request,
    db: Db,
    me: CurrentUser,
    studio: StudioDep,
    login: str,
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Authenticate My Google Account: off to Google's consent page, with state and PKCE.

    ``next`` is the page to come back to (the guided set-up); the Google tab otherwise.
    """
    owner = owner_of_tab(db, me, login)
    if next:
        request.session[BACK_KEY] = safe_next(next)
    else:
        request.session.pop(BACK_KEY, None)
    start = begin_link(
        db, studio.box, google_endpoints(studio.settings), owner.id, callback_url(request)
    )
    return RedirectResponse(start.url, status_code=303)


def _pending_owner(db: Session, me: User, state: str) -> User:
    """Whose link this answer finishes; only they (or an administrator) may finish it."""
    pending = db.get(PendingLink, state) if state else None
    if pending is None:
        raise InputError(ErrorCode.GOOGLE_LINK_EXPIRED, field="state", user=me.login)
    if pending.user_id != me.id and not is_admin(me):
        raise AccessError(ErrorCode.NOT_YOUR_ACCOUNT, what="another user's Google account")
    owner = db.get(User, pending.user_id)
    assert owner is not None  # pending links go with their user
    return owner


@router.get(CALLBACK, name="google_callback")
def google_callback(
    request: Request,
    db: Db,
    me: CurrentUser,
    studio: StudioDep,
    state: Annotated[str, Query(max_length=512)] = "",
    code: Annotated[str, Query(max_length=4096)] = "",
    error: Annotated[str, Query(max_length=512)] = "",
) -> Response:
    """Google's answer: the state must name a link started here; then back to the tab."""
    try:
        owner = _pending_owner(db, me, state)
    except InputError as refused:
        keep_problem(request, refused)
        return redirect(tab_url(me, me) + SECTION)
    back = request.session.pop(BACK_KEY, None) or tab_url(me, owner) + SECTION
    release(db)
    try:
        account = complete_link(
            studio.sessions,
            studio.box,
            google_endpoints(studio.settings),
            state=state,
            code=code or None,
            error=error or None,
        )
    except StudioSyncError as failure:
        keep_problem(request, failure)
        return redirect(back)
    notice(
        request,
        f"The Google account {account.google_email} is linked. "
        "Now choose the calendar to sync with.",
    )
    return redirect(back)


@router.get("/preferences/google/{login}/remove-account")
def confirm_remove_account(request: Request, db: Db, me: CurrentUser, login: str) -> Response:
    """Remove My Google Account, asked first: what stays in Google and what stops."""
    owner = owner_of_tab(db, me, login)
    account = db.scalar(select(GoogleAccount).where(GoogleAccount.user_id == owner.id))
    if account is None:
        return redirect(tab_url(me, owner) + SECTION)
    return render(
        request,
        "preferences/remove_account.html",
        **tab_place(me, owner, "Remove Google account"),
        owner=owner,
        own_tab=owner.id == me.id,
        google_email=account.google_email,
        calendar_id=google_settings(db, owner.id).calendar_id,
        back=tab_url(me, owner),
        action=f"/preferences/google/{owner.login}/remove-account",
    )


@router.post("/preferences/google/{login}/remove-account")
def remove_account(
    request: Request, db: Db, me: CurrentUser, studio: StudioDep, login: str
) -> Response:
    """Remove My Google Account: revoke it at Google and forget it and the calendar choice."""
    owner = owner_of_tab(db, me, login)
    try:
        email = unlink(db, studio.box, google_endpoints(studio.settings), owner.id, studio=studio)
    except StudioSyncError as failure:
        db.rollback()
        keep_problem(request, failure)
        return redirect(tab_url(me, owner) + SECTION)
    notice(request, f"The Google account {email} is removed; nothing syncs until one is linked.")
    return redirect(tab_url(me, owner) + SECTION)


@router.post("/preferences/google/{login}/calendar")
def choose_calendar(
    request: Request,
    db: Db,
    me: CurrentUser,
    studio: StudioDep,
    login: str,
    calendar: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Save the calendar to sync with: one of the account's existing, writable calendars."""
    owner = owner_of_tab(db, me, login)
    owner_id = owner.id
    release(db)
    try:
        if not calendar.strip():
            raise InputError(ErrorCode.FIELD_REQUIRED, field="calendar")
        chosen = select_calendar(
            studio, google_endpoints(studio.settings), owner_id, calendar.strip()
        )
    except StudioSyncError as failure:
        return render_tab(request, db, me, owner, account_error=failure, calendar_typed=calendar)
    with studio.transaction() as session:
        service = service_name(session, owner_id)
    sync = "Google Sync" if service == "Google" else f"The sync with {service}"
    notice(request, f"{sync} will use the calendar “{chosen.summary}”.")
    return redirect(safe_next(next) if next else tab_url(me, owner) + SECTION)


@router.post("/preferences/google/{login}/sync-now")
def sync_now_page(request: Request, db: Db, me: CurrentUser, login: str) -> Response:
    """Ask the processor to sync this user within seconds, outside the schedule."""
    owner = owner_of_tab(db, me, login)
    try:
        computer = sync_now(db, owner.id, web_state(request).clock.now())
    except StudioSyncError as failure:
        db.rollback()
        return render_tab(request, db, me, owner, account_error=failure)
    whose = "Your" if owner.id == me.id else f"{owner.display_name}'s"
    where = f" on {computer}" if computer else ""
    notice(
        request,
        f"{whose} sync is on its way: the Calendar Sync Processor{where} runs it within seconds. "
        "Its log is in Utilities > Control Center > Logs.",
    )
    return redirect(tab_url(me, owner) + SECTION)
