"""How fast the installed `studiosync` command starts, against `python -c "import typer"`.

Runs each command several times over a throw-away studio and prints the median wall and CPU
time and their ratios to the baseline measured in the same run. Goals: --help and explain
within 3x of the baseline, user list within 5x.

    python bench/cli_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMAND = Path(sys.executable).parent / "studiosync"
CASES: list[tuple[str, list[str], float | None]] = [
    ('python -c "import typer"', [sys.executable, "-c", "import typer"], None),
    ("studiosync --help", [str(COMMAND), "--help"], 3.0),
    ("studiosync explain CODE", [str(COMMAND), "explain", "google.reauth_needed"], 3.0),
    ("studiosync user list", [str(COMMAND), "user", "list"], 5.0),
]


def once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="studiosync-bench-") as data:
        env = {**os.environ, "STUDIOSYNC_DATA_DIR": data}
        env.pop("STUDIOSYNC_DATABASE_URL", None)
        subprocess.run([str(COMMAND), "init"], env=env, stdout=subprocess.DEVNULL, check=True)
        for _, argv, _ in CASES:  # warm the file cache and the byte-code
            once(argv, env)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in CASES}
        for _ in range(runs):  # interleaved, so that a busy moment hits every command alike
            for name, argv, _ in CASES:
                samples[name].append(once(argv, env))
    wall = {name: statistics.median(w for w, _ in runs_) for name, runs_ in samples.items()}
    cpu = {name: statistics.median(c for _, c in runs_) for name, runs_ in samples.items()}
    base = CASES[0][0]
    print(f"Median of {runs} runs on {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"{'command':26} {'wall':>7} {'ratio':>6}  {'cpu':>7} {'ratio':>6}  goal")
    for name, _, goal in CASES:
        ratio = wall[name] / wall[base]
        verdict = "" if goal is None else f"≤{goal:g}x " + ("met" if ratio <= goal else "MISSED")
        print(
            f"{name:26} {wall[name] * 1000:5.0f}ms {ratio:5.2f}x  "
            f"{cpu[name] * 1000:5.0f}ms {cpu[name] / cpu[base]:5.2f}x  {verdict}"
        )
    print("The goal is judged on wall time; CPU time is steadier on a shared machine.")


if __name__ == "__main__":
    main()
