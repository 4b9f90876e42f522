"""Pages: Maintenance > Users (administrators): list, add, edit, deactivate and reactivate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from studiosync.errors import ErrorCode, InputError, StudioSyncError
from studiosync.studio import people
from studiosync.studio.models import Role, User
from studiosync.studio.validation import find_user
from studiosync.web.deps import AdminUser, Db, page_admin
from studiosync.web.forms import MAX_ID, checked
from studiosync.web.pages.common import form_again
from studiosync.web.problems import FormProblems
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/users",
    tags=["pages: users"],
    include_in_schema=False,
    dependencies=[Depends(page_admin)],
)
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
FIELDS = frozenset({"login", "display_name", "email", "role", "password", "active"})
ROLE_LABELS = {
    Role.PHOTOGRAPHER: "Photographer",
    Role.ASSISTANT: "Assistant",
    Role.STAFF: "Staff",
    Role.ADMIN: "Administrator",
}


class UserForm(BaseModel):
    """The user form as typed; every value is checked by the users service."""

    login: str = ""
    display_name: str = ""
    email: str = ""
    role: str = Role.STAFF.value
    password: str = ""
    active: str = ""

    @classmethod
    def of(cls, user: User) -> UserForm:
        return cls(
            login=user.login,
            display_name=user.display_name,
            email=user.email or "",
            role=user.role.value,
            active="on" if user.active else "",
        )


def role_of(text: str) -> Role:
    try:
        return Role(text)
    except ValueError as exc:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="role",
            value=text,
            reason="choose one of " + ", ".join(role.value for role in Role),
        ) from exc


def _guard_self(me: User, user: User, role: Role, active: bool) -> None:
    """An administrator cannot lock themselves out of the studio."""
    if me.id != user.id:
        return
    if not active:
        raise InputError(ErrorCode.SELF_LOCKOUT, field="active", user=me.login)
    if role is not Role.ADMIN:
        raise InputError(ErrorCode.SELF_LOCKOUT, field="role", user=me.login)


def _form_page(
    request: Request,
    form: UserForm,
    *,
    user: User | None,
    problems: FormProblems | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "users/form.html",
        status_code=status_code,
        area="users",
        form=form,
        user=user,
        roles=ROLE_LABELS,
        problems=problems or FormProblems.none(),
    )


def _rejected(
    request: Request, db: Session, form: UserForm, error: StudioSyncError, user_id: int | None
) -> Response:
    db.rollback()
    user = db.get(User, user_id) if user_id else None
    return form_again(
        request,
        "users/form.html",
        error,
        FIELDS,
        area="users",
        form=form,
        user=user,
        roles=ROLE_LABELS,
    )


@router.get("")
def list_users(request: Request, db: Db, me: AdminUser) -> Response:
    users = people.list_users(db)
    return render(request, "users/list.html", area="users", users=users, roles=ROLE_LABELS)


@router.get("/new")
def new_user(request: Request, me: AdminUser) -> Response:
    return _form_page(request, UserForm(active="on"), user=None)


@router.post("/new")
def add_user(
    request: Request, db: Db, me: AdminUser, form: Annotated[UserForm, Form()]
) -> Response:
    try:
        user = people.create_user(
            db,
            login=form.login,
            display_name=form.display_name or None,
            email=form.email or None,
            role=role_of(form.role),
            password=form.password or None,
            active=checked(form.active),
        )
    except StudioSyncError as error:
        return _rejected(request, db, form, error, None)
    notice(request, f"User {user.display_name} added.")
    return redirect("/users")


@router.get("/{user_id}/edit")
def edit_user_page(request: Request, db: Db, me: AdminUser, user_id: UserId) -> Response:
    user = find_user(db, user_id)
    return _form_page(request, UserForm.of(user), user=user)


@router.post("/{user_id}/edit")
def edit_user(
    request: Request,
    db: Db,
    me: AdminUser,
    user_id: UserId,
    form: Annotated[UserForm, Form()],
) -> Response:
    user = find_user(db, user_id)
    try:
        role, active = role_of(form.role), checked(form.active)
        _guard_self(me, user, role, active)
        people.update_user(
            db,
            user.id,
            login=form.login,
            display_name=form.display_name,
            email=form.email or None,
            role=role,
            active=active,
            password=form.password or None,
        )
    except StudioSyncError as error:
        return _rejected(request, db, form, error, user_id)
    notice(request, f"User {user.display_name} saved.")
    return redirect("/users")


def _set_active(request: Request, db: Session, me: User, user_id: int, active: bool) -> Response:
    user = find_user(db, user_id)
    _guard_self(me, user, user.role, active)
    people.update_user(db, user.id, active=active)
    state = "reactivated" if active else "deactivated; they can no longer log in"
    notice(request, f"User {user.display_name} {state}.")
    return redirect("/users")


@router.post("/{user_id}/deactivate")
def deactivate_user(request: Request, db: Db, me: AdminUser, user_id: UserId) -> Response:
    return _set_active(request, db, me, user_id, False)


@router.post("/{user_id}/reactivate")
def reactivate_user(request: Request, db: Db, me: AdminUser, user_id: UserId) -> Response:
    return _set_active(request, db, me, user_id, True)
