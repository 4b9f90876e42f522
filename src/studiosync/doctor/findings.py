"""What a troubleshooter check found: a verdict, and for problems the error code that words it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from studiosync.doctor.catalogue import Context, Explanation, Surface, explain_code
from studiosync.errors import ErrorCode, StudioSyncError


class Verdict(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    INFO = "info"
    SKIPPED = "skipped"

    @property
    def mark(self) -> str:
        return {"ok": "✔", "warn": "⚠", "fail": "✖", "info": "ℹ", "skipped": "○"}[self.value]

    @property
    def is_problem(self) -> bool:
        return self in (Verdict.FAIL, Verdict.WARN)


@dataclass(frozen=True)
class Finding:
    """One check's result; problems name a catalogue code (cause and fix come from there).

    ``screen`` is the web page that fixes it (a path of the web app), ``note`` a plain remark
    for passing checks and hints.
    """

    check: str
    title: str
    verdict: Verdict
    code: ErrorCode | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    screen: str = ""

    @property
    def explanation(self) -> Explanation | None:
        return self.words(Surface.EMAIL)

    def words(self, surface: Surface, context: Context | None = None) -> Explanation | None:
        """The problem worded for one surface (None for passing checks and hints)."""
        if self.code is None:
            return None
        return explain_code(self.code, surface, context, **dict(self.params))

    def as_dict(self, context: Context | None = None) -> dict[str, Any]:
        words = self.words(Surface.CLI, context)
        return {
            "check": self.check,
            "title": self.title,
            "verdict": self.verdict.value,
            "code": self.code.value if self.code else None,
            "cause": words.cause if words else None,
            "fix": words.fix if words else None,
            "note": self.note or None,
            "screen": self.screen or None,
            "where": words.screen or None if words else None,
            "command": words.command or None if words else None,
        }


def passed(check: str, title: str, note: str = "", screen: str = "") -> Finding:
    return Finding(check, title, Verdict.OK, note=note, screen=screen)


def hint(check: str, title: str, note: str, screen: str = "") -> Finding:
    return Finding(check, title, Verdict.INFO, note=note, screen=screen)


def skipped(check: str, title: str, because: str) -> Finding:
    """A check the problem above makes impossible: said so, neutrally, instead of a false ✖."""
    return Finding(check, title, Verdict.SKIPPED, note=f"Not checked because {because}.")


def failed(check: str, title: str, code: ErrorCode, screen: str = "", **params: Any) -> Finding:
    return Finding(check, title, Verdict.FAIL, code, params, screen=screen)


def warned(
    check: str, title: str, code: ErrorCode, screen: str = "", note: str = "", **params: Any
) -> Finding:
    return Finding(check, title, Verdict.WARN, code, params, note=note, screen=screen)


def from_error(check: str, title: str, error: StudioSyncError, screen: str = "") -> Finding:
    return Finding(check, title, Verdict.FAIL, error.code, dict(error.params), screen=screen)
