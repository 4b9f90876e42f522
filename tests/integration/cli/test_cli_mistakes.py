"""The installed command answers every mistake with one message and exit 2, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from studiosync.testing.installed import Result, command_runner

HUGE = "99999999999"
MISTAKES: list[tuple[str, ...]] = [
    ("nosuchcmd",),
    ("usr", "list"),
    ("user", "lst"),
    ("--no-such-option",),
    ("user", "list", "--no-such-option"),
    ("user", "edit", "nobody", "--name", "X"),
    ("user", "delete", "nobody"),
    ("user", "add", "maya", "--role", "boss"),
    ("user", "add", "maya", "--email", "not-an-address"),
    ("resource", "add", "Studio A", "--kind", "castle"),
    ("resource", "delete", "no-such-room"),
    ("client", "edit", "999", "--name", "X"),
    ("client", "delete", "Nobody Atall"),
    ("client", "list", "--group", "no-such-group"),
    ("group", "rename", "no-such-group", "New"),
    ("group", "add-client", "no-such-group", "nobody"),
    ("appointment", "cancel", "abc"),
    ("appointment", "delete", "12345"),
    ("appointment", "edit", "abc"),
    ("appointment", "edit", HUGE, "--title", "X"),
    ("appointment", "add", "Shoot", "--start", "tomorrow"),
    ("appointment", "add", "Shoot", "--start", "2026-13-45 10:00"),
    ("appointment", "add", "Shoot", "--start", "2026-12-05 10:00", "--minutes", HUGE),
    ("appointment", "add", "Shoot", "--start", "2026-12-05 10:00", "--minutes", "ten"),
    ("appointment", "add", "Shoot", "--start", "2026-12-05 10:00", "--end", "2026-12-05 09:00"),
    ("appointment", "add", "Shoot", "--start", "2026-12-05", "--all-day", "--end", "junk"),
    ("appointment", "add", "Shoot", "--start", "2026-12-05 10:00", "--status", "maybe"),
    ("appointment", "add", "Shoot", "--start", "2026-12-05 10:00", "--time-zone", "Mars/Base"),
    ("appointment", "add", "Shoot", "--start", "2026-12-05 10:00", "--photographer", "ghost"),
    ("appointment", "list", "--from", "yesterday"),
    ("appointment", "list", "--user", "ghost"),
    ("company", "email", "--port", "abc"),
    ("company", "email", "--port", "70000"),
    ("company", "email", "--port", HUGE),
    ("company", "email", "--security", "tls-please"),
    ("company", "email", "--from", "not-an-address"),
    ("company", "set", "--time-zone", "Nowhere/City"),
    ("google", "show", "ghost"),
    ("google", "options", "ghost", "--enable"),
    ("google", "options", "admin", "--populate-since", "last-year"),
    ("google", "select-calendar", "ghost", "Studio"),
    ("sync", "ghost"),
    ("job", "schedule", "every blue moon"),
    ("job", "schedule", "every 20 seconds"),
    ("job", "schedule", "61 * * * *"),
    ("job", "computer", "attic-pc"),
    ("job", "enable"),
    ("logs", "--level", "loud"),
    ("logs", "--since", "99999999d"),
    ("logs", "--since", "last tuesday"),
    ("logs", "--run", "abc"),
    ("logs", "--limit", "0"),
    ("logs", "--user", "ghost"),
    ("logs", "prune", "--days", "0"),
    ("logs", "prune", "--days", HUGE),
    ("processor", "--concurrency", "0"),
    ("worker", "--concurrency", "1000"),
    ("explain", "no.such_code"),
    ("doctor", "--user", "ghost", "--offline"),
    ("sandbox", "--port", "abc"),
    ("sandbox", "--quota-status", "500", "--port", "0"),
    ("web", "--port", "-5"),
    ("email", "test"),
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, ...], Result]]:
    """Every mistake run once against one fresh studio, a few at a time."""
    run = command_runner(tmp_path_factory.mktemp("mistakes") / "data")
    assert run("init").code == 0
    with ThreadPoolExecutor(max_workers=4) as pool:
        yield dict(zip(MISTAKES, pool.map(lambda args: run(*args), MISTAKES), strict=True))


@pytest.mark.parametrize("args", MISTAKES, ids=" ".join)
def test_a_mistake_gets_one_message_and_exit_2(
    args: tuple[str, ...], answers: dict[tuple[str, ...], Result]
) -> None:
    result = answers[args]
    assert "Traceback" not in result.text
    assert result.code == 2, result.text
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 6, result.err
    assert "Error" in result.err or "✖" in result.err
