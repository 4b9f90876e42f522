"""CLI: `studiosync init`, `demo-data` and `run` — setting a studio up and running it."""

import os
from typing import Annotated

import typer

from studiosync.cli.common import console, done, table
from studiosync.errors import ConfigError, ErrorCode


def init(
    name: Annotated[str, typer.Option("--name", help="The studio's name.")] = "My Studio",
    time_zone: Annotated[str, typer.Option(help="IANA time zone.")] = "UTC",
) -> None:
    """Create the studio's database (or bring it up to date). Safe to run again."""
    from studiosync.context import init_studio

    studio = init_studio(name=name, time_zone=time_zone)
    database = studio.engine.url.render_as_string(hide_password=True)
    studio.close()
    done(f"Studio ready in {database}.")


def demo_data() -> None:
    """Fill the studio with a believable demo: staff, rooms, clients, appointments."""
    from studiosync.context import init_studio
    from studiosync.studio.demo import DEMO_PASSWORD, load_demo_data

    studio = init_studio(name="Lumen Photography")
    with studio.transaction() as session:
        summary = load_demo_data(session)
    studio.close()
    if not summary.created:
        done("The demo data is already there.")
        return
    table(
        "Demo studio",
        ("Users", "Resources", "Clients", "Client groups", "Appointments"),
        [(summary.users, summary.resources, summary.clients, summary.groups, summary.appointments)],
    )
    done(f"Demo data loaded. Users log in with their login and the password {DEMO_PASSWORD!r}.")


def run(
    host: Annotated[str, typer.Option(help="Address the web pages listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the web pages.")] = 8000,
    sandbox_port: Annotated[int, typer.Option(help="Port of the sandbox Google.")] = 8765,
    outbox_port: Annotated[
        int, typer.Option(help="Port of the local outbox that catches the demo's emails.")
    ] = 8025,
) -> None:
    """Run the embedded studio: demo data, the sandbox Google, the processor and the web pages."""
    import uvicorn

    from studiosync.context import init_studio
    from studiosync.embedded import (
        link_demo_users,
        running_outbox,
        running_processor,
        serving_sandbox,
    )
    from studiosync.sandbox.server import bind
    from studiosync.settings import get_settings
    from studiosync.studio.demo import DEMO_PASSWORD
    from studiosync.web.app import create_app

    demo_data()
    settings = get_settings()
    settings.sandbox_url = settings.sandbox_url or f"http://127.0.0.1:{sandbox_port}/"
    studio = init_studio(settings)
    try:
        web_socket = bind(host, port)
    except OSError as error:
        raise ConfigError(
            ErrorCode.SETTINGS_INVALID,
            reason=f"the web pages cannot listen on {host}:{port} ({error.strerror or error}); "
            "choose another --port",
        ) from error
    with (
        serving_sandbox(studio, "127.0.0.1", sandbox_port) as google,
        running_outbox(studio, outbox_port) as outbox,
    ):
        accounts = link_demo_users(studio, google)
        # the sandbox may notify a loopback address: the demo's changes arrive within seconds
        loopback = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        os.environ.setdefault("STUDIOSYNC_PUBLIC_URL", f"http://{loopback}:{port}")
        with running_processor(studio) as processor:
            console.print(f"[bold]studiosync is running[/] on http://{host}:{port}/")
            console.print(
                f"  Log in as admin (or {', '.join(a.login for a in accounts)}) "
                f"with the password {DEMO_PASSWORD!r}."
            )
            console.print(
                f"  Google is the sandbox at {google.base_url}; each demo user is "
                "linked to <login>@sandbox.example."
            )
            console.print(
                f"  The Calendar Sync Processor runs every minute on {processor.computer!r}"
                " (Utilities > Control Center); a booking or a change in the sandbox calendar"
                " syncs within seconds. Ctrl+C stops everything."
            )
            if outbox is not None:
                console.print(f"  Emails (warnings, detailed logs) are filed in {outbox}.")
            server = uvicorn.Server(
                uvicorn.Config(
                    create_app(studio),
                    log_level="warning",
                    access_log=False,
                    proxy_headers=False,  # the app trusts only Settings.trusted_proxies
                )
            )
            server.run(sockets=[web_socket])
    studio.close()


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo-data")(demo_data)
    app.command("run")(run)
