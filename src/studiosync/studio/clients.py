"""Clients and client groups: add, edit, list, delete, group membership, match by email."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studiosync.errors import DuplicateError, ErrorCode, InputError
from studiosync.studio import validation as check
from studiosync.studio.models import (
    Client,
    ClientEmail,
    ClientGroup,
    GoogleSettings,
    User,
)
from studiosync.studio.models import client_group_members as members


def _email_rows(emails: Iterable[str]) -> list[ClientEmail]:
    rows: list[ClientEmail] = []
    seen: set[str] = set()
    for position, raw in enumerate(e for e in emails if e and e.strip()):
        address = check.email_address("email", raw)
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        rows.append(ClientEmail(position=position, email=address, email_normalized=address.lower()))
    return rows


def _phones(phones: Iterable[str]) -> list[str]:
    return [phone.strip() for phone in phones if phone and phone.strip()]


def create_client(
    session: Session,
    *,
    name: str,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    address: str | None = None,
    notes: str | None = None,
    groups: Sequence[str | int] = (),
) -> Client:
    client = Client(
        name=check.required_text("name", name),
        phones=_phones(phones),
        address=check.optional_text(address),
        notes=check.optional_text(notes),
    )
    client.email_rows = _email_rows(emails)
    client.groups = [check.find_group(session, key) for key in groups]
    session.add(client)
    session.flush()
    return client


def update_client(
    session: Session,
    key: str | int,
    *,
    name: str | None = None,
    emails: Sequence[str] | None = None,
    phones: Sequence[str] | None = None,
    address: str | check.Unchanged | None = check.UNCHANGED,
    notes: str | check.Unchanged | None = check.UNCHANGED,
    groups: Sequence[str | int] | None = None,
) -> Client:
    client = check.find_client(session, key)
    if name is not None:
        client.name = check.required_text("name", name)
    if emails is not None:
        client.email_rows = _email_rows(emails)
    if phones is not None:
        client.phones = _phones(phones)
    if address is not check.UNCHANGED:
        client.address = check.optional_text(address if isinstance(address, str) else None)
    if notes is not check.UNCHANGED:
        client.notes = check.optional_text(notes if isinstance(notes, str) else None)
    if groups is not None:
        client.groups = [check.find_group(session, group) for group in groups]
    session.flush()
    return client


def delete_client(session: Session, key: str | int) -> None:
    session.delete(check.find_client(session, key))
    session.flush()


def list_clients(
    session: Session, *, search: str | None = None, group: str | int | None = None
) -> list[Client]:
    query = select(Client).order_by(Client.name, Client.id)
    if search:
        query = query.where(func.lower(Client.name).contains(search.lower()))
    if group is not None:
        query = query.where(Client.groups.contains(check.find_group(session, group)))
    return list(session.scalars(query))


def clients_with_email(session: Session, email: str) -> list[Client]:
    """Clients having this address (case-insensitive), oldest first."""
    query = (
        select(Client)
        .join(ClientEmail)
        .where(ClientEmail.email_normalized == email.strip().lower())
        .order_by(Client.id)
    )
    return list(session.scalars(query).unique())


def create_group(session: Session, *, name: str) -> ClientGroup:
    text = check.required_text("name", name)
    if session.scalar(select(ClientGroup.id).where(ClientGroup.name == text)) is not None:
        raise DuplicateError(entity="client group", field="name", value=text)
    group = ClientGroup(name=text)
    session.add(group)
    session.flush()
    return group


def rename_group(session: Session, key: str | int, *, name: str) -> ClientGroup:
    group = check.find_group(session, key)
    text = check.required_text("name", name)
    clash = session.scalar(
        select(ClientGroup.id).where(ClientGroup.name == text, ClientGroup.id != group.id)
    )
    if clash is not None:
        raise DuplicateError(entity="client group", field="name", value=text)
    group.name = text
    session.flush()
    return group


def delete_group(session: Session, key: str | int) -> None:
    """Delete a group, unless a user's Google contacts flow into it."""
    group = check.find_group(session, key)
    login = session.scalar(
        select(User.login).join(GoogleSettings).where(GoogleSettings.contacts_group_id == group.id)
    )
    if login is not None:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="client group",
            value=group.name,
            reason=f"Google contacts of user {login!r} go into it; pick another group on their "
            "Google tab first",
        )
    session.delete(group)
    session.flush()


def list_groups(session: Session) -> list[tuple[ClientGroup, int]]:
    """Each group with its number of clients."""
    count = (
        select(func.count())
        .select_from(members)
        .where(members.c.group_id == ClientGroup.id)
        .scalar_subquery()
    )
    rows = session.execute(select(ClientGroup, count).order_by(ClientGroup.name))
    return [(group, int(number)) for group, number in rows]
