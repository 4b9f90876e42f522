"""Fast start: the command tree is built without the database layer, Google's client or the web."""

from __future__ import annotations

from pathlib import Path

from studiosync.testing.installed import command_runner

HEAVY = {
    "sqlalchemy",
    "alembic",
    "psycopg",
    "googleapiclient",
    "google_auth_oauthlib",
    "fastapi",
    "starlette",
    "uvicorn",
    "celery",
    "kombu",
    "redis",
    "httpx",
    "pydantic_settings",
    "cryptography",
}
# Typer itself brings pydantic in to convert a command's arguments, so it is not listed.
DATABASE_LAYER = {"studiosync.db", "studiosync.context", "studiosync.studio.models"}


def imported_by(tmp_path: Path, *args: str) -> set[str]:
    """Every module the installed command imported while running `args`, by -X importtime."""
    run = command_runner(tmp_path / "data", PYTHONPROFILEIMPORTTIME="1")
    result = run(*args)
    assert "Traceback" not in result.err
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.err.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def heavy(modules: set[str]) -> set[str]:
    return {name for name in modules if name.split(".")[0] in HEAVY}


def test_help_loads_none_of_the_heavy_libraries(tmp_path: Path) -> None:
    modules = imported_by(tmp_path, "--help")
    assert "typer" in modules
    assert heavy(modules) == set()
    assert modules & DATABASE_LAYER == set()


def test_a_command_s_help_loads_none_of_them_either(tmp_path: Path) -> None:
    for args in (("appointment", "add", "--help"), ("company", "email", "--help")):
        modules = imported_by(tmp_path, *args)
        assert heavy(modules) == set(), args


def test_explain_does_not_load_the_database_layer(tmp_path: Path) -> None:
    modules = imported_by(tmp_path, "explain", "google.reauth_needed")
    assert "studiosync.doctor.catalogue" in modules
    assert heavy(modules) == set()
    assert modules & DATABASE_LAYER == set()


def test_a_command_that_needs_the_database_loads_it_when_it_runs(tmp_path: Path) -> None:
    modules = imported_by(tmp_path, "user", "list")
    assert {"sqlalchemy", "studiosync.db"} <= modules
    assert "googleapiclient" not in modules and "fastapi" not in modules


def test_the_listed_help_of_each_command_is_its_own_and_every_command_is_listed() -> None:
    from studiosync.cli import COMMANDS, module_commands

    registered = {
        name: command
        for module in {entry.module for entry in COMMANDS.values()}
        for name, command in module_commands(module).commands.items()
    }
    assert set(registered) == set(COMMANDS)
    for name, entry in COMMANDS.items():
        own = (registered[name].help or "").split("\n\n")[0].strip()
        assert own == entry.help, name
