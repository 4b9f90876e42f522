"""CLI: `studiosync sandbox`, the local Google-compatible server."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Placeholder until the sandbox lands: adds nothing."""
    del app
