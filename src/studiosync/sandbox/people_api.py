"""People API v1: connections.list with sync tokens, create/update/delete contact, get."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from studiosync.sandbox import cursors
from studiosync.sandbox.auth import Caller
from studiosync.sandbox.context import Sandbox, query_bool, read_json
from studiosync.sandbox.errors import json_response
from studiosync.sandbox.models import Person
from studiosync.sandbox.people_model import (
    READABLE,
    SORT_ORDERS,
    UPDATABLE,
    default_memberships,
    etag_mismatch,
    expired_sync_token,
    invalid,
    normalise_fields,
    parse_mask,
    person_not_found,
    person_view,
    sort_key,
)
from studiosync.sandbox.scopes import CONTACTS_READ, CONTACTS_WRITE, PROFILE_READ


def _mask_hash(mask: list[str], order: str) -> str:
    return hashlib.sha256((",".join(sorted(mask)) + "|" + order).encode()).hexdigest()[:16]


class PeopleApi:
    """The contacts part of the People API, one address book per account."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def _auth(self, request: Request, needs: frozenset[str], method: str) -> Caller:
        return self.sandbox.authenticate(
            request.headers, needs, f"people.people.{method}", api="people"
        )

    async def list_connections(self, request: Request) -> Response:
        caller = self._auth(request, CONTACTS_READ, "connections.list")
        if request.path_params["personId"] != "me":
            raise invalid("Must be a valid resource name: people/me.")
        params = request.query_params
        mask = parse_mask(
            params.get("personFields"), "personFields", READABLE, "people.connections/list"
        )
        try:
            size = int(params.get("pageSize") or 0) or 100
        except ValueError as error:
            raise invalid("Invalid value for pageSize.") from error
        if not 1 <= size <= 1000:
            raise invalid("pageSize must be between 1 and 1000.")
        order = params.get("sortOrder") or "LAST_MODIFIED_ASCENDING"
        if order not in SORT_ORDERS:
            raise invalid(f"Invalid value at 'sort_order' ({order}).")
        fingerprint = _mask_hash(mask, order)
        store = self.sandbox.store
        book = store.book(caller.email)
        sync_raw = params.get("syncToken")
        base = self._sync_base(caller, sync_raw, fingerprint) if sync_raw else None
        page = self._page(params.get("pageToken"), fingerprint, base is not None)
        snapshot = int(page["r"]) if page else store.rev
        after = page["k"] if page else None
        if base is not None:
            persons = self._changed(book.persons, int(base["r"]), snapshot)
            keyed = [([p.rev, p.resource_name], p) for p in persons]
        else:
            keyed = sorted(
                (
                    (sort_key(p, order), p)
                    for p in book.persons.values()
                    if not p.deleted and p.rev <= snapshot
                ),
                key=lambda kp: kp[0],
            )
        if after is not None:
            keyed = [kp for kp in keyed if kp[0] > after]
        chosen = keyed[:size]
        answer: dict[str, Any] = {}
        if chosen:
            answer["connections"] = [person_view(p, mask) for _, p in chosen]
        if len(keyed) > size:
            answer["nextPageToken"] = cursors.encode(
                "pp", {"k": chosen[-1][0], "r": snapshot, "m": fingerprint, "s": base is not None}
            )
        elif query_bool(request, "requestSyncToken"):
            origin = float(base["o"]) if base else self.sandbox.clock.time()
            answer["nextSyncToken"] = cursors.encode(
                "ps",
                {
                    "u": caller.email,
                    "r": snapshot,
                    "e": store.sync_epoch,
                    "o": origin,
                    "m": fingerprint,
                },
            )
        live = sum(1 for p in book.persons.values() if not p.deleted)
        answer["totalPeople"] = live
        answer["totalItems"] = live
        return json_response(answer)

    @staticmethod
    def _changed(persons: dict[str, Person], base: int, snapshot: int) -> list[Person]:
        return sorted(
            (p for p in persons.values() if base < p.rev <= snapshot), key=lambda p: p.rev
        )

    def _sync_base(self, caller: Caller, raw: str, fingerprint: str) -> dict[str, Any]:
        try:
            data = cursors.decode("ps", raw)
        except cursors.CursorError as error:
            raise invalid("Sync token is invalid.") from error
        if data.get("u") != caller.email:
            raise invalid("Sync token is invalid.")
        if data.get("m") != fingerprint:
            raise invalid(
                "Parameters provided with a sync token must match the request that produced it."
            )
        store, ttl = self.sandbox.store, self.sandbox.config.people_sync_token_ttl
        if data.get("e") != store.sync_epoch or self.sandbox.clock.time() - float(data["o"]) > ttl:
            raise expired_sync_token()
        return data

    @staticmethod
    def _page(raw: str | None, fingerprint: str, syncing: bool) -> dict[str, Any] | None:
        if raw is None:
            return None
        try:
            data = cursors.decode("pp", raw)
        except cursors.CursorError as error:
            raise invalid("Page token is invalid.") from error
        if data.get("m") != fingerprint or bool(data.get("s")) != syncing:
            raise invalid(
                "Parameters provided with a page token must match the request that produced it."
            )
        return data

    def _mask_param(self, request: Request, method: str) -> list[str] | None:
        raw = request.query_params.get("personFields")
        return parse_mask(raw, "personFields", READABLE, method) if raw else None

    async def create_contact(self, request: Request) -> Response:
        caller = self._auth(request, CONTACTS_WRITE, "createContact")
        mask = self._mask_param(request, "people/createContact")
        raw = await read_json(request)
        if not isinstance(raw, dict):
            raise invalid("Invalid JSON payload received.")
        digits = str(secrets.randbelow(9 * 10**18) + 10**18)
        source_id = format(int(digits), "x")
        fields = normalise_fields(raw, UPDATABLE, source_id)
        fields.setdefault("memberships", default_memberships(source_id))
        person = Person(f"people/c{digits}", caller.email, fields, 0, "", source_id, "")
        self.sandbox.store.put_person(person)
        return json_response(person_view(person, mask))

    def _existing(self, caller: Caller, person_id: str) -> Person:
        person = self.sandbox.store.book(caller.email).persons.get(f"people/{person_id}")
        if person is None or person.deleted:
            raise person_not_found()
        return person

    async def update_contact(self, request: Request) -> Response:
        caller = self._auth(request, CONTACTS_WRITE, "updateContact")
        person = self._existing(caller, request.path_params["personId"])
        update = parse_mask(
            request.query_params.get("updatePersonFields"),
            "updatePersonFields",
            UPDATABLE,
            "people/updateContact",
        )
        mask = self._mask_param(request, "people/updateContact")
        raw = await read_json(request)
        if not isinstance(raw, dict):
            raise invalid("Invalid JSON payload received.")
        if raw.get("resourceName") not in (None, person.resource_name):
            raise invalid("Resource name in the request does not match the person.")
        etag = raw.get("etag") or _source_etag(raw)
        if not etag:
            raise invalid(
                "Request must set person.etag or person.metadata.sources.etag for the "
                "source that is being updated."
            )
        if etag not in (person.etag, "#" + person.etag[1:13]):
            raise etag_mismatch()
        changed = normalise_fields(raw, update, person.source_id)
        for name in update:
            if name in changed:
                person.fields[name] = changed[name]
            else:
                person.fields.pop(name, None)
        self.sandbox.store.put_person(person)
        return json_response(person_view(person, mask or update))

    async def delete_contact(self, request: Request) -> Response:
        caller = self._auth(request, CONTACTS_WRITE, "deleteContact")
        person = self._existing(caller, request.path_params["personId"])
        person.deleted = True
        person.fields = {}
        self.sandbox.store.put_person(person)
        return json_response({})

    async def get_person(self, request: Request) -> Response:
        person_id = request.path_params["personId"]
        needs = PROFILE_READ if person_id == "me" else CONTACTS_READ
        caller = self._auth(request, needs, "get")
        mask = parse_mask(
            request.query_params.get("personFields"), "personFields", READABLE, "people/get"
        )
        if person_id == "me":
            return json_response(self._profile(caller, mask))
        return json_response(person_view(self._existing(caller, person_id), mask))

    @staticmethod
    def _profile(caller: Caller, mask: list[str]) -> dict[str, Any]:
        account = caller.account
        source = {"type": "PROFILE", "id": account.subject}
        out: dict[str, Any] = {
            "resourceName": f"people/{account.subject}",
            "etag": "%" + account.subject[:12],
        }
        if "names" in mask:
            out["names"] = [
                {
                    "metadata": {"primary": True, "source": source},
                    "displayName": account.display_name,
                    "unstructuredName": account.display_name,
                }
            ]
        if "emailAddresses" in mask:
            out["emailAddresses"] = [
                {
                    "metadata": {
                        "primary": True,
                        "verified": True,
                        "source": {"type": "ACCOUNT", "id": account.subject},
                    },
                    "value": account.email,
                }
            ]
        if "metadata" in mask:
            out["metadata"] = {"sources": [source], "objectType": "PERSON"}
        return out


def _source_etag(raw: dict[str, Any]) -> str | None:
    sources = (raw.get("metadata") or {}).get("sources") or []
    for source in sources:
        if isinstance(source, dict) and source.get("etag"):
            return str(source["etag"])
    return None
