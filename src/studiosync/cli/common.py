"""Shared CLI plumbing: opening the studio, parsing dates, printing tables.

Only light modules are imported up front: building the command tree must not load the database
layer, the Google client or the web stack; each command imports what it uses when it runs.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from studiosync.errors import ErrorCode, InputError
from studiosync.wording.clean import clean

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studiosync.context import Studio

console = Console()


@contextmanager
def studio(*, keep_files_private: bool = True) -> Iterator[Studio]:
    from studiosync.context import open_studio

    opened = open_studio(keep_files_private=keep_files_private)
    try:
        yield opened
    finally:
        opened.close()


@contextmanager
def transaction() -> Iterator[Session]:
    """Open the studio and run one all-or-nothing unit of work."""
    with studio() as opened, opened.transaction() as session:
        yield session


def parse_datetime(field: str, text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field=field,
            value=text,
            reason="write it as YYYY-MM-DD HH:MM, e.g. 2026-12-05 14:30",
        ) from exc


def parse_date(field: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field=field,
            value=text,
            reason="write it as YYYY-MM-DD, e.g. 2026-12-05",
        ) from exc


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.table import Table

    view = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        view.add_column(column)
    for row in rows:
        view.add_row(*(Text(clean("" if cell is None else str(cell))) for cell in row))
    console.print(view)


def say(text: object, style: str = "", indent: int = 0) -> None:
    """Print text that may come from outside (Google, a user): cleaned, never read as markup.

    With ``indent``, every wrapped line starts that far in, not only the first.
    """
    if not indent:
        console.print(Text(clean(text), style=style))
        return
    margin = " " * indent
    wrapped = textwrap.fill(
        clean(text),
        width=max(console.width, 40),
        initial_indent=margin,
        subsequent_indent=margin,
        break_long_words=False,  # commands, addresses and options stay whole
        break_on_hyphens=False,
    )
    console.print(Text(wrapped, style=style), soft_wrap=True)


def done(message: str) -> None:
    console.print(f"[green]✔[/] {message}")
