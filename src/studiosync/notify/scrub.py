"""A last line of defence: hide obvious token and password shapes in text bound for email."""

from __future__ import annotations

import re
from collections.abc import Iterable

HIDDEN = "[hidden]"

_SENSITIVE_NAMES = (
    r"pass(?:word|wd|phrase)?|pwd|secret|client_secret|api_?key|access_token|refresh_token"
    r"|id_token|auth_token|token|code_verifier"
)
_SECRET_VALUE = re.compile(
    rf"""(?ix)
    (?P<key>\b(?:{_SENSITIVE_NAMES}))
    (?P<sep>["']?\s*[:=]\s*)
    (?!["']?\[hidden\])
    (?:"[^"\r\n]*"|'[^'\r\n]*'|[^\s"'&,;}}\]]+)
    """
)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Google OAuth access tokens ("ya29.a0Af...") and refresh tokens ("1//0g...").
    (re.compile(r"\bya29\.[\w.\-]+"), HIDDEN),
    (re.compile(r"(?<![\w/])1//[\w.\-]+"), HIDDEN),
    # An HTTP Authorization header: everything after it on the line.
    (re.compile(r"(?i)\b(authorization[\"']?\s*[:=]\s*)[^\r\n]+"), r"\1" + HIDDEN),
    # A bearer token on its own.
    (re.compile(r"\bBearer\s+[\w.~+/\-]{8,}=*"), "Bearer " + HIDDEN),
    # Credentials inside URLs: scheme://user:password@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s/:@]+):[^\s/@]+@"), r"\1:" + HIDDEN + "@"),
)


def _hide_value(match: re.Match[str]) -> str:
    value = match.group(0)[match.end("sep") - match.start() :]
    quote = value[0] if value[:1] in {'"', "'"} else ""
    return f"{match.group('key')}{match.group('sep')}{quote}{HIDDEN}{quote}"


def scrub_secrets(text: str, also: Iterable[str | None] = ()) -> str:
    """Return ``text`` with token/password shapes, and every exact string in ``also``, hidden."""
    for known in also:
        if known:
            text = text.replace(known, HIDDEN)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _SECRET_VALUE.sub(_hide_value, text)
