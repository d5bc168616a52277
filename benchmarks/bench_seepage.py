"""Seepage solver (plugins/twin_seepage): steady solve, 7-day tidal transient, growth with size.

The section is the illustrative flood wall of ``twin_seepage.examples`` (wall, sheet pile, clay
blanket over silty sand, 150 m wide) meshed to the node counts below.

1. Steady confined solve of a ~50,000-node mesh (target: under 2 s), timed as solver set-up
   (element matrices, sparsity pattern) plus the solve with its seepage-face iterations; the mesh
   generation is reported on its own. Baseline, same run: the same on a ~5,000-node mesh; the
   ratio is of time per node. The unconfined steady solve (phreatic surface) is reported too.
2. A 7-day tide (M2 + S2, 10-minute stage series) at 10-minute steps, 1,008 steps (target: under
   60 s): confined on the 50,000-node mesh (one LU factorisation reused while the wetted river
   bank does not change the matrix, the stale factorisation preconditioning CG when it does) and
   unconfined with lagged coefficients on a ~10,000-node mesh. Baseline: one steady confined
   solve on the same mesh, so the ratio is the run's cost in steady solves.
3. Steady confined solve time against node count (5k to 100k nodes) and the fitted exponent.
4. The same tide through a 20 m wide sand embankment (k = 1e-4 m/s, Sy = 0.2; river 6 +- 3 m,
   land 2 m), where the phreatic surface moves by metres: Picard iterated to convergence each
   step, against the lagged-coefficient run as baseline (and the largest head difference).

Run: ``.venv/bin/python benchmarks/bench_seepage.py [--nodes 50000] [--quick]``
BLAS is limited to one thread (the machine is shared; the solver's own reductions avoid BLAS).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import time

import numpy as np
from _common import report
from twin_seepage import (
    Boundary,
    Layer,
    Piezometer,
    Section,
    SectionMesh,
    Soil,
    SolverOptions,
    SteadySolver,
    TimeSeries,
    TransientSolver,
    build_mesh,
    examples,
)

SECTION = examples.flood_wall_section()
CONFINED = SolverOptions(unconfined=False)


def mesh_with(nodes: int) -> tuple[SectionMesh, float]:
    """Mesh the section to about ``nodes`` nodes; return the mesh and its generation time."""
    size = 0.5 * np.sqrt(25_000 / nodes)
    for _ in range(3):
        started = time.perf_counter()
        mesh = build_mesh(SECTION, size)
        elapsed = time.perf_counter() - started
        if abs(mesh.n_nodes / nodes - 1) < 0.08:
            break
        size *= np.sqrt(mesh.n_nodes / nodes)
    return mesh, elapsed


def steady_time(mesh: SectionMesh, options: SolverOptions, repeats: int = 3) -> float:
    """Best of ``repeats``: solver set-up plus solve."""
    best = np.inf
    for _ in range(repeats):
        started = time.perf_counter()
        SteadySolver(SECTION, mesh, options=options).solve()
        best = min(best, time.perf_counter() - started)
    return best


def tide(days: float) -> TimeSeries:
    seconds = np.arange(0.0, days * 86400.0 + 1.0, 600.0)
    stage = (2.5 + 1.8 * np.sin(2 * np.pi * seconds / 44712.0)
             + 0.3 * np.sin(2 * np.pi * seconds / 43200.0))
    return TimeSeries(seconds, stage, "river stage")


def transient_time(mesh: SectionMesh, options: SolverOptions, days: float) -> float:
    solver = TransientSolver(SECTION, mesh, options=options)
    started = time.perf_counter()
    result = solver.run(tide(days), 600.0)
    elapsed = time.perf_counter() - started
    print(f"    {mesh.n_nodes} nodes, {result.times.size - 1} steps: "
          f"{result.factorisations} LU factorisations, {result.solves} solves, "
          f"{result.cg_iterations} CG iterations; final discharge "
          f"{result.discharge[-1]:.3e} m3/s/m", flush=True)
    return elapsed


def sand_embankment() -> Section:
    soil = Soil("sand", 1e-4, 1e-4, ss=1e-4, sy=0.2)
    return Section("sand embankment", [Layer("fill", [(0, 0), (20, 0), (20, 12), (0, 12)], soil)],
                   river=Boundary([(0, 0), (0, 12)], level=6.0),
                   land=Boundary([(20, 0), (20, 12)], level=2.0),
                   piezometers=[Piezometer("A", 5.0, 1.0), Piezometer("B", 15.0, 1.0)])


def moving_phreatic_surface(days: float, size: float) -> None:
    section = sand_embankment()
    seconds = np.arange(0.0, days * 86400.0 + 1.0, 600.0)
    stage = TimeSeries(seconds, 6.0 + 3.0 * np.sin(2 * np.pi * seconds / 44712.0))
    figures = {}
    for name, options in (("lagged", SolverOptions(lagged=True)), ("iterated", SolverOptions())):
        solver = TransientSolver(section, size=size, options=options)
        started = time.perf_counter()
        result = solver.run(stage, 600.0)
        figures[name] = (time.perf_counter() - started, result.piezometer_heads)
        print(f"    {name}: {solver.mesh.n_nodes} nodes, {result.solves} solves, "
              f"{result.factorisations} LU factorisations", flush=True)
    difference = np.abs(figures["iterated"][1] - figures["lagged"][1]).max()
    print(f"    largest piezometer head difference iterated - lagged: {difference:.3f} m "
          "(tide range 6 m)", flush=True)
    report(f"transient unconfined iterated, sand embankment, {days:g} days", figures["iterated"][0],
           "s", "lagged coefficients", figures["lagged"][0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=50_000)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--quick", action="store_true", help="skip the 100k-node point")
    args = parser.parse_args()

    print("1. steady solve", flush=True)
    big, big_mesh_time = mesh_with(args.nodes)
    small, _ = mesh_with(5_000)
    print(f"    mesh generation: {big.n_nodes} nodes in {big_mesh_time:.2f} s", flush=True)
    big_time = steady_time(big, CONFINED)
    small_time = steady_time(small, CONFINED)
    report(f"steady confined solve, {big.n_nodes} nodes", big_time, "s",
           f"{small.n_nodes} nodes", small_time)
    report("  time per node", big_time / big.n_nodes * 1e6, "us",
           f"{small.n_nodes} nodes", small_time / small.n_nodes * 1e6)
    unconfined = steady_time(big, SolverOptions(), repeats=1)
    report(f"steady unconfined solve, {big.n_nodes} nodes", unconfined, "s",
           "confined, same mesh", big_time)

    print(f"2. {args.days:g}-day tide at 10-minute steps", flush=True)
    run = transient_time(big, CONFINED, args.days)
    report(f"transient confined, {big.n_nodes} nodes", run, "s", "one steady confined solve",
           big_time)
    medium, _ = mesh_with(10_000)
    medium_steady = steady_time(medium, CONFINED)
    run = transient_time(medium, SolverOptions(lagged=True), args.days)
    report(f"transient unconfined (lagged kr), {medium.n_nodes} nodes", run, "s",
           "one steady confined solve", medium_steady)

    print("3. growth with node count (steady confined)", flush=True)
    counts = [5_000, 10_000, 20_000, 50_000] + ([] if args.quick else [100_000])
    sizes, times = [], []
    for count in counts:
        mesh, _ = mesh_with(count)
        sizes.append(mesh.n_nodes)
        times.append(steady_time(mesh, CONFINED, repeats=2))
        print(f"    {mesh.n_nodes:7d} nodes: {times[-1]:.3f} s", flush=True)
    slope = np.polyfit(np.log(sizes), np.log(times), 1)[0]
    print(f"    time grows as nodes^{slope:.2f}", flush=True)
    report(f"steady confined, {sizes[-1]} nodes", times[-1], "s", f"{sizes[0]} nodes", times[0])

    print(f"4. {args.days:g}-day tide through a sand embankment (moving phreatic surface)",
          flush=True)
    moving_phreatic_surface(args.days, 0.5)


if __name__ == "__main__":
    main()
