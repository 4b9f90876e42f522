"""Pages: Maintenance > Clients (administrators): search, add, edit, delete, group membership."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from studiosync.errors import StudioSyncError
from studiosync.studio import clients as service
from studiosync.studio.models import Client
from studiosync.studio.validation import find_client
from studiosync.web.deps import AdminUser, Db, page_admin
from studiosync.web.forms import MAX_ID, lines, record_id, record_ids
from studiosync.web.pages.common import form_again
from studiosync.web.problems import FormProblems
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/clients",
    tags=["pages: clients"],
    include_in_schema=False,
    dependencies=[Depends(page_admin)],
)
ClientId = Annotated[int, Path(ge=1, le=MAX_ID)]
FIELDS = frozenset({"name", "email", "phones", "address", "notes", "client_group"})
SHOWN_AT_MOST = 200


class ClientForm(BaseModel):
    """The client form as typed: emails and phones one per line, groups by number."""

    name: str = ""
    emails: str = ""
    phones: str = ""
    address: str = ""
    notes: str = ""
    groups: list[str] = []

    @classmethod
    def of(cls, client: Client) -> ClientForm:
        return cls(
            name=client.name,
            emails="\n".join(client.emails),
            phones="\n".join(client.phones),
            address=client.address or "",
            notes=client.notes or "",
            groups=[str(group.id) for group in client.groups],
        )


def _context(db: Session, form: ClientForm, client: Client | None) -> dict[str, Any]:
    groups = [group for group, _count in service.list_groups(db)]
    return {"area": "clients", "form": form, "client": client, "groups": groups}


def _again(
    request: Request, db: Session, form: ClientForm, error: StudioSyncError, client_id: int | None
) -> Response:
    db.rollback()
    client = db.get(Client, client_id) if client_id else None
    return form_again(request, "clients/form.html", error, FIELDS, **_context(db, form, client))


@router.get("")
def list_clients(request: Request, db: Db, me: AdminUser, q: str = "", group: str = "") -> Response:
    group_id = record_id("client group", group, "group") if group.strip() else None
    found = service.list_clients(db, search=q.strip()[:200] or None, group=group_id)
    return render(
        request,
        "clients/list.html",
        area="clients",
        clients=found[:SHOWN_AT_MOST],
        total=len(found),
        q=q,
        group=group_id,
        groups=[group for group, _count in service.list_groups(db)],
    )


@router.get("/new")
def new_client(request: Request, db: Db, me: AdminUser) -> Response:
    return render(
        request,
        "clients/form.html",
        problems=FormProblems.none(),
        **_context(db, ClientForm(), None),
    )


@router.post("/new")
def add_client(
    request: Request, db: Db, me: AdminUser, form: Annotated[ClientForm, Form()]
) -> Response:
    try:
        client = service.create_client(
            db,
            name=form.name,
            emails=lines(form.emails),
            phones=(form.phones or "").splitlines(),
            address=form.address,
            notes=form.notes,
            groups=record_ids("client group", form.groups, "group"),
        )
    except StudioSyncError as error:
        return _again(request, db, form, error, None)
    notice(request, f"Client {client.name} added.")
    return redirect("/clients")


@router.get("/{client_id}/edit")
def edit_client_page(request: Request, db: Db, me: AdminUser, client_id: ClientId) -> Response:
    client = find_client(db, client_id)
    return render(
        request,
        "clients/form.html",
        problems=FormProblems.none(),
        **_context(db, ClientForm.of(client), client),
    )


@router.post("/{client_id}/edit")
def edit_client(
    request: Request,
    db: Db,
    me: AdminUser,
    client_id: ClientId,
    form: Annotated[ClientForm, Form()],
) -> Response:
    find_client(db, client_id)
    try:
        client = service.update_client(
            db,
            client_id,
            name=form.name,
            emails=lines(form.emails),
            phones=(form.phones or "").splitlines(),
            address=form.address,
            notes=form.notes,
            groups=record_ids("client group", form.groups, "group"),
        )
    except StudioSyncError as error:
        return _again(request, db, form, error, client_id)
    notice(request, f"Client {client.name} saved.")
    return redirect("/clients")


@router.post("/{client_id}/delete")
def delete_client(request: Request, db: Db, me: AdminUser, client_id: ClientId) -> Response:
    client = find_client(db, client_id)
    name = client.name
    service.delete_client(db, client_id)
    notice(request, f"Client {name} deleted.")
    return redirect("/clients")
