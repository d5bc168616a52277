"""Helpers shared by the benchmarks: a virtual screen, timing, and report lines."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def ensure_display(width: int = 1920, height: int = 1080) -> None:
    """Re-run this script under ``xvfb-run`` (a WIDTHxHEIGHT virtual screen) if there is no display.

    The whole process runs on the virtual screen, so Qt never outlives its X server.
    """
    if os.environ.get("DISPLAY"):
        return
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {width}x{height}x24",
               sys.executable, *sys.argv]
    raise SystemExit(subprocess.run(command, check=False).returncode)


def wall_time(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Run ``command``; return its wall time in seconds and its stderr."""
    started = time.perf_counter()
    result = subprocess.run(list(command), capture_output=True, text=True, env=env, check=False,
                            cwd=REPO)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, result.stderr


def median_of(values: Sequence[float]) -> float:
    """Return the median."""
    return statistics.median(values)


def report(name: str, value: float, unit: str, baseline_name: str, baseline: float) -> str:
    """Format one figure with its baseline and their ratio, print it and return it."""
    line = (f"{name}: {value:.3f} {unit}   baseline ({baseline_name}): {baseline:.3f} {unit}   "
            f"ratio {value / baseline:.2f}x")
    print(line, flush=True)
    return line
