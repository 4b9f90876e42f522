"""Network failures in words: "[Errno 111] Connection refused" becomes "nothing answered"."""

from __future__ import annotations

import re

_ERRNO = re.compile(r"\[Errno -?\d+\]\s*|\bErrno -?\d+:?\s*")
_KNOWN = (
    ("connection refused", "nothing answered: the connection was refused"),
    ("timed out", "it did not answer in time"),
    ("name or service not known", "its name could not be found (no Internet, or misspelled)"),
    ("temporary failure in name resolution", "its name could not be found (no Internet?)"),
    ("nodename nor servname", "its name could not be found (no Internet, or misspelled)"),
    ("network is unreachable", "this computer has no network connection"),
    ("no route to host", "this computer cannot reach it over the network"),
    ("connection reset", "the connection was cut off"),
    ("broken pipe", "the connection was cut off"),
    ("remote end closed connection", "the connection was cut off"),
    ("certificate verify failed", "its security certificate is not trusted"),
)


# Codes Google and the HTTP library answer with, as a studio owner would say them.
_CODES = {
    "invalid_grant": "Google answered that the sign-in was revoked or has expired",
    "access_denied": "access was not allowed on Google's page",
    "quotaexceeded": "Google's daily limit is used up",
    "ratelimitexceeded": "too many requests in a short time",
    "userratelimitexceeded": "too many requests in a short time",
    "connecterror": "the connection failed",
    "connecttimeout": "it did not answer in time",
    "readtimeout": "it did not answer in time",
    "timeouterror": "it did not answer in time",
    "timeout": "it did not answer in time",
    "remoteprotocolerror": "the connection was cut off",
    "connectionerror": "the connection failed",
    "sslerror": "the secure connection could not be set up",
}


def network_words(reason: str) -> str:
    """A low-level error text as a person would say it; other text unchanged (but errno-free)."""
    lowered = reason.lower()
    if lowered.strip() in _CODES:
        return _CODES[lowered.strip()]
    for needle, words in _KNOWN:
        if needle in lowered:
            return words
    return _ERRNO.sub("", reason).strip() or reason
