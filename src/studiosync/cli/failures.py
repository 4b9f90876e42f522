"""How the command line answers what no command handled: usage mistakes and unexpected errors."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import traceback
from pathlib import Path
from typing import Any

LOG_NAME = "cli-errors.log"


def is_usage_error(error: BaseException) -> bool:
    """A click usage error, whichever copy of click raised it (Typer ships its own)."""
    return any(kind.__name__ == "ClickException" for kind in type(error).__mro__) and callable(
        getattr(error, "show", None)
    )


def show_usage_error(error: Any) -> int:
    """Print the usage error the way click words it; bad input exits 2."""
    error.show()
    code = getattr(error, "exit_code", 2)
    return code if isinstance(code, int) and code else 2


def error_log() -> Path:
    """The file in the data directory where unexpected errors are written in full."""
    try:
        from studiosync.settings import get_settings

        folder = get_settings().data_dir
    except Exception:  # the settings themselves may be what is broken
        folder = Path(
            os.environ.get("STUDIOSYNC_DATA_DIR") or Path.home() / ".local/share/studiosync"
        )
    return folder / LOG_NAME


def record_unexpected(error: BaseException) -> tuple[str, Path | None]:
    """Write the traceback to the error log under a short reference; give both back."""
    reference = secrets.token_hex(4)
    path: Path | None = error_log()
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        details = "".join(traceback.format_exception(error))
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {stamp} reference {reference}\n{details}\n")
        path.chmod(0o600)
    except OSError:
        path = None
    return reference, path
