"""People v1 contacts: field masks, normalised fields and the JSON views Google returns."""

from __future__ import annotations

from typing import Any

from studiosync.sandbox.errors import GoogleError, api_error, error_info
from studiosync.sandbox.models import Person

DOCS = "https://developers.google.com/people/api/rest/v1/"
UPDATABLE = frozenset(
    {
        "addresses",
        "biographies",
        "birthdays",
        "calendarUrls",
        "clientData",
        "emailAddresses",
        "events",
        "externalIds",
        "genders",
        "imClients",
        "interests",
        "locales",
        "locations",
        "memberships",
        "miscKeywords",
        "names",
        "nicknames",
        "occupations",
        "organizations",
        "phoneNumbers",
        "relations",
        "sipAddresses",
        "urls",
        "userDefined",
    }
)
READABLE = UPDATABLE | {"ageRanges", "coverPhotos", "metadata", "photos", "skills"}
TYPED = ("emailAddresses", "phoneNumbers", "addresses", "urls", "events", "relations")
SORT_ORDERS = (
    "LAST_MODIFIED_ASCENDING",
    "LAST_MODIFIED_DESCENDING",
    "FIRST_NAME_ASCENDING",
    "LAST_NAME_ASCENDING",
)
REASONS = {
    "INVALID_ARGUMENT": "badRequest",
    "FAILED_PRECONDITION": "failedPrecondition",
    "NOT_FOUND": "notFound",
    "PERMISSION_DENIED": "forbidden",
}


def people_error(
    status: int, canonical: str, message: str, details: list[dict[str, Any]] | None = None
) -> GoogleError:
    return api_error(
        status, REASONS.get(canonical, "badRequest"), message, canonical=canonical, details=details
    )


def invalid(message: str) -> GoogleError:
    return people_error(400, "INVALID_ARGUMENT", message)


def person_not_found() -> GoogleError:
    return people_error(404, "NOT_FOUND", "Requested entity was not found.")


def expired_sync_token() -> GoogleError:
    return people_error(
        400,
        "FAILED_PRECONDITION",
        "Sync token is expired. Clear local cache and retry call without the sync token.",
        details=[
            error_info(
                "EXPIRED_SYNC_TOKEN",
                "people.googleapis.com",
                service="people.googleapis.com",
                method="google.people.v1.PeopleService.ListConnections",
            )
        ],
    )


def etag_mismatch() -> GoogleError:
    return people_error(
        400,
        "FAILED_PRECONDITION",
        "Request person.etag is different than the current person.etag. Clear local cache and "
        "get the latest person.",
    )


def parse_mask(raw: str | None, name: str, allowed: frozenset[str], method: str) -> list[str]:
    """A comma-separated field mask, checked the way the People API checks it."""
    if not raw:
        raise invalid(
            f"{name} mask is required. Please specify one or more valid paths. "
            f"Valid paths are documented at {DOCS}{method}."
        )
    paths = []
    for path in raw.split(","):
        path = path.strip()
        path = path[len("person.") :] if path.startswith("person.") else path
        if path not in allowed:
            raise invalid(
                f'Invalid {name} mask path: "{path}". Valid paths are documented at {DOCS}{method}.'
            )
        if path not in paths:
            paths.append(path)
    return paths


def normalise_fields(
    raw: dict[str, Any], names: frozenset[str] | list[str], source_id: str
) -> dict[str, list[dict[str, Any]]]:
    """The given contact fields, each a list of objects, with Google's derived values added."""
    fields: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        values = raw.get(name)
        if values is None:
            continue
        if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
            raise invalid(f"Invalid JSON payload received. Invalid value at 'person.{name}'.")
        items = []
        for index, value in enumerate(values):
            item = {k: v for k, v in value.items() if k != "metadata"}
            item["metadata"] = {
                "primary": index == 0,
                "source": {"type": "CONTACT", "id": source_id},
            }
            items.append(_derive(name, item))
        if items:
            fields[name] = items
    return fields


def _derive(name: str, item: dict[str, Any]) -> dict[str, Any]:
    if name == "names":
        given, family = item.get("givenName", ""), item.get("familyName", "")
        middle = item.get("middleName", "")
        display = " ".join(
            p
            for p in (
                item.get("honorificPrefix", ""),
                given,
                middle,
                family,
                item.get("honorificSuffix", ""),
            )
            if p
        )
        display = display or item.get("unstructuredName", "")
        item["displayName"] = display
        item["displayNameLastFirst"] = (
            ", ".join(p for p in (family, " ".join(p for p in (given, middle) if p)) if p)
            or display
        )
        item.setdefault("unstructuredName", display)
    elif name in TYPED and item.get("type") and "formattedType" not in item:
        kind = str(item["type"])
        item["formattedType"] = kind[:1].upper() + kind[1:]
    elif name == "biographies":
        item.setdefault("contentType", "TEXT_PLAIN")
    return item


def default_memberships(source_id: str) -> list[dict[str, Any]]:
    return [
        {
            "metadata": {"source": {"type": "CONTACT", "id": source_id}},
            "contactGroupMembership": {
                "contactGroupId": "myContacts",
                "contactGroupResourceName": "contactGroups/myContacts",
            },
        }
    ]


def person_metadata(person: Person) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "sources": [
            {
                "type": "CONTACT",
                "id": person.source_id,
                "etag": "#" + person.etag[1:13],
                "updateTime": person.update_time,
            }
        ],
        "objectType": "PERSON",
    }
    if person.deleted:
        metadata["deleted"] = True
    return metadata


def person_view(person: Person, mask: list[str] | None) -> dict[str, Any]:
    """The Person JSON limited to ``mask`` (all stored fields when None)."""
    out: dict[str, Any] = {"resourceName": person.resource_name, "etag": person.etag}
    if person.deleted:
        out["metadata"] = person_metadata(person)
        return out
    wanted = mask if mask is not None else [*sorted(person.fields), "metadata"]
    for name in wanted:
        if name == "metadata":
            out["metadata"] = person_metadata(person)
        elif name in person.fields:
            out[name] = person.fields[name]
    return out


def sort_key(person: Person, order: str) -> list[Any]:
    names = person.fields.get("names") or [{}]
    if order == "FIRST_NAME_ASCENDING":
        return [str(names[0].get("givenName", "")).lower(), person.resource_name]
    if order == "LAST_NAME_ASCENDING":
        return [str(names[0].get("familyName", "")).lower(), person.resource_name]
    if order == "LAST_MODIFIED_DESCENDING":
        return [-person.rev, person.resource_name]
    return [person.rev, person.resource_name]
