"""Turn a scene scenario or a standalone case file into a checked :class:`RunConfig`.

Everything is checked against the plugin's tables *before* a run starts: unknown parameters,
units that do not convert, values out of bounds, a boundary the plugin does not take, a boundary
series with gaps or that does not cover the run.  Problems raise :class:`ScenarioError` (an
:class:`~twin_app.core.errors.InputError`) naming the file and line.

A case file (``twin-app rehearse --scenario-file CASE.toml``)::

    plugin = "twin_example"
    duration_h = 6.0
    output_interval_min = 30
    start = 2024-09-16T00:00:00+08:00      # optional: the time axis of the results
    dem = "dem.tif"                        # or: scene = "xinchuansha" (its terrain, CRS, gauges)

    [parameters]
    reservoir_constant_h = 3.0
    inflow_m3s = { value = 12000, units = "L/s" }   # converted to the table's units

    [boundaries.rainfall]
    kind = "design_storm"                  # constant | design_tide | design_storm | csv | telemetry
    total_mm = 120
    storm_duration_h = 4
    peak_time_h = 1.5

    [[points]]
    id = "P1"
    x = 650120.0
    y = 3471230.0
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from twin_app.core.errors import TwinAppError
from twin_app.core.scene_loader import SceneDocument, load_scene
from twin_app.core.toml_lines import KeyPath, index_key_lines, line_of
from twin_app.core.toml_model import TomlModelError, validate_toml
from twin_app.sim.boundaries import BoundaryError, LatestValues, build_series
from twin_app.sim.casefile import CaseFile, ScenarioError, UnitValue
from twin_app.sim.config import BoundarySeries, ProbePoint, RunConfig
from twin_app.sim.discovery import PluginRecord, find_plugin, load_tables
from twin_app.sim.tables import ParamValue, Tables
from twin_app.sim.units import UnitsError, convert

logger = logging.getLogger(__name__)

CASE_HINT = "see twin_app/sim/scenario.py for the case file format"


@dataclass(frozen=True)
class Rehearsal:
    """A checked rehearsal, ready for :class:`twin_app.sim.host.RehearsalRun`."""

    record: PluginRecord
    config: RunConfig
    source: str
    timeout_s: float | None = None


class _Where:
    """Say where a key is: the file and the line the key was written on."""

    def __init__(self, path: Path, lines: dict[KeyPath, int], prefix: KeyPath = ()) -> None:
        self.path, self.lines, self.prefix = str(path), lines, prefix

    def error(self, key: KeyPath, problem: str, hint: str | None = None) -> ScenarioError:
        full = (*self.prefix, *key)
        text = ".".join(str(part) for part in full)
        return ScenarioError(self.path, problem, line=line_of(self.lines, full), key=text,
                             hint=hint)


def check_parameters(tables: Tables, given: dict[str, ParamValue | UnitValue], where: _Where,
                     *, plugin: str, allowed: list[str] | None = None) -> dict[str, ParamValue]:
    """Return every parameter, in table units, with defaults filled in; raise on a bad one."""
    values = tables.defaults()
    for name, raw in given.items():
        info = tables.parameter(name)
        if info is None or (allowed is not None and name not in allowed):
            known = ", ".join(allowed if allowed is not None else sorted(values)) or "none"
            raise where.error(("parameters", name), f"plugin {plugin!r} has no parameter "
                              f"{name!r}", hint=f"its parameters: {known}")
        value: ParamValue = raw  # type: ignore[assignment]
        if isinstance(raw, UnitValue):
            try:
                value = ([convert(v, raw.units, info.units) for v in raw.value]
                         if isinstance(raw.value, list)
                         else convert(raw.value, raw.units, info.units))
            except UnitsError as error:
                raise where.error(("parameters", name), f"wrong units: {error}; "
                                  f"{name} is in {info.units!r}") from None
        problem = info.check(value)
        if problem:
            raise where.error(("parameters", name), f"{name} {problem}")
        values[name] = value
    return values


def _boundaries(tables: Tables, case: CaseFile, where: _Where, base: Path,
                latest: LatestValues | None) -> dict[str, BoundarySeries]:
    series: dict[str, BoundarySeries] = {}
    duration_s = case.duration_h * 3600.0
    for name, spec in case.boundaries.items():
        info = tables.boundary(name)
        if info is None:
            known = ", ".join(row.name for row in tables.boundaries) or "none"
            raise where.error(("boundaries", name), f"plugin {case.plugin!r} takes no boundary "
                              f"{name!r}", hint=f"its boundaries: {known}")
        try:
            built = build_series(name, spec, duration_s=duration_s, base=base, start=case.start,
                                 latest=latest)
        except BoundaryError as error:
            if error.file:
                raise ScenarioError(error.file, error.problem, line=error.line) from None
            raise where.error(("boundaries", name), error.problem) from None
        units = built.units or info.units
        try:
            values = [convert(v, units, info.units) for v in built.values]
        except UnitsError as error:
            raise where.error(("boundaries", name), f"wrong units: {error}; {name} is in "
                              f"{info.units!r}") from None
        series[name] = built.model_copy(update={"units": info.units, "values": values})
    missing = [row.name for row in tables.boundaries if row.required and row.name not in series]
    if missing:
        raise where.error(("boundaries",), f"plugin {case.plugin!r} needs the boundaries "
                          f"{', '.join(missing)}")
    return series


def load_case(path: Path, *, out_dir: Path, latest: LatestValues | None = None) -> Rehearsal:
    """Read and check a case file.

    Parameters
    ----------
    path : Path
        The case TOML.
    out_dir : Path
        The run folder (becomes :attr:`RunConfig.run_dir`).
    latest : callable, optional
        Gives the newest stored reading of sensors (``telemetry`` boundaries and initial state).

    Raises
    ------
    ScenarioError
        Naming the file, line and problem; also when the plugin is missing or broken.
    """
    path = Path(path).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(str(path), f"cannot be read ({error})") from None
    try:
        case, lines = validate_toml(text, CaseFile)
    except TomlModelError as error:
        issue = error.issue
        raise ScenarioError(str(path), issue.problem, line=issue.line, key=issue.key,
                            hint=CASE_HINT) from None
    where = _Where(path, lines)
    record, tables = _plugin(case.plugin, where, ("plugin",))
    allowed = record.manifest.scenario_parameters if record.manifest else None
    parameters = check_parameters(tables, case.parameters, where, plugin=case.plugin,
                                  allowed=allowed)
    boundaries = _boundaries(tables, case, where, path.parent, latest)
    scene = _scene(case.scene, where) if case.scene else None
    dem = _dem_path(case, path.parent, scene, where)
    points = [ProbePoint(id=p.id, x=p.x, y=p.y) for p in case.points]
    if dem is not None:
        bounds = _dem_bounds(dem, where, ("dem",) if case.dem else ("scene",))
        for index, point in enumerate(points):
            if not (bounds[0] <= point.x <= bounds[2] and bounds[1] <= point.y <= bounds[3]):
                raise where.error(("points", index), f"point {point.id!r} ({point.x:.1f}, "
                                  f"{point.y:.1f}) lies outside the DEM {_box(bounds)}",
                                  hint="move the point or use a DEM that covers it")
    if not points and scene is not None:
        points = _scene_points(scene)
    initial = dict(case.initial_state.values)
    if case.initial_state.telemetry:
        if latest is None:
            raise where.error(("initial_state", "telemetry"), "starting from the current state "
                              "needs the telemetry store, and none is open")
        found = latest(list(case.initial_state.telemetry))
        absent = [s for s in case.initial_state.telemetry if s not in found]
        if absent:
            raise where.error(("initial_state", "telemetry"), "the telemetry store has no "
                              f"reading of {', '.join(absent)}")
        initial.update(found)
    crs = case.crs or (scene.spec.crs.horizontal if scene else "EPSG:4549")
    config = RunConfig(plugin=case.plugin, parameters=parameters,
                       duration_s=case.duration_h * 3600.0,
                       output_interval_s=case.output_interval_min * 60.0, start_time=case.start,
                       crs=crs, dem_path=dem, boundaries=boundaries, initial_state=initial,
                       points=points, run_dir=str(Path(out_dir).resolve()),
                       scene_file=str(scene.file) if scene is not None else None)
    return Rehearsal(record=record, config=config, source=str(path), timeout_s=case.timeout_s)


def _plugin(plugin_id: str, where: _Where, key: KeyPath) -> tuple[PluginRecord, Tables]:
    try:
        record = find_plugin(plugin_id)
        if record.status != "ok":
            raise where.error(key, f"plugin {plugin_id!r} is broken: {record.reason}")
        return record, load_tables(record)
    except ScenarioError:
        raise
    except TwinAppError as error:  # PluginNotFoundError, PluginLoadError
        raise where.error(key, error.message, hint=error.hint) from None


def _scene(name: str, where: _Where) -> SceneDocument:
    try:
        return load_scene(name)
    except TwinAppError as error:
        raise where.error(("scene",), error.one_line()) from None


def _dem_path(case: CaseFile, base: Path, scene: SceneDocument | None,
              where: _Where) -> str | None:
    if case.dem:
        dem = (base / case.dem).resolve()
        if not dem.is_file():
            raise where.error(("dem",), f"the DEM {dem} does not exist")
        return str(dem)
    if scene is not None and scene.spec.terrain is not None:
        return str(scene.resolve(scene.spec.terrain.file))
    return None


def _dem_bounds(dem: str, where: _Where, key: KeyPath) -> tuple[float, float, float, float]:
    """Return the DEM's (left, bottom, right, top), or raise at ``key`` if it cannot be opened."""
    import rasterio  # only the header is read

    try:
        with rasterio.open(dem) as dataset:
            left, bottom, right, top = dataset.bounds
    except (OSError, rasterio.errors.RasterioError) as error:
        raise where.error(key, f"the DEM {dem} cannot be read ({error})",
                          hint="the DEM must be a GeoTIFF in the scene CRS") from None
    return (left, bottom, right, top)


def _box(bounds: tuple[float, float, float, float]) -> str:
    return f"(x {bounds[0]:.1f} to {bounds[2]:.1f}, y {bounds[1]:.1f} to {bounds[3]:.1f})"


def _scene_points(scene: SceneDocument) -> list[ProbePoint]:
    return [ProbePoint(id=s.id, x=s.position[0], y=s.position[1]) for s in scene.spec.sensors
            if s.kind.value == "water_level"]


def scenario_from_scene(scene: str | Path | SceneDocument, scenario_id: str, *,
                        out_dir: Path) -> Rehearsal:
    """Check a scenario of a scene (its ``[[scenarios]]`` entry) and return it ready to run.

    Raises
    ------
    ScenarioError
        If the scenario does not exist, its plugin is not installed or broken, or a parameter
        is unknown or out of bounds (naming ``scene.toml`` and the line).
    """
    document = scene if isinstance(scene, SceneDocument) else load_scene(scene)
    spec = document.spec
    ids = [s.id for s in spec.scenarios]
    if scenario_id not in ids:
        raise ScenarioError(str(document.file), f"no scenario {scenario_id!r} in scene "
                            f"{spec.id!r}", hint=f"scenarios: {', '.join(ids) or 'none'}")
    index = ids.index(scenario_id)
    scenario = spec.scenarios[index]
    lines = index_key_lines(document.file.read_text(encoding="utf-8"))
    where = _Where(document.file, lines, ("scenarios", index))
    record, tables = _plugin(scenario.plugin, where, ("plugin",))
    allowed = record.manifest.scenario_parameters if record.manifest else None
    parameters = check_parameters(tables, dict(scenario.parameters), where,
                                  plugin=scenario.plugin, allowed=allowed)
    dem = (str(document.resolve(spec.terrain.file)) if spec.terrain is not None else None)
    config = RunConfig(plugin=scenario.plugin, parameters=parameters,
                       duration_s=scenario.duration_h * 3600.0,
                       output_interval_s=scenario.output_interval_min * 60.0,
                       crs=spec.crs.horizontal, dem_path=dem, points=_scene_points(document),
                       run_dir=str(Path(out_dir).resolve()), scene_file=str(document.file))
    return Rehearsal(record=record, config=config, source=f"{document.file}#{scenario_id}")


def rehearsal_from_values(plugin_id: str, parameters: dict[str, ParamValue], *,
                          duration_h: float, output_interval_min: float, out_dir: Path,
                          scene: SceneDocument | None = None, dem_path: str | None = None,
                          start: datetime | None = None) -> Rehearsal:
    """Check values from a form (the UI's parameter dialog) and return a runnable rehearsal.

    Parameters
    ----------
    plugin_id : str
        The plugin.
    parameters : dict
        Values in the units of the plugin's table (the form shows them); others take defaults.
    duration_h, output_interval_min : float
        Run length and output interval.
    out_dir : Path
        The run folder.
    scene : SceneDocument, optional
        Gives the DEM (its terrain), the CRS and the probe points (its water-level gauges).
    dem_path : str, optional
        A DEM to use instead of the scene's.
    start : datetime, optional
        The real start time of the run (for the results' time axis).

    Raises
    ------
    ScenarioError
        Naming the parameter (``key``) and what is wrong with it.
    """
    where = _Where(Path("<form>"), {})
    if duration_h <= 0 or output_interval_min <= 0:
        raise where.error(("duration_h",), "the duration and the output interval must be "
                          "positive")
    record, tables = _plugin(plugin_id, where, ("plugin",))
    allowed = record.manifest.scenario_parameters if record.manifest else None
    values = check_parameters(tables, dict(parameters), where, plugin=plugin_id,
                              allowed=allowed)
    if dem_path is None and scene is not None and scene.spec.terrain is not None:
        dem_path = str(scene.resolve(scene.spec.terrain.file))
    config = RunConfig(plugin=plugin_id, parameters=values, duration_s=duration_h * 3600.0,
                       output_interval_s=output_interval_min * 60.0, start_time=start,
                       crs=scene.spec.crs.horizontal if scene else "EPSG:4549",
                       dem_path=dem_path, points=_scene_points(scene) if scene else [],
                       run_dir=str(Path(out_dir).resolve()),
                       scene_file=str(scene.file) if scene is not None else None)
    return Rehearsal(record=record, config=config, source="form")
