"""The memory provider's contacts: People's way (a token dies 7 days after its full listing)
or CardDAV's (tokens do not age); either way a token dies when the book is told to forget."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import replace
from typing import Any

from studiosync.clock import Clock
from studiosync.errors import ErrorCode, SyncTokenExpiredError
from studiosync.providers.base import ContactChanges, RemoteContact

CONTACT_TOKEN_LIFETIME = dt.timedelta(days=7)
"""People: "Sync tokens expire 7 days after the full sync"."""


class ContactBook:
    """One account's contacts with their change numbers."""

    def __init__(self, clock: Clock, *, tokens_age: bool) -> None:
        self.clock = clock
        self.tokens_age = tokens_age
        self._contacts: dict[str, tuple[RemoteContact, int]] = {}
        self._seq = itertools.count(1)
        self._last = 0
        self._generation = 0

    def changes(self, sync_token: str | None) -> ContactChanges:
        """Every live contact (no token), or those changed since the token."""
        now = self.clock.now().timestamp()
        if sync_token is None:
            found = [contact for contact, _seq in self._contacts.values() if not contact.deleted]
            origin = now
        else:
            since, origin = self._read(sync_token)
            if self.tokens_age and now - origin > CONTACT_TOKEN_LIFETIME.total_seconds():
                raise SyncTokenExpiredError(ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED, kind="contacts")
            found = [contact for contact, seq in self._contacts.values() if seq > since]
        return ContactChanges(found, f"p{self._generation}:{self._last}@{origin}")

    def _read(self, sync_token: str) -> tuple[int, float]:
        """The change number a token was given at, and the time of its full listing."""
        token, _, stamp = sync_token.rpartition("@")
        head, _, seq = token.partition(":")
        if head != f"p{self._generation}" or not seq.isdigit():
            raise SyncTokenExpiredError(ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED, kind="contacts")
        origin = float(stamp) if stamp.replace(".", "", 1).isdigit() else -math.inf
        return int(seq), origin

    def _next(self) -> int:
        self._last = next(self._seq)
        return self._last

    def put(self, resource_name: str | None = None, **fields: Any) -> RemoteContact:
        """Create (no name given) or change a contact."""
        seq = self._next()
        name = resource_name or f"people/c{seq}"
        old = self._contacts.get(name)
        base = old[0] if old else RemoteContact(resource_name=name)
        contact = replace(base, etag=f'"{seq}"', **fields)
        self._contacts[name] = (contact, seq)
        return contact

    def delete(self, resource_name: str) -> None:
        seq = self._next()
        self._contacts[resource_name] = (RemoteContact(resource_name, deleted=True), seq)

    def forget_tokens(self) -> None:
        self._generation += 1
