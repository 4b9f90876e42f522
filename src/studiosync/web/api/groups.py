"""API: client groups (administrators): list, add, rename, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response

from studiosync.studio import clients as service
from studiosync.studio.models import ClientGroup
from studiosync.studio.validation import find_group
from studiosync.web.api.common import api_router
from studiosync.web.api.schemas import GroupIn, GroupOut
from studiosync.web.deps import ApiAdmin, Db
from studiosync.web.forms import MAX_ID

router = api_router("/groups", "client groups", admin=True)
GroupId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _out(group: ClientGroup, count: int | None = None) -> GroupOut:
    return GroupOut(
        id=group.id, name=group.name, clients=len(group.clients) if count is None else count
    )


@router.get("")
def list_groups(db: Db, me: ApiAdmin) -> list[GroupOut]:
    return [_out(group, count) for group, count in service.list_groups(db)]


@router.post("", status_code=201)
def add_group(db: Db, me: ApiAdmin, body: GroupIn) -> GroupOut:
    return _out(service.create_group(db, name=body.name), 0)


@router.get("/{group_id}")
def get_group(db: Db, me: ApiAdmin, group_id: GroupId) -> GroupOut:
    return _out(find_group(db, group_id))


@router.patch("/{group_id}")
def rename_group(db: Db, me: ApiAdmin, group_id: GroupId, body: GroupIn) -> GroupOut:
    find_group(db, group_id)
    return _out(service.rename_group(db, group_id, name=body.name))


@router.delete("/{group_id}", status_code=204)
def delete_group(db: Db, me: ApiAdmin, group_id: GroupId) -> Response:
    """Refused while a user's Google contacts go into the group."""
    service.delete_group(db, group_id)
    return Response(status_code=204)
