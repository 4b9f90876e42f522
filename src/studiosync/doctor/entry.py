"""One catalogue entry: how an error code is worded."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """How one error code is worded; ``cause`` and ``fix`` may name ``{params}`` of the error."""

    title: str
    cause: str
    fix: str
