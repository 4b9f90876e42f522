"""API: resources (administrators): locations, rooms and equipment; they never sync."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response

from studiosync.studio import people
from studiosync.studio.validation import find_resource
from studiosync.web.api.common import api_router, resource_out, sent
from studiosync.web.api.schemas import ResourceCreate, ResourceOut, ResourcePatch
from studiosync.web.deps import ApiAdmin, Db
from studiosync.web.forms import MAX_ID

router = api_router("/resources", "resources", admin=True)
ResourceId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_resources(db: Db, me: ApiAdmin) -> list[ResourceOut]:
    return [resource_out(resource) for resource in people.list_resources(db)]


@router.post("", status_code=201)
def add_resource(db: Db, me: ApiAdmin, body: ResourceCreate) -> ResourceOut:
    return resource_out(people.create_resource(db, kind=body.kind, name=body.name))


@router.get("/{resource_id}")
def get_resource(db: Db, me: ApiAdmin, resource_id: ResourceId) -> ResourceOut:
    return resource_out(find_resource(db, resource_id))


@router.patch("/{resource_id}")
def change_resource(
    db: Db, me: ApiAdmin, resource_id: ResourceId, body: ResourcePatch
) -> ResourceOut:
    find_resource(db, resource_id)
    changed = people.update_resource(
        db, resource_id, name=sent(body, "name"), kind=sent(body, "kind")
    )
    return resource_out(changed)


@router.delete("/{resource_id}", status_code=204)
def delete_resource(db: Db, me: ApiAdmin, resource_id: ResourceId) -> Response:
    """Refused while the resource is booked on appointments."""
    people.delete_resource(db, resource_id)
    return Response(status_code=204)
