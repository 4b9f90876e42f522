"""One helper that makes any text (often from Google) safe to show on a console, page or email."""

from __future__ import annotations

import re

# Terminal escape sequences (colours, cursor moves, titles) and every other control character
# except newline and tab; C1 controls too, since some terminals obey them.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\r\n\t]+")
LONGEST = 200


def clean(text: object, *, one_line: bool = False, longest: int | None = None) -> str:
    """``text`` with terminal escapes and control characters removed, optionally on one line
    and shortened (with an ellipsis) to ``longest`` characters."""
    words = _CONTROLS.sub("", _ESCAPES.sub("", str(text)))
    if one_line:
        words = _LINE_BREAKS.sub(" ", words).strip()
    if longest is not None and len(words) > longest:
        words = words[: longest - 1].rstrip() + "…"
    return words


def clean_name(text: object) -> str:
    """A title or name from outside, on one line and at most ``LONGEST`` characters."""
    return clean(text, one_line=True, longest=LONGEST)
