"""Turn an ensemble spec into runnable member tasks, checked before anything is sent out.

The base is a scene scenario (its plugin, duration and parameters) or a plugin with its
defaults; ``spec.base`` goes on top, then each member's draws.  Every member's parameters are
checked against the plugin's table here, so a member with an impossible value fails at once
(reported, left out) instead of on a worker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from twin_app.core.errors import InputError, TwinAppError
from twin_app.core.scene import SensorKind
from twin_app.core.scene_loader import SceneDocument
from twin_app.ensemble.member import MemberOutcome, MemberTask
from twin_app.ensemble.spec import EnsembleSpec, Member, sample_members
from twin_app.sim.config import BoundarySeries
from twin_app.sim.discovery import find_plugin, load_tables
from twin_app.sim.scenario import ScenarioError, rehearsal_from_values
from twin_app.sim.tables import ParamValue

logger = logging.getLogger(__name__)


@dataclass
class EnsemblePlan:
    """An ensemble ready to run: its member tasks and what the aggregate needs."""

    id: str
    plugin: str
    scene: str | None
    seed: int
    out_dir: Path
    members: list[Member]
    tasks: list[MemberTask]
    invalid: list[MemberOutcome] = field(default_factory=list)
    threshold_m: float = 0.05
    percentiles: list[float] = field(default_factory=lambda: [10.0, 50.0, 90.0])
    points: list[tuple[str, float, float]] = field(default_factory=list)


def prepare_ensemble(spec: EnsembleSpec, *, out_dir: Path, scene: SceneDocument | None = None,
                     members: int | None = None, start: datetime | None = None,
                     dem_path: str | None = None,
                     boundaries: dict[str, BoundarySeries] | None = None,
                     base_overrides: dict[str, ParamValue] | None = None) -> EnsemblePlan:
    """Sample the members of ``spec`` and check them.

    Parameters
    ----------
    spec : EnsembleSpec
        The ensemble.
    out_dir : Path
        Where members' run folders (``members/mNNNN``) and the aggregate go.  On a cluster it
        must be a path every worker can write.
    scene : SceneDocument, optional
        The scene (needed for a scenario base; gives the DEM, CRS and gauges).
    members : int, optional
        How many to sample (overrides ``spec.members``).
    start : datetime, optional
        Real start time of every member (the results' time axis).
    dem_path : str, optional
        A DEM instead of the scene's.
    boundaries : dict, optional
        Boundary series shared by every member (e.g. from a forecast).
    base_overrides : dict, optional
        Parameter values on top of the spec's base (from the command line).

    Raises
    ------
    InputError
        If the scenario or plugin is unknown, or the base itself is not valid.
    """
    plugin, duration_h, interval_min, base = _base(spec, scene)
    base.update(spec.base)
    base.update(base_overrides or {})
    record = find_plugin(plugin)
    if record.status != "ok":
        raise InputError(f"plugin {plugin!r} is broken: {record.reason}")
    tables = load_tables(record)
    values = {**tables.defaults(), **base}
    out_dir = Path(out_dir).resolve()
    try:
        rehearsal_from_values(plugin, base, duration_h=duration_h,
                              output_interval_min=interval_min, out_dir=out_dir / "base",
                              scene=scene, dem_path=dem_path)
    except ScenarioError as error:
        raise InputError(f"the ensemble's base is not valid: {error.one_line()}") from None
    sampled = sample_members(spec, values, tables, members)
    threshold = spec.wet_threshold_m
    if threshold is None:
        outputs = record.manifest.outputs if record.manifest else None
        threshold = outputs.wet_threshold_m if outputs else 0.05
    points = [(p.id, p.x, p.y) for p in spec.points] or _gauges(scene)
    series = {k: v.model_dump(mode="json") for k, v in (boundaries or {}).items()}
    tasks, invalid = [], []
    for member in sampled:
        problem = _check(plugin, member.parameters, scene, dem_path)
        if problem:
            invalid.append(MemberOutcome(member.index, "failed", f"invalid member: {problem}"))
            continue
        tasks.append(MemberTask(
            ensemble_id=_ensemble_key(spec.id, out_dir), index=member.index, plugin=plugin,
            parameters=member.parameters, duration_h=duration_h,
            output_interval_min=interval_min, run_dir=str(out_dir / "members" /
                                                          f"m{member.index:04d}"),
            scene=str(scene.file) if scene is not None else None, dem_path=dem_path,
            start=start, points=tuple(points), wet_threshold_m=threshold,
            timeout_s=spec.member_timeout_s, boundaries=series))
    for outcome in invalid:
        logger.warning("ensemble %s: member %d %s", spec.id, outcome.index, outcome.message)
    return EnsemblePlan(_ensemble_key(spec.id, out_dir), plugin,
                        scene.spec.id if scene is not None else None, spec.seed, out_dir,
                        sampled, tasks, invalid, threshold, list(spec.percentiles), points)


def _base(spec: EnsembleSpec, scene: SceneDocument | None
          ) -> tuple[str, float, float, dict[str, ParamValue]]:
    if spec.scenario is not None:
        if scene is None:
            raise InputError(f"ensemble {spec.id}: scenario {spec.scenario!r} needs its scene")
        found = [s for s in scene.spec.scenarios if s.id == spec.scenario]
        if not found:
            ids = ", ".join(s.id for s in scene.spec.scenarios) or "none"
            raise InputError(f"scene {scene.spec.id} has no scenario {spec.scenario!r}",
                             hint=f"scenarios: {ids}")
        scenario = found[0]
        return (scenario.plugin, spec.duration_h or scenario.duration_h,
                spec.output_interval_min or scenario.output_interval_min,
                dict(scenario.parameters))
    assert spec.plugin is not None  # the spec's validator
    assert spec.duration_h is not None
    return spec.plugin, spec.duration_h, spec.output_interval_min or 30.0, {}


def _check(plugin: str, parameters: dict[str, ParamValue], scene: SceneDocument | None,
           dem_path: str | None) -> str:
    try:
        rehearsal_from_values(plugin, parameters, duration_h=1.0, output_interval_min=60.0,
                              out_dir=Path(), scene=scene, dem_path=dem_path)
    except TwinAppError as error:
        return error.one_line()
    return ""


def _gauges(scene: SceneDocument | None) -> list[tuple[str, float, float]]:
    if scene is None:
        return []
    return [(s.id, s.position[0], s.position[1]) for s in scene.spec.sensors
            if s.kind is SensorKind.WATER_LEVEL]


def _ensemble_key(spec_id: str, out_dir: Path) -> str:
    """Return a name unique to this ensemble run (for Dask task keys and event names)."""
    import hashlib

    return f"{spec_id}-{hashlib.sha1(str(out_dir).encode()).hexdigest()[:8]}"
