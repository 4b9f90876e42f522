"""CPU accounting for benchmarks, from /proc: a process tree's CPU seconds, the machine's
busy share, and a meter over one stretch of wall time."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
Watched = dict[str, Callable[[], float]]


def _stat_fields(pid: int) -> list[str]:
    raw = Path(f"/proc/{pid}/stat").read_text()
    return raw[raw.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat_fields(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, its reaped children and its live descendants."""
    try:
        fields = _stat_fields(pid)
    except OSError:
        return 0.0
    total = sum(int(value) for value in fields[11:15]) / TICKS
    return total + sum(tree_cpu_seconds(child) for child in children(pid))


def own_cpu_seconds() -> float:
    """User + system CPU of this process alone (its threads, not its children)."""
    times = os.times()
    return times.user + times.system


def machine_busy() -> tuple[float, float]:
    """(busy, all) CPU ticks of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return float(sum(values) - idle), float(sum(values))


def child_running(needle: str) -> int:
    """The pid of this process's child whose command line contains ``needle``."""
    for pid in children(os.getpid()):
        if needle in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
            return pid
    raise RuntimeError(f"no child process runs {needle}")


@dataclass
class Meter:
    """CPU seconds per watched process over one stretch of wall time."""

    watched: Watched
    began: float = 0.0
    start: dict[str, float] = field(default_factory=dict)
    machine: tuple[float, float] = (0.0, 0.0)

    def __enter__(self) -> Meter:
        self.start = {name: read() for name, read in self.watched.items()}
        self.machine, self.began = machine_busy(), time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall = time.perf_counter() - self.began
        self.used = {name: read() - self.start[name] for name, read in self.watched.items()}
        busy, every = machine_busy()
        self.machine_share = (busy - self.machine[0]) / max(1.0, every - self.machine[1])

    def describe(self) -> str:
        shares = ", ".join(f"{name} {used / self.wall:4.0%}" for name, used in self.used.items())
        machine = f"machine busy {self.machine_share:4.0%} of {os.cpu_count()} CPUs"
        return f"CPU (seconds/wall) {shares}; {machine}"


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
