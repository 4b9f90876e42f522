"""Checks, without the network, that the lock files in requirements/ agree with pyproject.toml."""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

REFRESH = "scripts/lock"
STAMP_PREFIX = "# inputs sha256: "
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


@dataclass
class Lock:
    """One lock file: its pinned versions and which of them carry hashes."""

    path: Path
    pins: dict[NormalizedName, Version] = field(default_factory=dict)
    hashed: set[NormalizedName] = field(default_factory=set)
    stamp: str | None = None


def read_lock(path: Path) -> Lock:
    lock = Lock(path)
    current: NormalizedName | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(STAMP_PREFIX):
            lock.stamp = line.removeprefix(STAMP_PREFIX).strip()
        elif match := PIN.match(line):
            current = canonicalize_name(match.group(1))
            lock.pins[current] = Version(match.group(2))
        elif current is not None and line.strip().startswith("--hash=sha256:"):
            lock.hashed.add(current)
    return lock


def read_in_file(path: Path) -> list[Requirement]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in (raw.split("#")[0].strip() for raw in lines) if line]


@dataclass
class Inputs:
    """What the locks are made from: pyproject.toml's requirements and requirements/*.in."""

    runtime: list[Requirement]
    dev: list[Requirement]
    build: list[Requirement]
    digest: str


def read_inputs(root: Path) -> Inputs:
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    runtime = [Requirement(text) for text in project.get("dependencies", [])]
    extras = project.get("optional-dependencies", {})
    dev = [Requirement(text) for text in extras.get("dev", [])]
    build = [Requirement(text) for text in pyproject["build-system"]["requires"]]
    installer = read_in_file(root / "requirements" / "installer.in")
    every = [f"run {r}" for r in runtime] + [f"build {r}" for r in build]
    every += [f"{name} {Requirement(r)}" for name, reqs in extras.items() for r in reqs]
    every += [f"install {r}" for r in installer]
    digest = hashlib.sha256("\n".join(sorted(every)).encode()).hexdigest()
    return Inputs(runtime + installer, runtime + installer + dev, build, digest)


def problems_of(lock: Lock, wanted: list[Requirement], digest: str) -> list[str]:
    name = lock.path.name
    found: list[str] = []
    if lock.stamp != digest:
        found.append(f"pyproject.toml's requirements changed since {name} was made")
    for requirement in wanted:
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": "dev"}):
            continue
        key = canonicalize_name(requirement.name)
        pinned = lock.pins.get(key)
        if pinned is None:
            found.append(f"{requirement} is not in {name}")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            found.append(f"{requirement} is not met by {key}=={pinned} in {name}")
    found += [f"{key} has no hash in {name}" for key in sorted(set(lock.pins) - lock.hashed)]
    return found


def check(root: Path) -> list[str]:
    inputs = read_inputs(root)
    runtime = read_lock(root / "requirements" / "runtime.txt")
    dev = read_lock(root / "requirements" / "dev.txt")
    found = problems_of(runtime, inputs.runtime + inputs.build, inputs.digest)
    found += problems_of(dev, inputs.dev + inputs.build, inputs.digest)
    for key in sorted(set(runtime.pins) & set(dev.pins)):
        if runtime.pins[key] != dev.pins[key]:
            found.append(
                f"{key} is {runtime.pins[key]} in runtime.txt but {dev.pins[key]} in dev.txt"
            )
    return found


def stamp(root: Path) -> None:
    """Records the inputs' digest at the end of each lock file (scripts/lock calls this)."""
    digest = read_inputs(root).digest
    for name in ("runtime.txt", "dev.txt"):
        path = root / "requirements" / name
        kept = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith(STAMP_PREFIX)
        ]
        path.write_text("\n".join([*kept, STAMP_PREFIX + digest, ""]), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--stamp", action="store_true", help="record the inputs' digest")
    options = parser.parse_args()
    if options.stamp:
        stamp(options.root)
    found = check(options.root)
    if not found:
        return 0
    print("The lock files in requirements/ do not match pyproject.toml:", file=sys.stderr)
    for problem in found:
        print(f"  - {problem}", file=sys.stderr)
    print(
        f"Run {REFRESH} to refresh them (it needs PyPI), then commit requirements/.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
