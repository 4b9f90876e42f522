"""Pages: Maintenance > Client > Client Groups (administrators): list, add, rename, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from studiosync.errors import StudioSyncError
from studiosync.studio import clients as service
from studiosync.studio.models import ClientGroup
from studiosync.studio.validation import find_group
from studiosync.web.deps import AdminUser, Db, page_admin
from studiosync.web.forms import MAX_ID
from studiosync.web.pages.common import form_again
from studiosync.web.problems import FormProblems
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/groups",
    tags=["pages: client groups"],
    include_in_schema=False,
    dependencies=[Depends(page_admin)],
)
GroupId = Annotated[int, Path(ge=1, le=MAX_ID)]
FIELDS = frozenset({"name"})


class GroupForm(BaseModel):
    name: str = ""


def _list_page(
    request: Request, db: Session, form: GroupForm, error: StudioSyncError | None = None
) -> Response:
    context: dict[str, Any] = {"area": "groups", "groups": service.list_groups(db), "form": form}
    if error is not None:
        return form_again(request, "groups/list.html", error, FIELDS, **context)
    return render(request, "groups/list.html", problems=FormProblems.none(), **context)


def _edit_page(
    request: Request,
    db: Session,
    group: ClientGroup,
    form: GroupForm,
    error: StudioSyncError | None = None,
) -> Response:
    context: dict[str, Any] = {"area": "groups", "group": group, "form": form}
    if error is not None:
        return form_again(request, "groups/form.html", error, FIELDS, **context)
    return render(request, "groups/form.html", problems=FormProblems.none(), **context)


@router.get("")
def list_groups(request: Request, db: Db, me: AdminUser) -> Response:
    return _list_page(request, db, GroupForm())


@router.post("/new")
def add_group(
    request: Request, db: Db, me: AdminUser, form: Annotated[GroupForm, Form()]
) -> Response:
    try:
        group = service.create_group(db, name=form.name)
    except StudioSyncError as error:
        db.rollback()
        return _list_page(request, db, form, error)
    notice(request, f"Client group {group.name} added.")
    return redirect("/groups")


@router.get("/{group_id}/edit")
def edit_group_page(request: Request, db: Db, me: AdminUser, group_id: GroupId) -> Response:
    group = find_group(db, group_id)
    return _edit_page(request, db, group, GroupForm(name=group.name))


@router.post("/{group_id}/edit")
def rename_group(
    request: Request,
    db: Db,
    me: AdminUser,
    group_id: GroupId,
    form: Annotated[GroupForm, Form()],
) -> Response:
    find_group(db, group_id)
    try:
        group = service.rename_group(db, group_id, name=form.name)
    except StudioSyncError as error:
        db.rollback()
        return _edit_page(request, db, find_group(db, group_id), form, error)
    notice(request, f"Client group {group.name} saved.")
    return redirect("/groups")


@router.post("/{group_id}/delete")
def delete_group(request: Request, db: Db, me: AdminUser, group_id: GroupId) -> Response:
    group = find_group(db, group_id)
    name = group.name
    try:
        service.delete_group(db, group_id)
    except StudioSyncError as error:
        db.rollback()
        group = find_group(db, group_id)
        return _edit_page(request, db, group, GroupForm(name=group.name), error)
    notice(request, f"Client group {name} deleted.")
    return redirect("/groups")
