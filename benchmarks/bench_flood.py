"""Flood solver speed: node updates per second on one core, against Landlab's OverlandFlow.

Case (reference/flood.md 4.2, the same for both solvers, same run): a square N x N raster of
10 m cells, ground sloping 0.001 to the east, 0.5 m of water everywhere (every face wet), n =
0.03, theta = 0.8, alpha = 0.7, closed edges.  Each solver takes a few warm-up steps, then
three blocks of timed steps, of which the fastest counts (the machine is shared with other
work); a node update is one cell advanced by one step.  Both run on one core:
NUMBA_NUM_THREADS=1 for twin_flood (its kernels are serial anyway), OMP_NUM_THREADS=1 for
Landlab (its Cython kernels use OpenMP).

Landlab runs in its own virtual environment (``.venv-bench``, made on first use with
``landlab==2.11.0`` and ``requireit==0.8.0``: requireit 0.9 does not import on Python 3.11), so
it never enters the app's environment.  If it cannot be installed the baseline is skipped with
a message.

Also printed: memory per million cells (state arrays of twin_flood; traced numpy allocations
of both solvers), and the wall time and real-time factor of EA Test 4 on its 5 m grid.

Run: ``.venv/bin/python benchmarks/bench_flood.py [--sizes 1000 2000] [--no-landlab]``
"""

from __future__ import annotations

import os

os.environ["NUMBA_NUM_THREADS"] = "1"
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import subprocess
import sys
import time
import tracemalloc

import numpy as np
from _common import REPO, report
from twin_flood import FloodModel, Inflow, TimeSeries

BENCH_VENV = REPO / ".venv-bench"
BENCH_PACKAGES = ["landlab==2.11.0", "requireit==0.8.0"]
DX, SLOPE, DEPTH, N_MANNING, THETA, ALPHA = 10.0, 0.001, 0.5, 0.03, 0.8, 0.7
BLOCKS = 3  # timed blocks per solver; the best counts (the machine is shared)

LANDLAB_CASE = """
import json, sys, time, tracemalloc
import numpy as np
n, steps, warm, blocks = (int(v) for v in sys.argv[1:5])
dx, slope, depth, mannings, theta, alpha = (float(v) for v in sys.argv[5:11])
from landlab import RasterModelGrid
from landlab.components import OverlandFlow
tracemalloc.start()
grid = RasterModelGrid((n, n), xy_spacing=dx)
z = grid.add_zeros("topographic__elevation", at="node")
z[:] = -slope * grid.x_of_node
h = grid.add_zeros("surface_water__depth", at="node")
h[:] = depth
grid.set_closed_boundaries_at_grid_edges(True, True, True, True)
flow = OverlandFlow(grid, mannings_n=mannings, theta=theta, alpha=alpha, steep_slopes=False)
for _ in range(warm):
    flow.run_one_step(dt=flow.calc_time_step())
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
best = float("inf")
for _ in range(blocks):
    start = time.perf_counter()
    for _ in range(steps):
        flow.run_one_step(dt=flow.calc_time_step())
    best = min(best, (time.perf_counter() - start) / steps)
print(json.dumps({"seconds_per_step": best, "peak_bytes": peak}))
"""


def landlab_python() -> str | None:
    """Return the benchmark venv's interpreter with Landlab, creating it if needed (else None)."""
    python = BENCH_VENV / "bin" / "python"
    check = [str(python), "-c", "import landlab.components"]
    if python.exists() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return str(python)
    print(f"setting up {BENCH_VENV} with {' '.join(BENCH_PACKAGES)} (first run only) ...",
          flush=True)
    steps = [[sys.executable, "-m", "venv", str(BENCH_VENV)],
             [str(python), "-m", "pip", "install", "-q", *BENCH_PACKAGES], check]
    for command in steps:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            print(f"SKIP Landlab baseline: {' '.join(command[:4])} failed: "
                  f"{result.stderr.strip()[-500:]}", flush=True)
            return None
    return str(python)


def landlab_rate(python: str, n: int, steps: int, warm: int) -> tuple[float, float] | None:
    """Return Landlab's (node updates per second, traced peak bytes) on the N x N case."""
    args = [str(v) for v in (n, steps, warm, BLOCKS, DX, SLOPE, DEPTH, N_MANNING, THETA, ALPHA)]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    result = subprocess.run([python, "-c", LANDLAB_CASE, *args], capture_output=True, text=True,
                            env=env, check=False)
    if result.returncode != 0:
        print(f"SKIP Landlab {n}x{n}: {result.stderr.strip()[-800:]}", flush=True)
        return None
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return n * n / data["seconds_per_step"], float(data["peak_bytes"])


def twin_flood_rate(n: int, steps: int, warm: int, dtype: str) -> tuple[float, float, int]:
    """Return twin_flood's (node updates per second, traced peak bytes, state bytes)."""
    tracemalloc.start()
    dem = np.tile(-SLOPE * DX * np.arange(n), (n, 1))
    model = FloodModel(dem, DX, initial_depth=DEPTH,
                       parameters={"manning": N_MANNING, "theta": THETA, "alpha": ALPHA,
                                   "dtype": dtype})
    del dem
    for _ in range(warm):
        model.step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = float("inf")
    for _ in range(BLOCKS):
        start = time.perf_counter()
        for _ in range(steps):
            model.step()
        best = min(best, time.perf_counter() - start)
    return n * n * steps / best, float(peak), model.memory_bytes()


def ea_test4_wall_time() -> None:
    """EA Test 4 on its 5 m grid (80 000 cells), 5 h of flood, float32: wall time."""
    series = TimeSeries([0, 5, 60, 240, 300], [0, 0, 20, 20, 0], "m3/s", "discharge",
                        time_units="min")
    points = [(2.5, 992.5 + 5.0 * k) for k in range(4)]
    model = FloodModel(np.zeros((400, 200)), 5.0, origin=(0.0, 2000.0),
                       parameters={"manning": 0.05}, features=[Inflow("in", points, series)])
    start = time.perf_counter()
    model.advance_to(5 * 3600.0)
    wall = time.perf_counter() - start
    print(f"EA Test 4, 5 m grid, 5 h, float32: {wall:.2f} s wall, {model.steps} steps, real-time "
          f"factor {5 * 3600.0 / wall:.0f}x, mass error {model.mass_balance().relative_error:.1e}",
          flush=True)


def main() -> None:
    """Measure and print the flood solver's figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--no-landlab", action="store_true")
    parser.add_argument("--no-ea4", action="store_true")
    args = parser.parse_args()
    python = None if args.no_landlab else landlab_python()
    for n in args.sizes:
        steps = max(4, int(3e7 // (n * n)))
        warm = 3
        rates = {dtype: twin_flood_rate(n, steps, warm, dtype) for dtype in ("float32", "float64")}
        baseline = landlab_rate(python, n, max(2, steps // 5), 2) if python else None
        for dtype, (rate, peak, state) in rates.items():
            name = f"twin_flood {dtype} {n}x{n} node updates/s (1 core)"
            if baseline:
                report(name, rate / 1e6, "M/s", "Landlab OverlandFlow", baseline[0] / 1e6)
            else:
                print(f"{name}: {rate / 1e6:.3f} M/s (no Landlab baseline)", flush=True)
            per_million = 1e6 / (n * n) / 2 ** 20
            line = (f"  memory per million cells, {dtype}: state {state * per_million:.1f} MiB, "
                    f"traced peak {peak * per_million:.1f} MiB")
            if baseline:
                line += f" (Landlab traced peak {baseline[1] * per_million:.1f} MiB)"
            print(line, flush=True)
    if not args.no_ea4:
        ea_test4_wall_time()


if __name__ == "__main__":
    main()
