"""Which log lines reach the console: studiosync's own, and libraries' only when asked."""

from __future__ import annotations

import logging

LIBRARIES = (
    "httpx",
    "httpcore",
    "googleapiclient",
    "google_auth_httplib2",
    "google.auth",
    "urllib3",
    "celery",
    "kombu",
    "amqp",
    "sqlalchemy",
    "alembic",
    "uvicorn",
    "asyncio",
)


def configure_console_logs(*, verbose: bool, own_level: int = logging.INFO) -> None:
    """Log studiosync's lines at ``own_level``; libraries say only warnings unless ``verbose``."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        if verbose
        else "%(asctime)s %(levelname)s %(message)s",
        force=True,
    )
    logging.getLogger("studiosync").setLevel(logging.DEBUG if verbose else own_level)
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.WARNING)
