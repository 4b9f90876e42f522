"""The lock files: they agree with pyproject.toml, and the check says how to refresh them."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "scripts" / "check_lock.py"


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECK), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_repository_lock_files_agree_with_pyproject() -> None:
    done = check(ROOT)
    assert done.returncode == 0, done.stderr


def test_every_pin_carries_hashes_and_both_files_pin_the_same_versions() -> None:
    dev = (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8")
    runtime = (ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    assert "typer==" in runtime and "pytest==" in dev and "pytest==" not in runtime
    assert runtime.count("==") <= runtime.count("--hash=sha256:")


def test_a_new_dependency_without_a_new_lock_names_the_refresh_command(copy: Path) -> None:
    edit(copy / "pyproject.toml", '"orjson>=3.10",', '"orjson>=3.10",\n    "humanize>=4",')
    done = check(copy)
    assert done.returncode == 1
    assert "humanize>=4 is not in runtime.txt" in done.stderr
    assert "humanize>=4 is not in dev.txt" in done.stderr
    assert "Run scripts/lock" in done.stderr


def test_a_narrowed_range_that_the_pin_misses_is_named(copy: Path) -> None:
    edit(copy / "pyproject.toml", '"typer>=0.12",', '"typer>=99",')
    done = check(copy)
    assert done.returncode == 1
    assert "typer>=99 is not met by typer==" in done.stderr


def test_any_change_of_requirements_is_caught_even_when_the_pins_still_fit(copy: Path) -> None:
    edit(copy / "pyproject.toml", '"rich>=13",', '"rich>=13,<99",')
    done = check(copy)
    assert done.returncode == 1
    assert "pyproject.toml's requirements changed since runtime.txt was made" in done.stderr


def test_runtime_and_dev_pins_must_match(copy: Path) -> None:
    edit(copy / "requirements" / "runtime.txt", "typer==0.", "typer==1000.")
    done = check(copy)
    assert done.returncode == 1
    assert "typer is 1000." in done.stderr and "in dev.txt" in done.stderr


def test_a_pin_without_a_hash_is_refused(copy: Path) -> None:
    lock = copy / "requirements" / "dev.txt"
    lines = lock.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("pytest=="))
    end = next(i for i in range(at + 1, len(lines)) if "--hash=" not in lines[i])
    lines[at:end] = [lines[at].removesuffix(" \\")]
    lock.write_text("\n".join([*lines, ""]), encoding="utf-8")
    done = check(copy)
    assert done.returncode == 1
    assert "pytest has no hash in dev.txt" in done.stderr
    assert done.stderr.count("has no hash") == 1


def _imported_top_level(package: Path) -> set[str]:
    """The top-level modules the product's code imports (its test helpers left out)."""
    found: set[str] = set()
    for source in package.rglob("*.py"):
        if "testing" in source.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"studiosync", "__future__"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_module_the_product_imports_is_installed_by_the_runtime_lock() -> None:
    """`scripts/run` installs runtime.txt only: what the product imports must be pinned there,
    not only in dev.txt (where a test tool may bring it along)."""
    runtime = (ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    pinned = {_normal(line.split("==")[0]) for line in runtime.splitlines() if "==" in line}
    owners = importlib.metadata.packages_distributions()
    missing = {
        module: owners.get(module, [module])
        for module in _imported_top_level(ROOT / "src" / "studiosync")
        if not any(_normal(name) in pinned for name in owners.get(module, [module]))
    }
    assert missing == {}
