"""Runs the installed `studiosync` command as a person does, over a throw-away data directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def installed_command() -> Path:
    """The `studiosync` script that the install put beside this Python (e.g. .venv/bin)."""
    beside = Path(sys.executable).parent / "studiosync"
    found = beside if beside.exists() else shutil.which("studiosync")
    if found is None:
        raise RuntimeError("the studiosync command is not installed: run scripts/setup --dev")
    return Path(found)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


Run = Callable[..., Result]


def command_runner(data_dir: Path, **extra_env: str) -> Run:
    command = installed_command()
    env = {**os.environ, "STUDIOSYNC_DATA_DIR": str(data_dir), "COLUMNS": "200", "NO_COLOR": "1"}
    for name in [
        name for name in env if name.startswith("STUDIOSYNC_") and name != "STUDIOSYNC_DATA_DIR"
    ]:
        del env[name]
    env.update(extra_env)

    def run(
        *args: str, stdin: str | None = None, env_extra: dict[str, str] | None = None
    ) -> Result:
        done = subprocess.run(
            [str(command), *args],
            env={**env, **(env_extra or {})},
            input="" if stdin is None else stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run
