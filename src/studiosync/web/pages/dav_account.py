"""Pages: a CalDAV account on a Google tab: connect (iCloud, Fastmail, Nextcloud...) and remove."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from studiosync.accounts.dav_linking import link_dav, shown_account, unlink_dav
from studiosync.errors import InputError, ProviderError, StudioSyncError
from studiosync.web.deps import CurrentUser, Db, StudioDep, page_user, release
from studiosync.web.handlers import safe_next
from studiosync.web.pages.google_prefs import owner_of_tab, render_tab, tab_url
from studiosync.web.templating import notice, redirect

router = APIRouter(
    tags=["pages: CalDAV account"], include_in_schema=False, dependencies=[Depends(page_user)]
)
SECTION = "#google-account"


@router.post("/preferences/google/{login}/caldav")
def connect(
    request: Request,
    db: Db,
    me: CurrentUser,
    studio: StudioDep,
    login: str,
    server: Annotated[str, Form(max_length=500)] = "",
    username: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Connect the tab's user to a CalDAV account; nothing is kept unless the server agrees."""
    owner = owner_of_tab(db, me, login)
    owner_id = owner.id
    release(db)
    try:
        try:
            linked = link_dav(studio, owner_id, server, username, password)
        except ProviderError as refused:  # an answer about the address and sign-in typed
            raise InputError(refused.code, field="server", **refused.params) from refused
    except StudioSyncError as failure:
        db.rollback()
        typed = {"server": server, "username": username}
        return render_tab(request, db, me, owner, account_error=failure, dav_typed=typed)
    account = shown_account(linked.username, linked.server)
    notice(request, f"Connected to {account}. Now choose the calendar to sync with.")
    return redirect(safe_next(next) if next else tab_url(me, owner) + SECTION)


@router.post("/preferences/google/{login}/caldav/remove")
def remove(request: Request, db: Db, me: CurrentUser, login: str) -> Response:
    """Forget the CalDAV account, its password and calendar choice (nothing is deleted there)."""
    owner = owner_of_tab(db, me, login)
    try:
        account = unlink_dav(db, owner.id)
    except StudioSyncError as failure:
        db.rollback()
        return render_tab(request, db, me, owner, account_error=failure)
    notice(
        request,
        f"{account} is removed; nothing was deleted on the server, and nothing syncs until an "
        "account is connected.",
    )
    return redirect(tab_url(me, owner) + SECTION)
