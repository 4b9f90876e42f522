"""Benchmark: studiosync against vdirsyncer on one Radicale; see bench/caldav_vs_vdirsyncer.py.

This file only starts that one: run as a script, a file named caldav.py would stand in for the
caldav library that both tools import.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
    runpy.run_path(str(HERE / "caldav_vs_vdirsyncer.py"), run_name="__main__")
