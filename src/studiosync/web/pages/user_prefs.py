"""Pages: User Preferences, General tab: one's own name, email and password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel

from studiosync.errors import ErrorCode, InputError, StudioSyncError
from studiosync.studio import people
from studiosync.web import sessions
from studiosync.web.deps import (
    FINGERPRINT_KEY,
    SESSION_KEY,
    CurrentUser,
    Db,
    page_user,
    web_state,
)
from studiosync.web.pages.common import form_again
from studiosync.web.problems import FormProblems
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/preferences/user",
    tags=["pages: user preferences"],
    include_in_schema=False,
    dependencies=[Depends(page_user)],
)
FIELDS = frozenset({"display_name", "email", "password", "password_again"})


class MyDetailsForm(BaseModel):
    display_name: str = ""
    email: str = ""
    password: str = ""
    password_again: str = ""


def _context(form: MyDetailsForm) -> dict[str, Any]:
    return {"area": "user-prefs", "tab": "general", "form": form, "tab_base": "/preferences"}


@router.get("")
def general_tab(request: Request, me: CurrentUser) -> Response:
    form = MyDetailsForm(display_name=me.display_name, email=me.email or "")
    return render(request, "preferences/user.html", problems=FormProblems.none(), **_context(form))


@router.post("")
def save_general_tab(
    request: Request, db: Db, me: CurrentUser, form: Annotated[MyDetailsForm, Form()]
) -> Response:
    typed = form.model_copy(update={"password": "", "password_again": ""})
    try:
        if form.password != form.password_again:
            raise InputError(
                ErrorCode.INVALID_VALUE,
                field="password_again",
                value="…",
                reason="it is not the same as the new password; type the same password twice",
            )
        people.update_user(
            db,
            me.id,
            display_name=form.display_name,
            email=form.email.strip() or None,
            password=form.password or None,
        )
    except StudioSyncError as error:
        db.rollback()
        return form_again(request, "preferences/user.html", error, FIELDS, **_context(typed))
    if form.password:  # a new password ends every login; this browser gets a fresh one
        state = web_state(request)
        request.session[FINGERPRINT_KEY] = state.keys.password_fingerprint(me)
        request.session[SESSION_KEY] = sessions.open_session(
            db, me.id, sessions.BROWSER, state.clock.now()
        )
    notice(request, "Your preferences are saved.")
    return redirect("/preferences/user")
