"""Rehearsal speed: wall time and real-time factor of each scene's default flood scenario.

Each scene's first ``[[scenarios]]`` entry (its default rehearsal) is run exactly as
``twin-app rehearse SCENE --scenario NAME`` runs it: checked by the scenario loader, in a
worker process of the host, writing frames and results (NetCDF, GeoTIFF maps, GeoJSON, CSV).
Reported per scenario: wall time (host start to result), the worker's run time, solver steps,
real-time factor (model time / wall time), mass-balance error, run-folder size.

Baseline: the same scenario at twice the cell size (``cell_size_m`` doubled, so about 8x less
work: 4x fewer cells, 2x longer steps), in the same way and the same run of this script.

Run: ``.venv/bin/python benchmarks/bench_rehearsal.py [--scenes xinchuansha ...] [--all]``
"""

from __future__ import annotations

import os

os.environ["NUMBA_NUM_THREADS"] = "1"

import argparse
import tempfile
from pathlib import Path
from typing import Any

from _common import report

from twin_app.core.scene_loader import load_scene
from twin_app.sim.discovery import find_plugin, load_tables
from twin_app.sim.host import RehearsalRun, RunState
from twin_app.sim.scenario import rehearsal_from_values

SCENES = ("xinchuansha", "huangpu", "suzhou_west_gate")


def folder_size(path: Path) -> int:
    """Return the bytes of every file under ``path``."""
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def run_scenario(scene: str, scenario_id: str, cell_size_m: float | None) -> dict[str, Any]:
    """Run one scene scenario through the host and return its figures."""
    document = load_scene(scene)
    scenario = next(s for s in document.spec.scenarios if s.id == scenario_id)
    values = dict(scenario.parameters)
    if cell_size_m is not None:
        values["cell_size_m"] = cell_size_m
    with tempfile.TemporaryDirectory(prefix="bench_rehearsal_") as folder:
        rehearsal = rehearsal_from_values(
            scenario.plugin, values, duration_h=scenario.duration_h,
            output_interval_min=scenario.output_interval_min, out_dir=Path(folder),
            scene=document)
        result = RehearsalRun(rehearsal.record, rehearsal.config).start().wait()
        if result.state is not RunState.SUCCEEDED:
            raise RuntimeError(f"{scene}/{scenario_id} {result.state.value}: {result.message}\n"
                               f"{result.log_tail}")
        size = folder_size(Path(folder))
    cell = values.get("cell_size_m", "default")
    return {"wall_s": result.wall_time_s, "run_s": result.summary["run_time_s"],
            "steps": result.summary["steps"], "mass": result.summary["mass_balance_error"],
            "duration_s": scenario.duration_h * 3600.0, "size_mb": size / 2**20, "cell": cell}


def main() -> None:
    """Measure and print the figures of each scene's default scenario."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenes", nargs="+", default=list(SCENES))
    parser.add_argument("--all", action="store_true", help="every scenario, not just the first")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    for scene in args.scenes:
        document = load_scene(scene)
        scenarios = document.spec.scenarios if args.all else document.spec.scenarios[:1]
        for scenario in scenarios:
            if scenario.plugin != "twin_flood":
                continue
            table = load_tables(find_plugin(scenario.plugin)).parameter("cell_size_m")
            default = float(scenario.parameters.get("cell_size_m", table.default if table
                                                    else 15.0))
            figures = run_scenario(scene, scenario.id, None)
            rtf = figures["duration_s"] / figures["wall_s"]
            name = f"{scene}/{scenario.id} ({scenario.duration_h:g} h, {default:g} m cells)"
            print(f"{name}: wall {figures['wall_s']:.1f} s (worker {figures['run_s']:.1f} s), "
                  f"{figures['steps']} steps, real-time factor {rtf:.0f}, mass-balance error "
                  f"{figures['mass']:.2e}, run folder {figures['size_mb']:.0f} MiB", flush=True)
            if args.no_baseline:
                continue
            coarse = run_scenario(scene, scenario.id, 2.0 * default)
            report(f"{name} real-time factor", rtf, "x",
                   f"same scenario at {2 * default:g} m cells",
                   coarse["duration_s"] / coarse["wall_s"])


if __name__ == "__main__":
    main()
