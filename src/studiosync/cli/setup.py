"""CLI: `studiosync init`, `demo-data` and `run` — setting a studio up and running it."""

from typing import Annotated

import typer

from studiosync.cli.common import console, done, table
from studiosync.context import init_studio
from studiosync.studio.demo import DEMO_PASSWORD, load_demo_data


def init(
    name: Annotated[str, typer.Option("--name", help="The studio's name.")] = "My Studio",
    time_zone: Annotated[str, typer.Option(help="IANA time zone.")] = "UTC",
) -> None:
    """Create the studio's database (or bring it up to date). Safe to run again."""
    studio = init_studio(name=name, time_zone=time_zone)
    database = studio.engine.url.render_as_string(hide_password=True)
    studio.close()
    done(f"Studio ready in {database}.")


def demo_data() -> None:
    """Fill the studio with a believable demo: staff, rooms, clients, appointments."""
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


def run() -> None:
    """Set up the embedded studio with demo data and run everything it has."""
    demo_data()
    console.print("Next: 'studiosync appointment list', 'studiosync user list'.")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo-data")(demo_data)
    app.command("run")(run)
