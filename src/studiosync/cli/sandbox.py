"""CLI: `studiosync sandbox`, the local Google-compatible server."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer

from studiosync.errors import ConfigError, ErrorCode, InputError


def run_sandbox(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on; 0 picks a free one.")] = 8765,
    data: Annotated[
        Path | None,
        typer.Option(help="SQLite file that keeps accounts, events and tokens across restarts."),
    ] = None,
    token_ttl: Annotated[int, typer.Option(help="Access token lifetime in seconds.")] = 3600,
    client_id: Annotated[
        str | None, typer.Option(help="Accept only this OAuth client (default: any client).")
    ] = None,
    client_secret: Annotated[
        str | None, typer.Option(help="Secret of the fixed OAuth client.")
    ] = None,
    redirect_uri: Annotated[
        list[str] | None,
        typer.Option(help="Redirect URI the fixed client may use (repeatable)."),
    ] = None,
    quota_user_rpm: Annotated[
        int | None, typer.Option(help="Requests per minute per account (default: no limit).")
    ] = None,
    quota_project_rpm: Annotated[
        int | None, typer.Option(help="Requests per minute per OAuth client (default: no limit).")
    ] = None,
    quota_status: Annotated[
        int, typer.Option(help="Answer rate limits with 403 (usageLimits) or 429.")
    ] = 403,
    ragged_pages: Annotated[
        bool, typer.Option(help="Return short and empty pages now and then, as Google may.")
    ] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "warning",
) -> None:
    """Run the Google sandbox: OAuth, Calendar v3 and People v1 at Google's paths, locally."""
    from studiosync.sandbox.config import SandboxConfig
    from studiosync.sandbox.context import Sandbox
    from studiosync.sandbox.server import base_url_of, bind, serve

    if bool(client_id) != bool(client_secret):
        raise InputError(
            ErrorCode.FIELD_REQUIRED, field="--client-secret" if client_id else "--client-id"
        )
    if quota_status not in (403, 429):
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="--quota-status",
            value=quota_status,
            reason="it must be 403 or 429",
        )
    config = SandboxConfig(
        token_ttl=token_ttl,
        client_id=client_id,
        client_secret=client_secret,
        redirect_uris=list(redirect_uri or []),
        quota_user_per_minute=quota_user_rpm,
        quota_project_per_minute=quota_project_rpm,
        quota_status=quota_status,
        ragged_pages=ragged_pages,
    )
    try:
        sock = bind(host, port)
    except OSError as error:
        raise ConfigError(
            ErrorCode.SANDBOX_CANNOT_LISTEN,
            host=host,
            port=port,
            reason=error.strerror or str(error),
        ) from error
    try:
        sandbox = Sandbox(config, data)
    except (sqlite3.Error, OSError) as error:
        sock.close()
        raise ConfigError(
            ErrorCode.SANDBOX_DATA_UNUSABLE, path=str(data), reason=str(error)
        ) from error
    url = base_url_of(sock)

    def announce() -> None:
        typer.echo(f"Google sandbox listening on {url}", err=False)
        typer.echo(
            f"  state: {data if data else 'in memory'}; admin API: {url}/_sandbox/", err=False
        )

    serve(sandbox, sock, announce, log_level=log_level)


def register(app: typer.Typer) -> None:
    """Add the `sandbox` command to the root app."""
    app.command("sandbox")(run_sandbox)
