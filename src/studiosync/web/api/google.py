"""API: Google options (the Google tab): one's own, or any user's for administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from sqlalchemy.orm import Session

from studiosync.accounts.models import GoogleAccount
from studiosync.control.requests import sync_now
from studiosync.errors import AccessError, ErrorCode
from studiosync.studio.google_options import DetailedLogs, google_settings, set_google_settings
from studiosync.studio.models import User
from studiosync.studio.validation import find_user
from studiosync.web.api.common import api_router, given, sent
from studiosync.web.api.schemas import GoogleOptionsOut, GoogleOptionsPatch
from studiosync.web.api.sync_schemas import SyncNowOut
from studiosync.web.deps import ApiUser, Db, is_admin, web_state
from studiosync.web.forms import MAX_ID

router = api_router("", "Google options", admin=False)
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _owner(db: Session, me: User, user_id: int) -> User:
    """Only the user and administrators may see or change a user's Google options."""
    if user_id != me.id and not is_admin(me):
        raise AccessError(ErrorCode.NOT_YOUR_ACCOUNT, what="another user's Google options")
    return find_user(db, user_id)


def _out(db: Session, user: User) -> GoogleOptionsOut:
    tab = google_settings(db, user.id)
    account = db.get(GoogleAccount, user.id)
    return GoogleOptionsOut(
        user_id=user.id,
        login=user.login,
        enabled=tab.enabled,
        google_account=account.google_email if account else None,
        calendar_id=tab.calendar_id,
        populate_google=tab.populate_google,
        populate_studio=tab.populate_studio,
        populate_since=tab.populate_since,
        two_way=tab.two_way,
        download_tentative=tab.download_tentative,
        import_contacts=tab.import_contacts,
        contacts_group_id=tab.contacts_group_id,
        email_warnings=tab.email_warnings,
        warnings_email=tab.warnings_email,
        email_detailed_logs=tab.email_detailed_logs,
        detailed_logs=DetailedLogs.of(tab).value,
    )


def _change(db: Session, user: User, body: GoogleOptionsPatch) -> GoogleOptionsOut:
    set_google_settings(
        db,
        user.id,
        enabled=sent(body, "enabled"),
        populate_google=sent(body, "populate_google"),
        populate_studio=sent(body, "populate_studio"),
        populate_since=given(body, "populate_since"),
        two_way=sent(body, "two_way"),
        download_tentative=sent(body, "download_tentative"),
        import_contacts=sent(body, "import_contacts"),
        contacts_group=given(body, "contacts_group_id"),
        email_warnings=sent(body, "email_warnings"),
        warnings_email=given(body, "warnings_email"),
        email_detailed_logs=sent(body, "email_detailed_logs"),
        detailed_logs=DetailedLogs(body.detailed_logs) if body.detailed_logs else None,
    )
    return _out(db, user)


@router.get("/google")
def my_google_options(db: Db, me: ApiUser) -> GoogleOptionsOut:
    return _out(db, me)


@router.patch("/google")
def change_my_google_options(db: Db, me: ApiUser, body: GoogleOptionsPatch) -> GoogleOptionsOut:
    """Change the options given; the Google tab's rules apply to the result."""
    return _change(db, me, body)


@router.get("/users/{user_id}/google")
def users_google_options(db: Db, me: ApiUser, user_id: UserId) -> GoogleOptionsOut:
    return _out(db, _owner(db, me, user_id))


@router.patch("/users/{user_id}/google")
def change_users_google_options(
    db: Db, me: ApiUser, user_id: UserId, body: GoogleOptionsPatch
) -> GoogleOptionsOut:
    return _change(db, _owner(db, me, user_id), body)


@router.post("/users/{user_id}/google/sync-now", status_code=202)
def sync_user_now(request: Request, db: Db, me: ApiUser, user_id: UserId) -> SyncNowOut:
    """Sync this user within seconds, outside the schedule (the Google tab's "Sync now")."""
    owner = _owner(db, me, user_id)
    computer = sync_now(db, owner.id, web_state(request).clock.now())
    return SyncNowOut(requested=True, computer=computer)
