"""CLI: `studiosync client …` and `studiosync group …` (Maintenance > Client, Client Groups)."""

from typing import Annotated

import typer

from studiosync.cli.common import done, table, transaction

clients = typer.Typer(help="Clients of the studio.")
groups = typer.Typer(help="Client groups (Google contacts flow into one of them).")

Key = Annotated[str, typer.Argument(help="The client's number, or exact name.")]
Emails = Annotated[list[str] | None, typer.Option("--email", help="An email; repeat for more.")]
Phones = Annotated[list[str] | None, typer.Option("--phone", help="A phone; repeat for more.")]
Groups = Annotated[list[str] | None, typer.Option("--group", help="A client group; repeatable.")]


@clients.command("add")
def add_client(
    name: Annotated[str, typer.Argument(help="Full name.")],
    email: Emails = None,
    phone: Phones = None,
    address: Annotated[str | None, typer.Option()] = None,
    notes: Annotated[str | None, typer.Option()] = None,
    group: Groups = None,
) -> None:
    """Add a client."""
    from studiosync.studio import clients as service

    with transaction() as session:
        client = service.create_client(
            session,
            name=name,
            emails=email or [],
            phones=phone or [],
            address=address,
            notes=notes,
            groups=group or [],
        )
        done(f"Client {client.name!r} added (number {client.id}).")


@clients.command("list")
def list_clients(
    search: Annotated[str | None, typer.Option(help="Part of the name.")] = None,
    group: Annotated[str | None, typer.Option(help="Only this client group.")] = None,
) -> None:
    """List clients."""
    from studiosync.studio import clients as service

    with transaction() as session:
        rows = [
            (
                c.id,
                c.name,
                ", ".join(c.emails),
                ", ".join(c.phones),
                ", ".join(g.name for g in c.groups),
            )
            for c in service.list_clients(session, search=search, group=group)
        ]
    table("Clients", ("#", "Name", "Emails", "Phones", "Groups"), rows)


@clients.command("edit")
def edit_client(
    key: Key,
    name: Annotated[str | None, typer.Option("--name")] = None,
    email: Emails = None,
    phone: Phones = None,
    address: Annotated[str | None, typer.Option(help="'' clears it.")] = None,
    notes: Annotated[str | None, typer.Option(help="'' clears them.")] = None,
    group: Groups = None,
) -> None:
    """Change a client; --email, --phone and --group replace the whole list."""
    from studiosync.studio import clients as service
    from studiosync.studio.validation import UNCHANGED

    with transaction() as session:
        client = service.update_client(
            session,
            key,
            name=name,
            emails=email,
            phones=phone,
            groups=group,
            address=UNCHANGED if address is None else address,
            notes=UNCHANGED if notes is None else notes,
        )
        done(f"Client {client.name!r} saved.")


@clients.command("delete")
def delete_client(key: Key) -> None:
    """Delete a client (their appointments stay, without a client)."""
    from studiosync.studio import clients as service

    with transaction() as session:
        service.delete_client(session, key)
    done(f"Client {key!r} deleted.")


@groups.command("add")
def add_group(name: Annotated[str, typer.Argument()]) -> None:
    """Add a client group."""
    from studiosync.studio import clients as service

    with transaction() as session:
        service.create_group(session, name=name)
    done(f"Client group {name!r} added.")


@groups.command("list")
def list_groups() -> None:
    """List client groups with their sizes."""
    from studiosync.studio import clients as service

    with transaction() as session:
        rows = [(g.id, g.name, n) for g, n in service.list_groups(session)]
    table("Client groups", ("#", "Name", "Clients"), rows)


@groups.command("rename")
def rename_group(
    key: Annotated[str, typer.Argument()], name: Annotated[str, typer.Argument()]
) -> None:
    """Rename a client group."""
    from studiosync.studio import clients as service

    with transaction() as session:
        service.rename_group(session, key, name=name)
    done(f"Client group renamed to {name!r}.")


@groups.command("delete")
def delete_group(key: Annotated[str, typer.Argument()]) -> None:
    """Delete a client group (its clients stay)."""
    from studiosync.studio import clients as service

    with transaction() as session:
        service.delete_group(session, key)
    done(f"Client group {key!r} deleted.")


@groups.command("add-client")
def add_to_group(group: Annotated[str, typer.Argument()], client: Key) -> None:
    """Put a client into a group."""
    from studiosync.studio import clients as service
    from studiosync.studio.validation import find_client

    with transaction() as session:
        found = find_client(session, client)
        names = [g.name for g in found.groups]
        service.update_client(session, found.id, groups=[*names, group])
    done(f"Client added to {group!r}.")


def register(app: typer.Typer) -> None:
    app.add_typer(clients, name="client")
    app.add_typer(groups, name="group")
