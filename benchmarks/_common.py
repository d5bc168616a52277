"""Helpers shared by the benchmarks: a virtual screen, timing, and report lines."""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@contextlib.contextmanager
def virtual_screen(width: int = 1920, height: int = 1080) -> Iterator[None]:
    """Run the block with an X display: the current one, or an Xvfb started for it."""
    if os.environ.get("DISPLAY"):
        yield
        return
    from pyvirtualdisplay import Display

    with Display(visible=False, size=(width, height), color_depth=24):
        yield


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
