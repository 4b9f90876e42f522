"""The fields kept equal on both sides, and who may change each one from Google.

Each field has an owner rule, chosen by the studio (Company Preferences > Google, or
``studiosync company google-fields``): ``google`` (Google's edits are accepted), ``studio``
(only the studio changes it; Google's edits are written over and kept in the conflict log) or
``newest`` (the later edit wins). A field changed on one side only is simply copied to the
other (within its rule); a field changed on both sides since they last agreed is settled by its
rule, and the losing value goes to the conflict log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from studiosync.errors import ErrorCode, InputError


class Field(StrEnum):
    TITLE = "title"
    TIME = "time"
    LOCATION = "location"
    NOTES = "notes"
    STATUS = "status"


class Owner(StrEnum):
    """Who may change a field from Google when two-way sync is on."""

    GOOGLE = "google"
    STUDIO = "studio"
    NEWEST = "newest"


FIELD_WORDS = {
    Field.TITLE: "title",
    Field.TIME: "time",
    Field.LOCATION: "location",
    Field.NOTES: "notes",
    Field.STATUS: "status",
}
OWNER_WORDS = {
    Owner.GOOGLE: "Google edits accepted",
    Owner.STUDIO: "studio only",
    Owner.NEWEST: "newest edit wins",
}


@dataclass(frozen=True)
class FieldRules:
    """The owner rule of each field (the defaults are what a new studio gets)."""

    title: Owner = Owner.STUDIO
    time: Owner = Owner.GOOGLE
    location: Owner = Owner.GOOGLE
    notes: Owner = Owner.GOOGLE
    status: Owner = Owner.GOOGLE

    def of(self, field: Field) -> Owner:
        owner: Owner = getattr(self, field.value)
        return owner

    def as_dict(self) -> dict[str, str]:
        return {field.value: self.of(field).value for field in Field}

    @classmethod
    def everywhere(cls, owner: Owner) -> FieldRules:
        """The same rule for every field."""
        return cls(*(owner for _ in Field))

    @classmethod
    def studio_only(cls) -> FieldRules:
        """Without two-way sync nothing is taken from Google."""
        return cls.everywhere(Owner.STUDIO)

    @classmethod
    def parse(cls, values: Mapping[str, str]) -> FieldRules:
        """Rules from field name → owner text; ``InputError`` names a wrong name or owner."""
        owners: dict[str, Owner] = {}
        for name, text in values.items():
            if name not in {field.value for field in Field}:
                raise InputError(
                    ErrorCode.INVALID_VALUE,
                    field="Google field",
                    value=name,
                    reason="the fields are " + ", ".join(field.value for field in Field),
                )
            owners[name] = owner_of(name, text)
        return cls(**owners)


def owner_of(name: str, text: str) -> Owner:
    try:
        return Owner(text.strip().lower())
    except ValueError as exc:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field=f"who may change the {name} from Google",
            value=text,
            reason="choose google, studio or newest",
        ) from exc
