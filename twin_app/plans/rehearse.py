"""Rehearse a plan: the same forecast with and without the plan's actions, compared.

::

    comparison = rehearse_plan(library, "creek_gate_closure", document, forecast,
                               out_dir=Path("runs/plan"), event_time=status.event_time)
    comparison.metrics["with"]["flooded_area_m2"], comparison.difference_path
    comparison.sentences("zh")

Both runs start at the forecast's start, are driven by the same forecast (boundaries and
initial state, :mod:`twin_app.forecast.drive`) and run side by side in worker processes; they
differ only by the parameter changes of the plan's actions for the rehearsal plugin (values
``"T-2h"`` become hours from the start).  Compared: the flooded area (max depth above the
plugin's wet threshold), the peak depth and the time wet at each key place, the time above the
warning level at key gauges (from the modelled level where the plugin gives one), and a
difference map of max depth (with minus without) written as ``difference_max_depth.tif``.
Each run folder opens in the app as a rehearsal, so both play on one clock.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.core.errors import InputError, OperationCancelledError
from twin_app.core.progress import Feedback
from twin_app.core.scene_loader import SceneDocument
from twin_app.forecast.drive import forecast_rehearsal
from twin_app.forecast.forecast import Forecast
from twin_app.forecast.text import seconds_above
from twin_app.plans.library import Plan, PlanLibrary, Setup, relative_hours
from twin_app.sim.discovery import find_plugin
from twin_app.sim.host import RehearsalRun, RunResult
from twin_app.sim.tables import ParamValue

logger = logging.getLogger(__name__)

VARIANTS = ("without", "with")


@dataclass
class PlanComparison:
    """The two runs of a plan rehearsal and how they differ."""

    plan: Plan
    plugin: str
    event_time: datetime
    run_dirs: dict[str, str]
    states: dict[str, str]
    parameters: dict[str, dict[str, ParamValue]]
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    difference_path: str = ""
    difference: NDArray[np.float32] | None = None
    modelled: list[str] = field(default_factory=list)
    not_modelled: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether both runs succeeded."""
        return all(state == "succeeded" for state in self.states.values())

    def sentences(self, language: str = "en") -> list[str]:
        """Return the comparison in a few sentences."""
        zh = language.startswith("zh")
        if not self.ok:
            return [("预演未完成：" if zh else "The rehearsal did not complete: ")
                    + ", ".join(f"{k} {v}" for k, v in self.states.items())]
        a, b = self.metrics["without"], self.metrics["with"]
        lines = [(f"淹没面积：无预案 {a['flooded_area_m2'] / 1e4:.2f} 公顷，执行预案 "
                  f"{b['flooded_area_m2'] / 1e4:.2f} 公顷") if zh else
                 (f"Flooded area: {a['flooded_area_m2'] / 1e4:.2f} ha without the plan, "
                  f"{b['flooded_area_m2'] / 1e4:.2f} ha with it")]
        for place, depth in a["peak_depth_m"].items():
            other = b["peak_depth_m"].get(place, float("nan"))
            lines.append(f"{place}：最大水深 {depth:.2f} m → {other:.2f} m" if zh else
                         f"{place}: peak depth {depth:.2f} m -> {other:.2f} m")
        for place, hours in a["hours_above_warning"].items():
            other = b["hours_above_warning"].get(place, float("nan"))
            lines.append(f"{place}：超警戒 {hours:.1f} 小时 → {other:.1f} 小时" if zh else
                         f"{place}: {hours:.1f} h above warning -> {other:.1f} h")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready description."""
        return {"plan": self.plan.id, "plugin": self.plugin,
                "event_time": self.event_time.isoformat(), "run_dirs": self.run_dirs,
                "states": self.states, "parameters": self.parameters, "metrics": self.metrics,
                "difference": self.difference_path, "modelled": self.modelled,
                "not_modelled": self.not_modelled, "sentences_en": self.sentences("en"),
                "sentences_zh": self.sentences("zh")}


def choose_setup(library: PlanLibrary, plan: Plan, plugin: str | None = None) -> Setup:
    """Return the first setup whose plugin is installed (or the one for ``plugin``).

    Raises
    ------
    InputError
        If no setup's plugin is installed and working.
    """
    setups = library.rehearsal_of(plan).setups
    for setup in setups:
        if plugin is not None and setup.plugin != plugin:
            continue
        try:
            if find_plugin(setup.plugin).status == "ok":
                return setup
        except Exception as error:  # noqa: BLE001 - a missing plugin means: try the next one
            logger.info("plan %s: setup %s unavailable (%s)", plan.id, setup.plugin, error)
    named = ", ".join(s.plugin for s in setups) or "none"
    raise InputError(f"plan {plan.id}: none of its rehearsal plugins is installed ({named})",
                     hint="install one (make setup) or add a [[rehearsal.setups]] entry")


def action_parameters(plan: Plan, plugin: str, event_time: datetime, start: datetime
                      ) -> tuple[dict[str, ParamValue], list[str], list[str]]:
    """Return the plan's parameter changes for ``plugin``, and its modelled / other actions.

    Values like ``"T-2h"`` become hours after ``start`` (never negative).
    """
    changes: dict[str, ParamValue] = {}
    modelled, missing = [], []
    offset_h = (event_time - start).total_seconds() / 3600.0
    for action in plan.actions:
        values = action.parameters.get(plugin)
        if not values:
            missing.append(action.id)
            continue
        modelled.append(action.id)
        for name, value in values.items():
            relative = relative_hours(value) if isinstance(value, str) else None
            changes[name] = max(0.0, offset_h + relative) if relative is not None else value
    return changes, modelled, missing


def rehearse_plan(library: PlanLibrary, plan_id: str, document: SceneDocument,
                  forecast: Forecast, *, out_dir: Path, event_time: datetime | None = None,
                  plugin: str | None = None, timeout_s: float | None = None,
                  feedback: Feedback | None = None) -> PlanComparison:
    """Run the forecast without and with the plan's actions, side by side, and compare.

    Parameters
    ----------
    library : PlanLibrary
        The scene's plans.
    plan_id : str
        The plan to rehearse.
    document : SceneDocument
        The scene.
    forecast : Forecast
        Drives both runs (start time, boundaries, initial state).
    out_dir : Path
        Gets ``without/``, ``with/``, ``difference_max_depth.tif`` and ``comparison.json``.
    event_time : datetime, optional
        T, which the actions' times count from; the forecast's start by default.
    plugin : str, optional
        Use this plugin's setup instead of the first installed one.
    timeout_s : float, optional
        Wall-clock limit of each run.
    feedback : Feedback, optional
        Gets the progress of the two runs; cancelling it cancels both and raises
        ``OperationCancelledError``.
    """
    plan = library.plan(plan_id)
    spec = library.rehearsal_of(plan)
    setup = choose_setup(library, plan, plugin)
    base = _base(setup, document)
    start = forecast.issued
    event = event_time or start
    changes, modelled, missing = action_parameters(plan, setup.plugin, event, start)
    out_dir = Path(out_dir).resolve()
    parameters = {"without": base, "with": {**base, **changes}}
    duration = min(spec.duration_h, float(forecast.hours[-1]))
    runs = {}
    for variant in VARIANTS:
        rehearsal = forecast_rehearsal(forecast, document, setup.plugin, parameters[variant],
                                       out_dir=out_dir / variant, duration_h=duration,
                                       output_interval_min=spec.output_interval_min,
                                       mapping=setup.boundaries)
        runs[variant] = RehearsalRun(rehearsal.record, rehearsal.config, timeout_s=timeout_s)
    for run in runs.values():
        run.start()
    while not all(run.done for run in runs.values()):
        for run in runs.values():
            run.poll(0.05)
        if feedback is not None:
            fraction = sum(run.fraction for run in runs.values()) / len(runs)
            try:
                feedback.step(fraction, f"plan {plan.id}: with and without its actions")
            except OperationCancelledError:
                for run in runs.values():
                    run.cancel()
                for run in runs.values():
                    run.wait(30)
                raise
        time.sleep(0.05)
    results: dict[str, RunResult] = {k: r.result for k, r in runs.items()}  # type: ignore[misc]
    comparison = PlanComparison(
        plan, setup.plugin, event, {k: str(r.run_dir) for k, r in results.items()},
        {k: r.state.value for k, r in results.items()}, parameters, modelled=modelled,
        not_modelled=missing)
    if comparison.ok:
        _compare(comparison, document, spec.places or _gauges(document), out_dir)
    (out_dir / "comparison.json").write_text(
        json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2, default=str),
        encoding="utf-8")
    logger.info("plan %s rehearsed with %s: %s", plan.id, setup.plugin, comparison.states)
    return comparison


def _base(setup: Setup, document: SceneDocument) -> dict[str, ParamValue]:
    base: dict[str, ParamValue] = {}
    if setup.scenario is not None:
        found = [s for s in document.spec.scenarios if s.id == setup.scenario]
        if not found:
            raise InputError(f"scene {document.spec.id} has no scenario {setup.scenario!r}")
        base.update(found[0].parameters)
    base.update(setup.base)
    return base


def _gauges(document: SceneDocument) -> list[str]:
    return [s.id for s in document.spec.sensors if s.kind.value == "water_level"]


def _compare(comparison: PlanComparison, document: SceneDocument, places: list[str],
             out_dir: Path) -> None:
    from twin_app.io import results
    from twin_app.sim.playback import Playback
    from twin_app.sim.session import depth_output_of

    depth_variable, wet = depth_output_of(find_plugin(comparison.plugin))
    sensors = {s.id: s for s in document.spec.sensors}
    maxima = {}
    for variant in VARIANTS:
        playback = Playback.open(Path(comparison.run_dirs[variant]), depth_variable, wet)
        depth = playback.max_depth()
        maxima[variant] = depth
        cell = playback.grid.spacing[0] * playback.grid.spacing[1]
        flooded = (depth > wet) & playback.dry_at_start()  # rivers and the sea are not flooding
        metric: dict[str, Any] = {"flooded_area_m2": float(flooded.sum() * abs(cell)),
                                  "max_depth_m": float(depth.max(initial=0.0)),
                                  "peak_depth_m": {}, "hours_wet": {}, "hours_above_warning": {}}
        seconds = np.array([f.time_s for f in playback.frames])
        for place in places:
            sensor = sensors[place]
            hydrograph = playback.hydrograph(sensor.position[0], sensor.position[1])
            if hydrograph is None:
                continue
            metric["peak_depth_m"][place] = float(hydrograph.depth_m.max(initial=0.0))
            metric["hours_wet"][place] = seconds_above(seconds, hydrograph.depth_m, wet) / 3600
            levels = _levels(playback, hydrograph.node)
            warning = next((t.value for t in sensor.thresholds if t.id == "warning"), None)
            if levels is not None and warning is not None:
                metric["hours_above_warning"][place] = seconds_above(seconds, levels,
                                                                     warning) / 3600
        comparison.metrics[variant] = metric
        grid = playback.grid
    difference = (maxima["with"] - maxima["without"]).astype(np.float32)
    comparison.difference = difference
    comparison.difference_path = str(results.write_geotiff(
        out_dir / "difference_max_depth.tif", difference, grid.x(), grid.y(), crs=grid.crs,
        description="max depth with the plan minus without (m)"))


def _levels(playback: Any, node: tuple[int, int]) -> NDArray[np.float64] | None:
    """Water-surface height at a node over the frames, where the run gives it."""
    levels = []
    for index in range(len(playback.frames)):
        level = playback.level(index)
        if level is None:
            return None
        levels.append(float(level[node]) if level.ndim == 2 else float(level.reshape(-1)[0]))
    return np.asarray(levels)
