"""The seepage model as a twin_app simulation plugin (:class:`SeepageSimulation`).

The run's grid is a vertical cross-section (``GridInfo.plane = "section"``): a regular raster of
the section plane (columns along the section, rows upwards) on which the finite-element fields
are sampled for the frames; the piezometer heads are ``point`` variables at the section's
piezometers (their map positions when the section file has a ``[placement]``), the river stage,
the discharge and the largest exit gradient are scalars.

The river stage comes from the ``river_stage`` boundary when the run has one (a CSV, a series from
the telemetry store, a design tide of the case file), else from the design tide parameters.
``mode = "transient"`` steps the storage model (:class:`~twin_seepage.stepper.TransientStepper`);
``mode = "steady"`` solves a steady state at each step's stage.
"""

from __future__ import annotations

import logging
import math
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from twin_app.sim.config import RunConfig
from twin_app.sim.manifest import tables_from_manifest
from twin_app.sim.sdk import GridInfo, Simulation, SimulationError
from twin_seepage.errors import SeepageError
from twin_seepage.examples import flood_wall_section
from twin_seepage.raster import RasterSampler
from twin_seepage.results import GAMMA_W, SeepageResult
from twin_seepage.section_toml import section_from_dict
from twin_seepage.sections import Section
from twin_seepage.solver import SolverOptions
from twin_seepage.stepper import TransientStepper
from twin_seepage.transient import TransientSolver

logger = logging.getLogger(__name__)

HEAD, PRESSURE = "ground_water__total_head", "ground_water__pore_pressure"
VX, VZ = "ground_water__darcy_velocity_x", "ground_water__darcy_velocity_z"
STAGE, DISCHARGE = "river__stage", "ground_water__seepage_discharge"
GRADIENT, PIEZOMETERS = "ground_water__exit_gradient_max", "ground_water__piezometer_head"
SURGE_WIDTH_H, TIDE_PERIOD_H = 6.0, 12.42


def read_section_file(path: Path) -> tuple[Section, dict[str, Any]]:
    """Read a section TOML; return the section and its ``[placement]`` table (may be empty).

    Raises
    ------
    SimulationError
        If the file cannot be read or is not a valid section.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        section = section_from_dict(data)
        section.validate()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SimulationError(f"cannot read the section file {path}: {error}") from None
    except SeepageError as error:
        raise SimulationError(f"section file {path}: {error}",
                              hint="fix the section (see twin_seepage/section_toml.py)") from None
    return section, dict(data.get("placement", {}))


def design_tide(params: dict[str, Any], hours: np.ndarray) -> np.ndarray:
    """Return the design tide (cosine tide plus a Gaussian surge peaking at the peak level)."""
    base, tide_range = float(params["tide_base_m"]), float(params["tide_range_m"])
    peak, peak_h = float(params["tide_peak_m"]), float(params["tide_peak_time_h"])
    tide = base + tide_range / 2 * np.cos(2 * math.pi * (hours - peak_h) / TIDE_PERIOD_H)
    surge = (peak - base - tide_range / 2) * np.exp(-(((hours - peak_h) / SURGE_WIDTH_H) ** 2))
    return tide + surge


def _find(name: str, config: RunConfig) -> Path:
    """Resolve a section file: absolute, from the working folder, or from the scene folder."""
    given = Path(name).expanduser()
    candidates = [given] if given.is_absolute() else [Path.cwd() / given]
    if config.dem_path and not given.is_absolute():
        candidates += [folder / given for folder in Path(config.dem_path).resolve().parents
                       if (folder / "scene.toml").is_file()]
    for path in candidates:
        if path.is_file():
            return path
    raise SimulationError(f"section file {name!r} not found (looked in "
                          f"{', '.join(str(p.parent) for p in candidates)})",
                          hint="give an absolute path, or one relative to the working folder")


class SeepageSimulation(Simulation):
    """Seepage through a flood-wall section under a river stage (steady or transient)."""

    tables = tables_from_manifest(Path(__file__).with_name("twin_plugin.toml"))
    name = "twin_seepage flood-wall section"

    def initialize(self, config: RunConfig) -> None:
        """Read the section, mesh it, solve the initial steady state, set up the raster."""
        params = config.parameters
        placement: dict[str, Any] = {}
        if params["section_file"]:
            self.section, placement = read_section_file(_find(str(params["section_file"]),
                                                              config))
        else:
            self.section = flood_wall_section()
        self.mode = str(params["mode"])
        self.time_step = float(params["time_step_s"])
        options = SolverOptions(unconfined=bool(params["unconfined"]), lagged=True)
        try:
            self.solver = TransientSolver(self.section, size=float(params["element_size_m"]),
                                          options=options)
        except SeepageError as error:
            raise SimulationError(f"the section cannot be meshed: {error}") from None
        self.stage_series = self._stage_series(config)
        horizon = np.linspace(0.0, max(config.duration_s, self.time_step), 2001)
        lowest = float(np.min(self.stage_series(horizon)))
        first = float(self.stage_series(np.array([0.0]))[0])
        self.stepper = TransientStepper(self.solver, first, lowest)
        self.result: SeepageResult | None = None
        self.sampler = RasterSampler.build(self.solver.mesh, float(params["raster_spacing_m"]))
        spacing = float(params["raster_spacing_m"])
        line = placement.get("start", []) + placement.get("end", [])
        self.grid = GridInfo(shape=self.sampler.shape, spacing=(spacing, spacing),
                             origin=(float(self.sampler.z[0]), float(self.sampler.x[0])),
                             crs=str(placement.get("crs", config.crs)), plane="section",
                             line=tuple(float(v) for v in line) if len(line) == 4 else None)
        self.points = [(p.id, *self._map_point(p.x, p.z)) for p in self.section.piezometers]
        self._stale = True
        self._refresh()
        logger.info("section %r: %d nodes, %d elements, %s run, raster %s", self.section.name,
                    self.solver.mesh.n_nodes, len(self.solver.mesh.triangles), self.mode,
                    self.sampler.shape)

    def _stage_series(self, config: RunConfig) -> Any:
        series = config.boundaries.get("river_stage")
        if series is not None:
            logger.info("river stage from %s", series.source or "the river_stage boundary")
            times, values = np.asarray(series.times_s), np.asarray(series.values)
            return lambda t: np.interp(t, times, values)
        params = dict(config.parameters)
        return lambda t: design_tide(params, np.asarray(t, dtype=np.float64) / 3600.0)

    def _map_point(self, x: float, z: float) -> tuple[float, float]:
        """Return the map point of section distance ``x`` (section coordinates if not placed)."""
        if self.grid is None or self.grid.line is None:
            return (x, z)
        x0, y0, x1, y1 = self.grid.line
        length = math.hypot(x1 - x0, y1 - y0)
        return (x0 + (x1 - x0) * x / length, y0 + (y1 - y0) * x / length)

    def update(self) -> None:
        """Advance one time step (a steady solve at the new stage in steady mode)."""
        dt = self.time_step
        stage = float(self.stage_series(np.array([self.time + dt]))[0])
        try:
            if self.mode == "steady":
                self.result = self.solver.solve(stage, initial=self.stepper.head)
                self.stepper.head = self.result.head
                self.stepper.stage = stage
                self.stepper.discharge = self.result.discharge
            else:
                self.stepper.step(stage, dt)
                self.result = None
        except SeepageError as error:
            raise SimulationError(f"at {self.time + dt:g} s: {error}",
                                  hint="try a smaller time_step_s or element_size_m") from None
        self.time += dt
        self._stale = True

    def get_value(self, name: str) -> np.ndarray:
        """Return a variable's array, sampling the fields first if the model moved on."""
        self._refresh()
        return super().get_value(name)

    def _refresh(self) -> None:
        if not self._stale:
            return
        result = self.result if self.result is not None else self.stepper.result()
        sampler = self.sampler
        head = sampler.nodal(result.head)
        z = np.broadcast_to(sampler.z[:, None], head.shape)
        values = {HEAD: head, PRESSURE: GAMMA_W * (head - z),
                  VX: sampler.elemental(result.velocity[:, 0]),
                  VZ: sampler.elemental(result.velocity[:, 1]),
                  STAGE: np.array([self.stepper.stage]),
                  DISCHARGE: np.array([result.discharge]),
                  GRADIENT: np.array([max(result.exit_gradients().max()[0], 0.0)]),
                  PIEZOMETERS: (result.head_at([[p.x, p.z] for p in self.section.piezometers])
                                if self.section.piezometers else np.empty(0))}
        for name, array in values.items():
            target = self.fields.get(name)
            if target is not None and target.shape == array.shape:
                target[...] = array
            else:
                self.fields[name] = np.array(array, dtype=np.float64)
        self._stale = False

    def finalize(self) -> None:
        """Nothing to release (harmless twice)."""
