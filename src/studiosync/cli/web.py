"""CLI: `studiosync web`, the web application for the studio (pages and the JSON API)."""

from __future__ import annotations

from typing import Annotated

import typer

from studiosync.errors import ConfigError, ErrorCode


def run_web(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            help="Always mark the login cookie HTTPS-only (it already is on requests that came "
            "over HTTPS, directly or through a trusted proxy)."
        ),
    ] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Run the web application: log in at http://HOST:PORT/ (the API is under /api/, see /docs)."""
    import logging
    import socket

    import uvicorn

    from studiosync.web.app import create_app

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ConfigError(
            ErrorCode.SETTINGS_INVALID,
            reason=f"the web application cannot listen on {host}:{port} "
            f"({error.strerror or error}); choose another --port",
        ) from error
    app = create_app(secure_cookies=secure_cookies)
    # the owner reads warnings (failed logins, unexpected errors) where the server writes
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    server = uvicorn.Server(
        uvicorn.Config(app, log_level=log_level, access_log=False, proxy_headers=False)
    )
    typer.echo(f"studiosync web application on http://{host}:{port}/ (Ctrl+C stops it)")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def register(app: typer.Typer) -> None:
    """Add the `web` command to the root app."""
    app.command("web")(run_web)
