"""Fixtures for the tests of the installed `studiosync` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from studiosync.testing.installed import Run, command_runner


@pytest.fixture
def studiosync(tmp_path: Path) -> Run:
    """The installed command over a fresh, empty data directory."""
    return command_runner(tmp_path / "data")
