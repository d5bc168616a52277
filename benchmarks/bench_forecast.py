"""Forecast, ensemble and plan figures (issue 9), each with a baseline measured in the same run.

1. Ensemble members per hour: serial vs a LocalCluster of 1, 2 and 3 workers (2 cores here),
   with twin_example members (a bathtub on the huangpu DEM, coarsened 8x: 50 x 50 nodes, 24 h
   at 5-min steps); most of such a member's cost is starting its worker process.  The cluster
   is started before the clock starts (its start time is printed).
1b. Ensemble scaling with the real flood model: N members of a scene's twin_flood ensemble
   (its ``ensembles.toml`` entry, e.g. huangpu's winnie_1997: 200 x 200 cells of 15 m, 36 h)
   on a LocalCluster of 1 worker, then of 2 (threads_per_worker=1, each member's plugin in a
   process of its own, numba and BLAS held to one thread); the same members in both.  Printed:
   wall time per member (the ensemble's wall time / N), the members' own run time on their
   worker, and the speed-up of 2 workers over 1 measured in the same run.  The load average
   is printed before and after: on a shared machine other work takes cores too.
2. Tide analysis and prediction for a year of 1-minute data (525,600 values, UTide, hourly
   bins): baseline one month of the same record.
3. Trigger evaluation with 2,000 sensors (1,000 plans of two sensor conditions, plus forecast
   and check conditions): the compiled evaluator vs a plain Python loop over the conditions.

Run: .venv/bin/python benchmarks/bench_forecast.py [--members 6] [--skip-ensemble]
     [--only flood] [--flood-scene huangpu] [--flood-members 4] [--flood-duration-h H]
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from _common import report

SPEEDS = {"M2": 28.9841042, "S2": 30.0, "K1": 15.0410686, "O1": 13.9430356, "M4": 57.9682084}
AMPS = {"M2": 1.0, "S2": 0.4, "K1": 0.25, "O1": 0.18, "M4": 0.15}


def members_per_hour(members: int) -> None:
    from twin_app.core.scene_loader import load_scene
    from twin_app.ensemble import EnsembleRun, EnsembleSpec, prepare_ensemble

    document = load_scene("huangpu")
    spec = EnsembleSpec.model_validate({
        "id": "bench", "plugin": "twin_example", "duration_h": 24.0, "output_interval_min": 30.0,
        "members": members, "seed": 1, "base": {"coarsen": 8, "rainfall_mm_h": 0.0},
        "perturb": [{"parameter": "rainfall_mm_h", "distribution": "uniform", "low": 0,
                     "high": 60}]})
    import dask
    from distributed import LocalCluster

    rates = {}
    with tempfile.TemporaryDirectory() as folder:
        for workers in (0, 1, 2, 3):
            label = f"LocalCluster {workers} worker(s)" if workers else "serial"
            plan = prepare_ensemble(spec, out_dir=Path(folder) / f"w{workers}", scene=document)
            cluster = None
            if workers:
                t0 = time.perf_counter()
                with dask.config.set({"distributed.worker.daemon": False}):
                    cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                           dashboard_address=":0", silence_logs=logging.ERROR)
                print(f"{label}: cluster start {time.perf_counter() - t0:.1f} s (not counted)",
                      flush=True)
            started = time.perf_counter()
            options = ({"scheduler": cluster.scheduler_address} if cluster is not None
                       else {"executor": "serial"})
            result = EnsembleRun(plan, **options).start().wait()
            elapsed = time.perf_counter() - started
            if cluster is not None:
                cluster.close()
            assert result.state == "succeeded", result.message
            rates[label] = members * 3600.0 / elapsed
            print(f"{label}: {members} members in {elapsed:.1f} s", flush=True)
    for label, rate in rates.items():
        if label != "serial":
            report(f"members per hour, {label}", rate, "members/h", "serial", rates["serial"])


SINGLE_THREAD = {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                 "MKL_NUM_THREADS": "1"}


def _flood_spec(scene: str, duration_h: float | None) -> tuple[object, object]:
    """Return the scene and its first ensemble whose scenario runs twin_flood."""
    from twin_app.core.scene_loader import load_scene
    from twin_app.ensemble import scene_specs

    document = load_scene(scene)
    plugins = {s.id: s.plugin for s in document.spec.scenarios}
    spec = next((e for e in scene_specs(document.folder)
                 if e.scenario and plugins.get(e.scenario) == "twin_flood"), None)
    if spec is None:
        raise SystemExit(f"scene {scene} has no twin_flood ensemble in its ensembles.toml")
    if duration_h is not None:
        spec = spec.model_copy(update={"duration_h": duration_h})
    return document, spec


def _run_on_cluster(plan: object, workers: int) -> tuple[float, object]:
    """Run ``plan`` on a fresh LocalCluster of ``workers``; return (wall s, result)."""
    import dask
    from distributed import LocalCluster

    from twin_app.ensemble import EnsembleRun

    t0 = time.perf_counter()
    with dask.config.set({"distributed.worker.daemon": False}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
    print(f"  cluster of {workers}: started in {time.perf_counter() - t0:.1f} s (not counted)",
          flush=True)
    try:
        started = time.perf_counter()
        result = EnsembleRun(plan, scheduler=cluster.scheduler_address).start().wait()
        elapsed = time.perf_counter() - started
    finally:
        cluster.close()
    return elapsed, result


def flood_scaling(scene: str, members: int, duration_h: float | None) -> None:
    """Time N twin_flood members on 1 worker, then on 2; print per-member times and speed-up."""
    from twin_app.ensemble import prepare_ensemble

    document, spec = _flood_spec(scene, duration_h)
    saved = {k: os.environ.get(k) for k in SINGLE_THREAD}
    os.environ.update(SINGLE_THREAD)  # inherited by the workers and the members' processes
    per_member = {}
    hours = spec.duration_h or next(s.duration_h for s in document.spec.scenarios
                                    if s.id == spec.scenario)
    logging.getLogger("distributed").setLevel(logging.WARNING)  # the in-process scheduler's
    print(f"twin_flood ensemble {scene}/{spec.id}: {members} members of {hours:g} h; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="bench_flood_ens_") as folder:
            for workers in (1, 2):
                plan = prepare_ensemble(spec, out_dir=Path(folder) / f"w{workers}",
                                        scene=document, members=members)
                elapsed, result = _run_on_cluster(plan, workers)
                good = [o for o in result.outcomes if o.ok]
                if len(good) != members:
                    raise RuntimeError(f"{members - len(good)} members failed: "
                                       f"{[o.message for o in result.failed]}")
                own = float(np.mean([o.wall_time_s for o in good]))
                per = per_member[workers] = elapsed / members
                print(f"  {workers} worker(s): {members} members in {elapsed:.1f} s = "
                      f"{per:.1f} s wall per member, {3600 / per:.0f} members/h; a member's own "
                      f"run on its worker {own:.1f} s on average "
                      f"({', '.join(sorted({o.worker for o in good}))})", flush=True)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    report(f"twin_flood {scene} wall time per member, LocalCluster 2 workers", per_member[2],
           "s", "1 worker", per_member[1])
    print(f"speed-up of 2 workers over 1: {per_member[1] / per_member[2]:.2f}x; load average "
          f"after {os.getloadavg()[0]:.2f}", flush=True)


def tide_timing() -> None:
    from twin_app.forecast import analyse_tide


    minutes = np.arange(365 * 24 * 60)
    hours = minutes / 60.0
    level = 2.3 + sum(AMPS[k] * np.cos(np.radians(SPEEDS[k] * hours)) for k in SPEEDS)
    level += 0.05 * np.random.default_rng(0).standard_normal(level.size)
    stamps = np.datetime64("2024-01-01T00:00", "us") + minutes.astype("timedelta64[m]")
    month = slice(0, 30 * 24 * 60)
    t0 = time.perf_counter()
    baseline = analyse_tide(stamps[month], level[month], latitude=31.24)
    month_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    analysis = analyse_tide(stamps, level, latitude=31.24)
    year_s = time.perf_counter() - t0
    print(f"year: {len(analysis.constituents)} constituents, variance explained "
          f"{analysis.variance_explained:.4f}, residual RMS {analysis.residual_rms_m:.4f} m; "
          f"month: {len(baseline.constituents)} constituents", flush=True)
    report("tide analysis, a year of 1-min data", year_s, "s", "one month", month_s)
    future = stamps[-1] + np.arange(1, 365 * 24 * 60 + 1).astype("timedelta64[m]")
    t0 = time.perf_counter()
    analysis.predict(future[: 72 * 6 * 10: 10])
    short_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    analysis.predict(future)
    predict_s = time.perf_counter() - t0
    report("tide prediction, a year at 1 min", predict_s, "s", "72 h at 10 min", short_s)



def trigger_latency(sensors: int = 2000, repeats: int = 200) -> None:
    from twin_app.plans.library import PlanLibrary
    from twin_app.plans.triggers import TriggerEvaluator

    ids = [f"S{k:04d}" for k in range(sensors)]
    plans = [{"id": f"p{k}", "name": {"zh": "预案", "en": "plan"},
              "trigger": {"match": "any" if k % 2 else "all", "conditions": [
                  {"sensor": ids[2 * k], "above": 4.5},
                  {"sensor": ids[2 * k + 1], "below": 1.2}]}}
             for k in range(sensors // 2)]
    plans.append({"id": "chk", "name": {"zh": "校核", "en": "check"}, "trigger": {
        "conditions": [{"check": "fs", "below": 1.2}]}})
    library = PlanLibrary.model_validate({"scene": "bench", "checks": [
        {"id": "fs", "name": {"zh": "安全系数", "en": "safety factor"}}], "plans": plans})
    evaluator = TriggerEvaluator(library, SimpleNamespace(spec=SimpleNamespace(sensors=[])))
    rng = np.random.default_rng(0)
    values = dict(zip(ids, rng.uniform(0.0, 5.0, sensors).tolist(), strict=True))
    checks = {"fs": 1.1}

    def naive() -> list[bool]:
        out = []
        for plan in library.plans:
            flags = []
            for c in plan.trigger.conditions:
                value = checks.get(c.subject) if c.kind == "check" else values.get(c.subject)
                limit = float(c.limit)
                ok = value is not None and not math.isnan(value) and (
                    value > limit if c.direction == "above" else value < limit)
                flags.append(ok)
            out.append(all(flags) if plan.trigger.match == "all" else any(flags))
        return out

    assert list(evaluator.triggered(values, checks=checks)) == naive()
    timings = {}
    for name, call in (("naive", naive),
                       ("compiled", lambda: evaluator.triggered(values, checks=checks)),
                       ("detailed", lambda: evaluator.evaluate(values, checks=checks))):
        samples = []
        for _ in range(repeats if name != "detailed" else repeats // 10):
            t0 = time.perf_counter()
            call()
            samples.append(time.perf_counter() - t0)
        timings[name] = float(np.median(samples)) * 1000.0
    report(f"trigger evaluation, {sensors} sensors (compiled)", timings["compiled"], "ms",
           "plain Python loop", timings["naive"])
    report(f"trigger evaluation, {sensors} sensors (with explanations)", timings["detailed"],
           "ms", "plain Python loop", timings["naive"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--skip-ensemble", action="store_true")
    parser.add_argument("--only", choices=["triggers", "tide", "ensemble", "flood"],
                        help="run only this part")
    parser.add_argument("--flood-scene", default="huangpu")
    parser.add_argument("--flood-members", type=int, default=4)
    parser.add_argument("--flood-duration-h", type=float, default=None,
                        help="shorter members than the scenario's (default: its duration)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    parts = {args.only} if args.only else {"triggers", "tide", "ensemble", "flood"}
    if args.skip_ensemble:
        parts -= {"ensemble", "flood"}
    if "triggers" in parts:
        trigger_latency()
    if "tide" in parts:
        tide_timing()
    if "ensemble" in parts:
        members_per_hour(args.members)
    if "flood" in parts:
        flood_scaling(args.flood_scene, args.flood_members, args.flood_duration_h)


if __name__ == "__main__":
    main()

