"""Celery queue names: one per designated computer, and a shared one for "any"."""

from __future__ import annotations

import re

from studiosync.control.models import ANY_COMPUTER

SHARED_QUEUE = "studiosync.any"


def queue_for(computer: str | None) -> str:
    """The queue of the designated computer ("any" → the shared queue every worker may read)."""
    if computer is None or computer.strip().casefold() == ANY_COMPUTER:
        return SHARED_QUEUE
    return "studiosync.computer." + re.sub(r"[^A-Za-z0-9_.-]", "_", computer.strip().lower())
