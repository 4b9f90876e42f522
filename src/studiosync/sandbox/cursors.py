"""Opaque page and sync tokens: what a client hands back to continue a listing or a sync."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson


class CursorError(ValueError):
    """A token that was not made by this sandbox or was tampered with."""


def encode(kind: str, data: dict[str, Any]) -> str:
    payload = orjson.dumps({"v": kind, **data})
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode(kind: str, token: str) -> dict[str, Any]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeError) as error:
        raise CursorError(kind) from error
    if not isinstance(data, dict) or data.get("v") != kind:
        raise CursorError(kind)
    return data
