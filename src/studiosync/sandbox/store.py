"""The sandbox's state in memory, written through to its persistence on every change."""

from __future__ import annotations

import bisect
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studiosync.sandbox.clock import SandboxClock, rfc3339
from studiosync.sandbox.models import (
    AccessToken,
    Account,
    Calendar,
    Grant,
    Membership,
    Person,
    StoredEvent,
)
from studiosync.sandbox.persistence import Persistence


@dataclass
class AddressBook:
    """One account's contacts with their append-only (revision, resource name) change log."""

    persons: dict[str, Person] = field(default_factory=dict)
    changes: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class AuthCode:
    """A one-time authorization code waiting to be exchanged at /token."""

    email: str
    client_id: str
    redirect_uri: str
    scopes: list[str]
    offline: bool
    force_consent: bool
    expires_at: float
    code_challenge: str | None = None
    challenge_method: str = "plain"


class Store:
    """All accounts, calendars, events, contacts and OAuth grants of one sandbox."""

    def __init__(self, persistence: Persistence, clock: SandboxClock) -> None:
        self.persistence = persistence
        self.clock = clock
        self.rev = 0
        self.sync_epoch = 0
        self.boot = secrets.token_hex(4)
        self.on_events_changed: Callable[[str], None] | None = None
        self._clear_memory()
        self._load()

    def _clear_memory(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.calendars: dict[str, Calendar] = {}
        self.memberships: dict[str, dict[str, Membership]] = {}
        self.books: dict[str, AddressBook] = {}
        self.grants: dict[str, Grant] = {}
        self.refresh_index: dict[str, str] = {}
        self.access_tokens: dict[str, AccessToken] = {}
        self.codes: dict[str, AuthCode] = {}
        self.consents: dict[str, dict[str, Any]] = {}
        # calendar-list revisions, in memory only (list sync tokens die with the process):
        # ("c", calendar id) or ("m", membership key) -> revision of its last change, and
        # the entries that left each account's list -> revision of their removal
        self.list_revs: dict[tuple[str, str], int] = {}
        self.list_removed: dict[str, dict[str, int]] = {}

    # ----------------------------------------------------------------- counters
    def next_rev(self) -> int:
        self.rev += 1
        self._save_meta()
        return self.rev

    def expire_sync_tokens(self) -> int:
        """Every sync token issued so far becomes stale."""
        self.sync_epoch += 1
        self._save_meta()
        return self.sync_epoch

    def _save_meta(self) -> None:
        self.persistence.save("meta", "counters", {"rev": self.rev, "epoch": self.sync_epoch})

    def new_etag(self, rev: int) -> str:
        return f'"{int(self.clock.time() * 1000):013d}{rev:010d}"'

    def timestamp(self) -> str:
        return rfc3339(self.clock.now())

    # ----------------------------------------------------------------- accounts
    def put_account(self, account: Account) -> None:
        self.accounts[account.email] = account
        self.memberships.setdefault(account.email, {})
        self.books.setdefault(account.email, AddressBook())
        self.persistence.save("account", account.email, vars(account).copy())

    # ---------------------------------------------------------------- calendars
    def _list_rev(self) -> int:
        self.rev += 1  # saved with the next event; list revisions are not kept across restarts
        return self.rev

    def put_calendar(self, calendar: Calendar) -> None:
        self.calendars[calendar.id] = calendar
        self.list_revs[("c", calendar.id)] = self._list_rev()
        self.persistence.save("calendar", calendar.id, calendar.record())

    def drop_calendar(self, calendar_id: str) -> None:
        calendar = self.calendars.pop(calendar_id, None)
        if calendar is None:
            return
        for email, entries in self.memberships.items():
            if entries.pop(calendar_id, None) is not None:
                self.persistence.delete("membership", f"{email}|{calendar_id}")
                self.list_removed.setdefault(email, {})[calendar_id] = self._list_rev()
        for event_id in calendar.events:
            self.persistence.delete("event", f"{calendar_id}|{event_id}")
        self.persistence.delete("calendar", calendar_id)

    def put_membership(self, membership: Membership) -> None:
        self.memberships.setdefault(membership.email, {})[membership.calendar_id] = membership
        self.list_revs[("m", membership.key)] = self._list_rev()
        self.list_removed.get(membership.email, {}).pop(membership.calendar_id, None)
        self.persistence.save("membership", membership.key, membership.record())

    def entry_rev(self, membership: Membership) -> int:
        """Revision of the last change to this calendar-list entry (0: before this process)."""
        return max(
            self.list_revs.get(("c", membership.calendar_id), 0),
            self.list_revs.get(("m", membership.key), 0),
        )

    def membership(self, email: str, calendar_id: str) -> Membership | None:
        return self.memberships.get(email, {}).get(calendar_id)

    # ------------------------------------------------------------------- events
    def put_event(self, calendar: Calendar, event_id: str, body: dict[str, Any]) -> StoredEvent:
        """Store a new version of an event: fresh revision and etag, change logged."""
        rev = self.next_rev()
        stored = StoredEvent(event_id, calendar.id, body, rev, self.new_etag(rev))
        if event_id not in calendar.events:
            bisect.insort(calendar.sorted_ids, event_id)
        calendar.events[event_id] = stored
        calendar.changes.append((rev, event_id))
        if len(calendar.changes) > 2 * len(calendar.events) + 64:
            calendar.changes = sorted((ev.rev, ev.id) for ev in calendar.events.values())
        self.persistence.save("event", f"{calendar.id}|{event_id}", stored.record())
        if self.on_events_changed is not None:
            self.on_events_changed(calendar.id)
        return stored

    # ----------------------------------------------------------------- contacts
    def book(self, email: str) -> AddressBook:
        return self.books.setdefault(email, AddressBook())

    def put_person(self, person: Person) -> Person:
        book = self.book(person.owner)
        person.rev = self.next_rev()
        person.etag = "%" + secrets.token_urlsafe(18)
        person.update_time = self.timestamp()
        book.persons[person.resource_name] = person
        book.changes.append((person.rev, person.resource_name))
        if len(book.changes) > 2 * len(book.persons) + 64:
            book.changes = sorted((p.rev, p.resource_name) for p in book.persons.values())
        self.persistence.save("person", person.key, person.record())
        return person

    # -------------------------------------------------------------------- OAuth
    def put_grant(self, grant: Grant) -> None:
        self.grants[grant.id] = grant
        if grant.refresh_hash:
            if grant.revoked:
                self.refresh_index.pop(grant.refresh_hash, None)
            else:
                self.refresh_index[grant.refresh_hash] = grant.id
        self.persistence.save("grant", grant.id, grant.record())

    def put_access_token(self, token: AccessToken) -> None:
        self.access_tokens[token.hash] = token
        self.persistence.save("token", token.hash, token.record())

    def drop_access_tokens(self, grant_id: str) -> int:
        doomed = [h for h, tok in self.access_tokens.items() if tok.grant_id == grant_id]
        for token_hash in doomed:
            del self.access_tokens[token_hash]
            self.persistence.delete("token", token_hash)
        return len(doomed)

    def purge_expired_tokens(self) -> None:
        now = self.clock.time()
        for token_hash in [h for h, t in self.access_tokens.items() if t.expires_at < now - 86400]:
            del self.access_tokens[token_hash]
            self.persistence.delete("token", token_hash)

    # ------------------------------------------------------------ whole state
    def reset(self) -> None:
        """Forget everything; revisions keep counting and old sync tokens stay dead."""
        self.persistence.clear()
        self._clear_memory()
        self.sync_epoch += 1
        self._save_meta()

    def _load(self) -> None:
        p = self.persistence
        for meta in p.load("meta"):
            self.rev, self.sync_epoch = meta["rev"], meta["epoch"]
        for data in p.load("account"):
            self.accounts[data["email"]] = Account(**data)
            self.memberships.setdefault(data["email"], {})
            self.books.setdefault(data["email"], AddressBook())
        for data in p.load("calendar"):
            self.calendars[data["id"]] = Calendar.from_record(data)
        for data in p.load("membership"):
            member = Membership.from_record(data)
            self.memberships.setdefault(member.email, {})[member.calendar_id] = member
        for data in p.load("event"):
            event = StoredEvent.from_record(data)
            calendar = self.calendars.get(event.calendar_id)
            if calendar is not None:
                calendar.events[event.id] = event
        for calendar in self.calendars.values():
            calendar.sorted_ids = sorted(calendar.events)
            calendar.changes = sorted((ev.rev, ev.id) for ev in calendar.events.values())
        for data in p.load("person"):
            person = Person.from_record(data)
            self.book(person.owner).persons[person.resource_name] = person
        for book in self.books.values():
            book.changes = sorted((pr.rev, pr.resource_name) for pr in book.persons.values())
        for data in p.load("grant"):
            grant = Grant.from_record(data)
            self.grants[grant.id] = grant
            if grant.refresh_hash and not grant.revoked:
                self.refresh_index[grant.refresh_hash] = grant.id
        for data in p.load("token"):
            token = AccessToken.from_record(data)
            self.access_tokens[token.hash] = token
