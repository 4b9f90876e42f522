"""API: the caller (/api/me) and users (administrators): list, add, read, change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from studiosync.errors import ErrorCode, InputError
from studiosync.studio import people
from studiosync.studio.models import Role
from studiosync.studio.validation import find_user
from studiosync.web.api.common import api_router, given, sent, user_out
from studiosync.web.api.schemas import ERROR_RESPONSES, UserCreate, UserOut, UserPatch
from studiosync.web.deps import ApiAdmin, ApiUser, Db, api_user
from studiosync.web.forms import MAX_ID

router = api_router("/users", "users", admin=True)
me_router = APIRouter(
    prefix="/api", tags=["users"], responses=ERROR_RESPONSES, dependencies=[Depends(api_user)]
)
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]


@me_router.get("/me")
def who_am_i(me: ApiUser) -> UserOut:
    """The user the token belongs to."""
    return user_out(me)


@router.get("")
def list_users(db: Db, me: ApiAdmin, include_inactive: bool = True) -> list[UserOut]:
    return [user_out(u) for u in people.list_users(db, include_inactive=include_inactive)]


@router.post("", status_code=201)
def add_user(db: Db, me: ApiAdmin, body: UserCreate) -> UserOut:
    user = people.create_user(
        db,
        login=body.login,
        display_name=body.display_name,
        email=body.email,
        role=body.role,
        password=body.password,
        active=body.active,
    )
    return user_out(user)


@router.get("/{user_id}")
def get_user(db: Db, me: ApiAdmin, user_id: UserId) -> UserOut:
    return user_out(find_user(db, user_id))


@router.patch("/{user_id}")
def change_user(db: Db, me: ApiAdmin, user_id: UserId, body: UserPatch) -> UserOut:
    """Change the fields given; ``active: false`` deactivates (the user can no longer log in)."""
    user = find_user(db, user_id)
    if user.id == me.id and (body.active is False or body.role not in (None, Role.ADMIN)):
        raise InputError(
            ErrorCode.SELF_LOCKOUT,
            field="active" if body.active is False else "role",
            user=me.login,
        )
    changed = people.update_user(
        db,
        user.id,
        login=sent(body, "login"),
        display_name=sent(body, "display_name"),
        email=given(body, "email"),
        role=sent(body, "role"),
        active=sent(body, "active"),
        password=sent(body, "password"),
    )
    return user_out(changed)
