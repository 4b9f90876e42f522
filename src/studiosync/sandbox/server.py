"""Serving the sandbox with uvicorn on a socket it binds itself (port 0 picks a free port)."""

from __future__ import annotations

import socket
from collections.abc import Callable

import uvicorn

from studiosync.sandbox.app import create_app
from studiosync.sandbox.context import Sandbox


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket on host:port (raises OSError if it cannot be had)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def base_url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class AnnouncingServer(uvicorn.Server):
    """A uvicorn server that tells a callback once it accepts connections."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None] | None = None):
        super().__init__(config)
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self.on_ready is not None:
            self.on_ready()


def uvicorn_config(
    sandbox: Sandbox, *, fast: bool = True, log_level: str = "warning"
) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(sandbox),
        loop="uvloop" if fast else "asyncio",
        http="httptools" if fast else "h11",
        lifespan="on",
        access_log=False,
        log_level=log_level,
        proxy_headers=False,
        server_header=False,
        date_header=True,
        timeout_keep_alive=30,
    )


def serve(
    sandbox: Sandbox,
    sock: socket.socket,
    on_ready: Callable[[], None] | None = None,
    log_level: str = "warning",
) -> None:
    """Run until interrupted (SIGINT/SIGTERM), then close the state file cleanly."""
    server = AnnouncingServer(uvicorn_config(sandbox, log_level=log_level), on_ready)
    try:
        server.run(sockets=[sock])
    finally:
        sandbox.close()
        sock.close()
