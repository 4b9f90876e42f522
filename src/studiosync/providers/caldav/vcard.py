"""vCards (CardDAV address-data) as the provider's ``RemoteContact`` records."""

from __future__ import annotations

from typing import Any

import vobject  # type: ignore[import-untyped]

from studiosync.providers.base import RemoteContact
from studiosync.providers.google.convert import clean_text

CONTACT_PREFIX = "dav:"
"""A contact's ``resource_name`` is this and the resource's name in the address book."""


def _values(card: Any, name: str) -> tuple[str, ...]:
    found = card.contents.get(name, [])
    return tuple(clean_text(item.value).strip() for item in found if str(item.value).strip())


def _display_name(card: Any) -> str:
    if "fn" in card.contents:
        return clean_text(card.fn.value).strip()
    if "n" in card.contents:
        name = card.n.value
        return " ".join(part for part in (name.given, name.family) if part).strip()
    return ""


def contact_from_vcard(text: str, *, name: str, etag: str | None) -> RemoteContact:
    """One vCard as a contact; ``ValueError`` when the text is not a vCard."""
    try:
        card = vobject.readOne(text)
    except Exception as failure:  # vobject raises many kinds for broken text
        raise ValueError(f"not a vCard: {failure}") from None
    if card.name.upper() != "VCARD":
        raise ValueError("not a vCard")
    return RemoteContact(
        resource_name=CONTACT_PREFIX + name,
        etag=etag,
        display_name=_display_name(card),
        emails=_values(card, "email"),
        phones=_values(card, "tel"),
    )


def deleted_contact(name: str) -> RemoteContact:
    return RemoteContact(resource_name=CONTACT_PREFIX + name, deleted=True)
