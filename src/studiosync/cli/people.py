"""CLI: `studiosync user …` and `studiosync resource …` (Maintenance > Users, Resources)."""

from typing import Annotated

import typer

from studiosync.choices import ResourceKind, Role
from studiosync.cli.common import done, table, transaction

users = typer.Typer(help="Users: anyone who can be photographer, assistant or be assigned.")
resources = typer.Typer(help="Resources: locations, rooms, equipment (they never sync).")

Login = Annotated[str, typer.Argument(help="The user's login (or number).")]


@users.command("add")
def add_user(
    login: Annotated[str, typer.Argument(help="Login name, e.g. maya.")],
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    email: Annotated[str | None, typer.Option(help="The user's email address.")] = None,
    role: Annotated[Role, typer.Option(help="What the user does in the studio.")] = Role.STAFF,
    password: Annotated[
        str | None, typer.Option(help="Password for logging in to the web pages.")
    ] = None,
) -> None:
    """Add a user."""
    from studiosync.studio import people

    with transaction() as session:
        user = people.create_user(
            session, login=login, display_name=name, email=email, role=role, password=password
        )
        done(f"User {user.login!r} added (number {user.id}).")


@users.command("list")
def list_users() -> None:
    """List every user."""
    from studiosync.studio import people

    with transaction() as session:
        rows = [
            (
                user.id,
                user.login,
                user.display_name,
                user.email,
                user.role.value,
                "yes" if user.active else "no",
                "on" if user.google and user.google.enabled else "off",
            )
            for user in people.list_users(session)
        ]
    table("Users", ("#", "Login", "Name", "Email", "Role", "Active", "Google Sync"), rows)


@users.command("edit")
def edit_user(
    login: Login,
    new_login: Annotated[str | None, typer.Option("--login", help="A new login.")] = None,
    name: Annotated[str | None, typer.Option("--name")] = None,
    email: Annotated[str | None, typer.Option(help="New address; '' clears it.")] = None,
    role: Annotated[Role | None, typer.Option()] = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive")] = None,
    password: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Change a user."""
    from studiosync.studio import people
    from studiosync.studio.validation import UNCHANGED

    with transaction() as session:
        user = people.update_user(
            session,
            login,
            login=new_login,
            display_name=name,
            role=role,
            active=active,
            password=password,
            email=UNCHANGED if email is None else (email or None),
        )
        done(f"User {user.login!r} saved.")


@users.command("delete")
def delete_user(login: Login) -> None:
    """Delete a user (their appointments stay; they are unassigned)."""
    from studiosync.studio import people

    with transaction() as session:
        people.delete_user(session, login)
    done(f"User {login!r} deleted.")


@resources.command("add")
def add_resource(
    name: Annotated[str, typer.Argument(help="e.g. 'Studio A'.")],
    kind: Annotated[ResourceKind, typer.Option(help="What it is.")] = ResourceKind.ROOM,
) -> None:
    """Add a resource."""
    from studiosync.studio import people

    with transaction() as session:
        resource = people.create_resource(session, kind=kind, name=name)
        done(f"{resource.kind.value.capitalize()} {resource.name!r} added.")


@resources.command("list")
def list_resources() -> None:
    """List every resource."""
    from studiosync.studio import people

    with transaction() as session:
        rows = [(r.id, r.name, r.kind.value) for r in people.list_resources(session)]
    table("Resources", ("#", "Name", "Kind"), rows)


@resources.command("edit")
def edit_resource(
    key: Annotated[str, typer.Argument(help="Name or number.")],
    name: Annotated[str | None, typer.Option("--name")] = None,
    kind: Annotated[ResourceKind | None, typer.Option()] = None,
) -> None:
    """Rename a resource or change its kind."""
    from studiosync.studio import people

    with transaction() as session:
        resource = people.update_resource(session, key, name=name, kind=kind)
        done(f"Resource {resource.name!r} saved.")


@resources.command("delete")
def delete_resource(key: Annotated[str, typer.Argument(help="Name or number.")]) -> None:
    """Delete a resource that no appointment uses."""
    from studiosync.studio import people

    with transaction() as session:
        people.delete_resource(session, key)
    done(f"Resource {key!r} deleted.")


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="user")
    app.add_typer(resources, name="resource")
