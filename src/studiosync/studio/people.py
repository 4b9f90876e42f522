"""Users (who can sync with Google) and resources (which never do): add, edit, list, delete."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studiosync.errors import DuplicateError, ErrorCode, InputError
from studiosync.studio import validation as check
from studiosync.studio.logins import end_sessions
from studiosync.studio.models import (
    Assignment,
    Resource,
    ResourceKind,
    Role,
    User,
    appointment_resources,
)
from studiosync.studio.passwords import hash_password


def _ensure_login_free(session: Session, login: str, *, except_id: int | None = None) -> None:
    query = select(User.id).where(func.lower(User.login) == login.lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    if session.scalar(query) is not None:
        raise DuplicateError(entity="user", field="login", value=login)


def _ensure_name_not_resource(session: Session, login: str) -> None:
    if session.scalar(select(Resource.id).where(Resource.name == login)) is not None:
        raise DuplicateError(entity="resource", field="name", value=login)


def create_user(
    session: Session,
    *,
    login: str,
    display_name: str | None = None,
    email: str | None = None,
    role: Role = Role.STAFF,
    password: str | None = None,
    active: bool = True,
) -> User:
    """Add a user; the login is unique (case-insensitively) and never a resource's name."""
    name = check.login(login)
    _ensure_login_free(session, name)
    _ensure_name_not_resource(session, name)
    user = User(
        login=name,
        display_name=check.required_text("display name", display_name or name),
        email=check.optional_email("email", email),
        role=role,
        active=active,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    return user


def update_user(
    session: Session,
    key: str | int,
    *,
    login: str | None = None,
    display_name: str | None = None,
    email: str | check.Unchanged | None = check.UNCHANGED,
    role: Role | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> User:
    user = check.find_user(session, key)
    if login is not None:
        name = check.login(login)
        _ensure_login_free(session, name, except_id=user.id)
        if name != user.login:
            _ensure_name_not_resource(session, name)
        user.login = name
    if display_name is not None:
        user.display_name = check.required_text("display name", display_name)
    if email is not check.UNCHANGED:
        user.email = check.optional_email("email", email if isinstance(email, str) else None)
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
    if password is not None:
        user.password_hash = hash_password(check.required_text("password", password))
    if password is not None or active is False:
        end_sessions(session, user.id)  # a reactivated user's old logins stay ended
    session.flush()
    return user


def delete_user(session: Session, key: str | int) -> None:
    """Remove a user; their assignments go first so each affected appointment is in the feed."""
    user = check.find_user(session, key)
    for assignment in session.scalars(select(Assignment).where(Assignment.user_id == user.id)):
        assignment.appointment.assignments.remove(assignment)
    session.flush()
    session.delete(user)
    session.flush()


def list_users(session: Session, *, include_inactive: bool = True) -> list[User]:
    query = select(User).order_by(User.display_name, User.login)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    return list(session.scalars(query))


def create_resource(session: Session, *, kind: ResourceKind, name: str) -> Resource:
    text = check.required_text("name", name)
    if session.scalar(select(Resource.id).where(Resource.name == text)) is not None:
        raise DuplicateError(entity="resource", field="name", value=text)
    if session.scalar(select(User.id).where(User.login == text)) is not None:
        raise DuplicateError(entity="user", field="login", value=text)
    resource = Resource(kind=kind, name=text)
    session.add(resource)
    session.flush()
    return resource


def update_resource(
    session: Session, key: str | int, *, name: str | None = None, kind: ResourceKind | None = None
) -> Resource:
    resource = check.find_resource(session, key)
    if name is not None:
        text = check.required_text("name", name)
        clash = session.scalar(
            select(Resource.id).where(Resource.name == text, Resource.id != resource.id)
        )
        if clash is not None:
            raise DuplicateError(entity="resource", field="name", value=text)
        resource.name = text
    if kind is not None:
        resource.kind = kind
    session.flush()
    return resource


def delete_resource(session: Session, key: str | int) -> None:
    resource = check.find_resource(session, key)
    used = session.scalar(
        select(func.count())
        .select_from(appointment_resources)
        .where(appointment_resources.c.resource_id == resource.id)
    )
    if used:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="resource",
            value=resource.name,
            reason=f"it is booked on {used} appointment(s); remove it from them first",
        )
    session.delete(resource)
    session.flush()


def list_resources(session: Session) -> list[Resource]:
    return list(session.scalars(select(Resource).order_by(Resource.kind, Resource.name)))
