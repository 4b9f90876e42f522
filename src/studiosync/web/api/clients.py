"""API: clients (administrators): search, add, read, change, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response

from studiosync.studio import clients as service
from studiosync.studio.validation import find_client
from studiosync.web.api.common import api_router, client_out, given, sent
from studiosync.web.api.schemas import ClientCreate, ClientOut, ClientPatch
from studiosync.web.deps import ApiAdmin, Db
from studiosync.web.forms import MAX_ID

router = api_router("/clients", "clients", admin=True)
ClientId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_clients(
    db: Db,
    me: ApiAdmin,
    search: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    group: Annotated[int | None, Query(ge=1, le=MAX_ID, description="A client group.")] = None,
) -> list[ClientOut]:
    found = service.list_clients(db, search=(search or "").replace("\x00", "") or None, group=group)
    return [client_out(client) for client in found]


@router.post("", status_code=201)
def add_client(db: Db, me: ApiAdmin, body: ClientCreate) -> ClientOut:
    client = service.create_client(
        db,
        name=body.name,
        emails=body.emails,
        phones=body.phones,
        address=body.address,
        notes=body.notes,
        groups=list(body.groups),
    )
    return client_out(client)


@router.get("/{client_id}")
def get_client(db: Db, me: ApiAdmin, client_id: ClientId) -> ClientOut:
    return client_out(find_client(db, client_id))


@router.patch("/{client_id}")
def change_client(db: Db, me: ApiAdmin, client_id: ClientId, body: ClientPatch) -> ClientOut:
    find_client(db, client_id)
    groups = sent(body, "groups")
    client = service.update_client(
        db,
        client_id,
        name=sent(body, "name"),
        emails=sent(body, "emails"),
        phones=sent(body, "phones"),
        address=given(body, "address"),
        notes=given(body, "notes"),
        groups=list(groups) if groups is not None else None,
    )
    return client_out(client)


@router.delete("/{client_id}", status_code=204)
def delete_client(db: Db, me: ApiAdmin, client_id: ClientId) -> Response:
    service.delete_client(db, client_id)
    return Response(status_code=204)
