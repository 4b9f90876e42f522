"""Contacts import: Google contacts changed since the stored token become studio clients.

Matching: the stored link first, then any email address (case-insensitively). New and modified
contacts are written into the chosen client group; a deleted contact never deletes a client.
An expired token (People answers 400 FAILED_PRECONDITION) means a full re-list, matched the
same way, so nothing is duplicated.
"""

from __future__ import annotations

from dataclasses import replace

from studiosync.errors import ErrorCode, ProviderError, StudioSyncError, SyncTokenExpiredError
from studiosync.providers.base import ContactChanges, Provider, RemoteContact
from studiosync.sync.execute import STOPPING, StoppedError
from studiosync.sync.pacing import Pacer
from studiosync.sync.ports import StudioClients, SyncStateStore
from studiosync.sync.records import ClientDraft, ContactLink, SyncCursors
from studiosync.sync.result import Level, RunResult


def _draft(contact: RemoteContact) -> ClientDraft:
    emails = tuple(address.strip() for address in contact.emails if address.strip())
    phones = tuple(number.strip() for number in contact.phones if number.strip())
    name = contact.display_name.strip() or (emails[0] if emails else "")
    return ClientDraft(name=name, emails=emails, phones=phones)


def _read(provider: Provider, pacer: Pacer, token: str | None, result: RunResult) -> ContactChanges:
    try:
        return pacer.call(lambda: provider.contacts(token))
    except SyncTokenExpiredError:
        result.full_resync = True
        result.add(Level.WARNING, ErrorCode.SYNC_FULL_RESYNC, kind="contacts")
        return pacer.call(lambda: provider.contacts(None))


def sync_contacts(
    *,
    user_id: int,
    group_id: int | None,
    provider: Provider,
    clients: StudioClients,
    state: SyncStateStore,
    pacer: Pacer,
    result: RunResult,
    cursors: SyncCursors,
) -> SyncCursors:
    """Import the user's changed contacts; the cursors with the new contacts token."""
    if group_id is None:
        result.add(Level.ERROR, ErrorCode.CLIENT_GROUP_REQUIRED, user=user_id)
        return cursors
    try:
        changes = _read(provider, pacer, cursors.contacts_token, result)
    except STOPPING as error:
        raise StoppedError(error) from error
    except ProviderError as error:
        result.add(
            Level.WARNING,
            ErrorCode.SYNC_RETRY_LATER,
            item="the Google contacts",
            reason=error.code.value,
        )
        return cursors
    live = [contact for contact in changes.contacts if not contact.deleted]
    links = state.contact_links(user_id, [contact.resource_name for contact in live])
    for contact in live:
        link = links.get(contact.resource_name)
        if link is not None and contact.etag is not None and link.etag == contact.etag:
            continue
        draft = _draft(contact)
        if not draft.name:
            result.counts.skipped += 1
            result.add(
                Level.INFO,
                ErrorCode.SYNC_CONTACT_SKIPPED,
                contact=contact.resource_name,
                reason="no name or email address",
            )
            continue
        known = link.client_id if link else clients.find_by_email(draft.emails)
        try:
            client_id = clients.save(group_id, known, draft)
        except StudioSyncError as error:
            result.add(
                Level.ERROR,
                ErrorCode.SYNC_STUDIO_REFUSED,
                item=f"contact {contact.resource_name}",
                reason=error.code.value,
            )
            continue
        state.put_contact_link(user_id, ContactLink(contact.resource_name, client_id, contact.etag))
        if known is None:
            result.counts.contacts_new += 1
        else:
            result.counts.contacts_updated += 1
    return replace(cursors, contacts_token=changes.next_sync_token)
