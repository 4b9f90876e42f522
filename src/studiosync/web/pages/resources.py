"""Pages: Maintenance > Resources (administrators): locations, rooms and equipment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel

from studiosync.errors import ErrorCode, InputError, StudioSyncError
from studiosync.studio import people
from studiosync.studio.models import Resource, ResourceKind
from studiosync.studio.validation import find_resource
from studiosync.web.deps import AdminUser, Db, page_admin
from studiosync.web.forms import MAX_ID
from studiosync.web.pages.common import form_again
from studiosync.web.problems import FormProblems
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/resources",
    tags=["pages: resources"],
    include_in_schema=False,
    dependencies=[Depends(page_admin)],
)
ResourceId = Annotated[int, Path(ge=1, le=MAX_ID)]
FIELDS = frozenset({"name", "kind"})
KIND_LABELS = {
    ResourceKind.LOCATION: "Location",
    ResourceKind.ROOM: "Room",
    ResourceKind.EQUIPMENT: "Equipment",
}


class ResourceForm(BaseModel):
    name: str = ""
    kind: str = ResourceKind.ROOM.value


def kind_of(text: str) -> ResourceKind:
    try:
        return ResourceKind(text)
    except ValueError as exc:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="kind",
            value=text,
            reason="choose one of " + ", ".join(kind.value for kind in ResourceKind),
        ) from exc


def _page(request: Request, form: ResourceForm, resource: Resource | None) -> Response:
    return render(
        request,
        "resources/form.html",
        area="resources",
        form=form,
        resource=resource,
        kinds=KIND_LABELS,
        problems=FormProblems.none(),
    )


@router.get("")
def list_resources(request: Request, db: Db, me: AdminUser) -> Response:
    return render(
        request,
        "resources/list.html",
        area="resources",
        resources=people.list_resources(db),
        kinds=KIND_LABELS,
    )


@router.get("/new")
def new_resource(request: Request, me: AdminUser) -> Response:
    return _page(request, ResourceForm(), None)


@router.post("/new")
def add_resource(
    request: Request, db: Db, me: AdminUser, form: Annotated[ResourceForm, Form()]
) -> Response:
    try:
        resource = people.create_resource(db, kind=kind_of(form.kind), name=form.name)
    except StudioSyncError as error:
        db.rollback()
        return form_again(
            request,
            "resources/form.html",
            error,
            FIELDS,
            area="resources",
            form=form,
            resource=None,
            kinds=KIND_LABELS,
        )
    notice(request, f"{KIND_LABELS[resource.kind]} {resource.name} added.")
    return redirect("/resources")


@router.get("/{resource_id}/edit")
def edit_resource_page(
    request: Request, db: Db, me: AdminUser, resource_id: ResourceId
) -> Response:
    resource = find_resource(db, resource_id)
    form = ResourceForm(name=resource.name, kind=resource.kind.value)
    return _page(request, form, resource)


@router.post("/{resource_id}/edit")
def edit_resource(
    request: Request,
    db: Db,
    me: AdminUser,
    resource_id: ResourceId,
    form: Annotated[ResourceForm, Form()],
) -> Response:
    find_resource(db, resource_id)
    try:
        resource = people.update_resource(db, resource_id, name=form.name, kind=kind_of(form.kind))
    except StudioSyncError as error:
        db.rollback()
        return form_again(
            request,
            "resources/form.html",
            error,
            FIELDS,
            area="resources",
            form=form,
            resource=find_resource(db, resource_id),
            kinds=KIND_LABELS,
        )
    notice(request, f"{resource.name} saved.")
    return redirect("/resources")


@router.post("/{resource_id}/delete")
def delete_resource(request: Request, db: Db, me: AdminUser, resource_id: ResourceId) -> Response:
    resource = find_resource(db, resource_id)
    name = resource.name
    try:
        people.delete_resource(db, resource_id)
    except StudioSyncError as error:
        db.rollback()
        return form_again(
            request,
            "resources/form.html",
            error,
            FIELDS,
            area="resources",
            resource=find_resource(db, resource_id),
            form=ResourceForm(name=resource.name, kind=resource.kind.value),
            kinds=KIND_LABELS,
        )
    notice(request, f"{name} deleted.")
    return redirect("/resources")
