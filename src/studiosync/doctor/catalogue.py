"""The error catalogue: a title, a plain-language cause and a fix for every ErrorCode."""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from studiosync.doctor.catalogue_safety import SAFETY_ENTRIES
from studiosync.doctor.catalogue_studio import STUDIO_ENTRIES
from studiosync.doctor.catalogue_sync import SYNC_ENTRIES
from studiosync.doctor.entry import Entry
from studiosync.errors import ErrorCode, StudioSyncError

__all__ = ["CATALOGUE", "Entry", "Explanation", "explain", "explain_code"]


@dataclass(frozen=True)
class Explanation:
    """An error worded for a person: what happened, why, and what to do."""

    code: ErrorCode
    title: str
    cause: str
    fix: str

    @property
    def message(self) -> str:
        return f"{self.cause} {self.fix}".strip()


CATALOGUE: dict[ErrorCode, Entry] = {**STUDIO_ENTRIES, **SYNC_ENTRIES, **SAFETY_ENTRIES}


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: dict[str, Any]) -> str:
    formatter = string.Formatter()
    try:
        return formatter.vformat(template, (), _Lenient(params))
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


def explain_code(code: ErrorCode, **params: Any) -> Explanation:
    """Word one error code with its data."""
    entry = CATALOGUE[code]
    return Explanation(
        code=code,
        title=_fill(entry.title, params),
        cause=_fill(entry.cause, params),
        fix=_fill(entry.fix, params),
    )


def explain(error: StudioSyncError) -> Explanation:
    """Word a studiosync error for a person."""
    return explain_code(error.code, **error.params)
