"""The flood solver as a twin_app simulation plugin (``twin_flood.plugin:FloodSimulation``).

The platform (:mod:`twin_app.sim`) gives a checked :class:`~twin_app.sim.config.RunConfig`;
this class reads the DEM at ``cell_size_m``, the scene's hydraulic set-up (``flood.toml`` next
to ``scene.toml``, see :mod:`twin_flood.setup_file`), turns the scenario parameters into
boundary series (:mod:`twin_flood.design`), builds a :class:`twin_flood.FloodModel` and runs it
with the operating rules of :mod:`twin_flood.operation`.

Grids: the solver's arrays are north-up (row 0 north, origin the outer north-west corner); the
platform's :class:`~twin_app.sim.sdk.GridInfo` has row 0 south and its origin at the centre of
the south-west cell, so every output field is the solver's array flipped upside down.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.sim.config import RunConfig
from twin_app.sim.manifest import tables_from_manifest
from twin_app.sim.sdk import GridInfo, Simulation, SimulationError
from twin_flood.errors import FloodError, FloodInputError
from twin_flood.model import FloodModel
from twin_flood.operation import Operator
from twin_flood.site import Site, SiteError, build_site
from twin_flood.wiring import Forcings, initial_depth, make_forcings

__all__ = ["FloodSimulation"]

logger = logging.getLogger(__name__)

CHECKPOINT_EVERY = 50
"""Solver steps between progress / cancel checkpoints."""
NODE_FIELDS = ("topographic__elevation", "surface_water__depth", "water_surface__elevation")


class FloodSimulation(Simulation):
    """2-D local-inertial flood rehearsal on a scene (or a bare DEM)."""

    tables = tables_from_manifest(Path(__file__).with_name("twin_plugin.toml"))
    name = "twin_flood local-inertial flood model"

    def __init__(self) -> None:
        super().__init__()
        self.model: FloodModel | None = None
        self.site: Site | None = None
        self.operator: Operator | None = None
        self.forcings: Forcings | None = None
        self._until: float | None = None
        self._next_control = 0.0
        self._stale = True
        self._probe_cells: list[int | None] = []
        self._finalized = False
        self._ground: NDArray[np.float64] = np.zeros((0, 0))
        self._interval = 60.0

    # -- set-up --------------------------------------------------------------------------------
    def initialize(self, config: RunConfig) -> None:
        """Build the model from the configuration (DEM, scene set-up, parameters, boundaries).

        Raises
        ------
        SimulationError
            If the DEM is missing or does not fit the set-up, or the solver refuses an input;
            the message says what and where, before any step runs.
        """
        params: dict[str, Any] = {**self.tables.defaults(), **config.parameters}
        if not config.dem_path:
            raise SimulationError("the flood model runs on a DEM and the run has none",
                                  hint="run a scene scenario, or give 'dem' in the case file")
        scene, setup = _scene_setup(config.scene_file)
        try:
            site = build_site(config.dem_path, float(params["cell_size_m"]), setup, scene,
                              outer_edge=str(params["outer_edge"]))
            forcings = make_forcings(site, setup, params, config)
            depth = initial_depth(site, setup, params, forcings)
            z = np.where(site.active, site.raster.z, np.nan)
            self.model = FloodModel(
                z, site.raster.dx, origin=(site.raster.x_west, site.raster.y_north),
                parameters={"alpha": float(params["alpha"]), "theta": float(params["theta"]),
                            "dtype": str(params["dtype"])},
                manning=site.manning, initial_depth=depth, features=forcings.features,
                nodata="inactive")
            self.model.check(config.duration_s)
            self.operator = Operator(self.model, site, params, forcings.storage)
        except (SiteError, FloodInputError, ValueError) as error:
            where = f" ({Path(config.scene_file).with_name('flood.toml')})" \
                if setup is not None and config.scene_file else ""
            raise SimulationError(f"twin_flood cannot set up the run{where}: {error}",
                                  hint="check the DEM and the scene's flood.toml") from None
        self.site, self.forcings = site, forcings
        full = site.full if site.full is not None else site.raster
        rows, cols = full.shape
        dx = full.dx
        self.grid = GridInfo(shape=(rows, cols), spacing=(dx, dx),
                             origin=(full.y_north - (rows - 0.5) * dx, full.x_west + 0.5 * dx),
                             crs=config.crs)
        self._probe_cells = [site.cell_of((x, y), 1.5 * dx) for _, x, y in self.points]
        for (point_id, x, y), cell in zip(self.points, self._probe_cells, strict=True):
            if cell is None:
                logger.warning("probe point %s (%.1f, %.1f) is off the model", point_id, x, y)
        self._ground = np.nan_to_num(full.z, nan=0.0)
        ground = np.ascontiguousarray(self._ground[::-1], dtype=np.float32)
        self.fields = {"topographic__elevation": ground,
                       "surface_water__depth": np.zeros((rows, cols), np.float32),
                       "water_surface__elevation": ground.copy(),
                       "outer_water_surface__elevation": np.full(1, np.nan),
                       "gate__opening_height": np.zeros(1),
                       "pump_station__discharge": np.zeros(1),
                       "atmosphere_water__rainfall_rate": np.zeros(1),
                       "surface_water__volume": np.zeros(1)}
        if self.points:
            self.fields["point_water_surface__elevation"] = np.full(len(self.points), np.nan)
        self.time = 0.0
        self.time_step = float(self.model.parameters.max_dt)
        self._interval = float(params["control_interval_s"])
        self._control()
        self._sync()
        logger.info("twin_flood: %d x %d cells of %.3g m (%d active), %d walls, %d gates, "
                    "%d pump stations, boundaries %s", rows, cols, dx, int(site.active.sum()),
                    len(site.walls), len(site.gates), len(site.pumps),
                    ", ".join(site.boundary_masks) or "none")

    # -- running -------------------------------------------------------------------------------
    def _control(self) -> None:
        assert self.operator is not None
        self.operator.apply(self.time)
        while self._next_control <= self.time + 1e-9:
            self._next_control += self._interval

    def update(self) -> None:
        """Take one solver step (applying the operating rules when they are due)."""
        assert self.model is not None
        if self.time >= self._next_control - 1e-9:
            self._control()
        target = self._next_control if self._until is None else min(self._until,
                                                                     self._next_control)
        try:
            self.model.step(until=target)
        except FloodError as error:
            raise SimulationError(f"twin_flood stopped at t = {self.model.time:.0f} s: {error}",
                                  hint="a smaller alpha or a larger cell_size_m may help") from None
        self.time = self.model.time
        self.time_step = self.model.dt
        self._stale = True

    def update_until(self, time: float) -> None:
        """Advance to ``time`` seconds, calling :meth:`checkpoint` every few steps."""
        self._until = float(time)
        try:
            steps = 0
            while self.time < time - 1e-9 * max(1.0, time):
                self.update()
                steps += 1
                if steps % CHECKPOINT_EVERY == 0:
                    self.checkpoint()
        finally:
            self._until = None
        self.checkpoint()

    # -- outputs -------------------------------------------------------------------------------
    def get_value(self, name: str) -> NDArray[Any]:
        """Return variable ``name`` (brought up to date first)."""
        if self._stale and self.model is not None:
            self._sync()
        return super().get_value(name)

    def _sync(self) -> None:
        model, site, operator = self.model, self.site, self.operator
        if model is None or site is None or operator is None:
            raise SimulationError("twin_flood: initialize() has not run")
        outer = self.forcings.outer_level(model.time) if self.forcings else math.nan
        depth = np.zeros_like(self._ground)
        shown = site.full_outer_shown if site.full_outer_shown is not None else site.outer_shown
        if shown.any() and math.isfinite(outer):
            depth[shown] = np.maximum(outer - self._ground[shown], 0.0)
        inside = model.get_value("depth")
        window = depth[site.window]
        window[site.active] = inside[site.active]
        self.fields["surface_water__depth"][...] = depth[::-1]
        self.fields["water_surface__elevation"][...] = (self._ground + depth)[::-1]
        flat = (self._ground[site.window] + window).reshape(-1)
        if self.points:
            self.fields["point_water_surface__elevation"][...] = [
                math.nan if cell is None else float(flat[cell]) for cell in self._probe_cells]
        self.fields["outer_water_surface__elevation"][0] = outer
        self.fields["gate__opening_height"][0] = operator.opening
        self.fields["pump_station__discharge"][0] = operator.pump_discharge
        self.fields["atmosphere_water__rainfall_rate"][0] = (
            self.forcings.rain_mm_h(model.time) if self.forcings else 0.0)
        self.fields["surface_water__volume"][0] = model.mass_balance().stored
        self._stale = False

    def mass_balance_error(self) -> float | None:
        """Return ``|stored - (initial + in - out)| / (initial + in)`` of the run so far."""
        if self.model is None:
            return None
        return abs(self.model.mass_balance().relative_error)

    def finalize(self) -> None:
        """Log the water balance; harmless twice."""
        if self.model is not None and not self._finalized:
            self._finalized = True
            balance = self.model.mass_balance()
            logger.info("twin_flood balance: in %.4g m3 (rain %.4g, boundaries %.4g), out %.4g "
                        "m3, pumped %s, stored %.4g m3, relative error %.2e",
                        balance.volume_in, balance.rain, balance.boundary_in,
                        balance.volume_out, {k: round(v) for k, v in balance.pumped.items()},
                        balance.stored, balance.relative_error)


def _scene_setup(scene_file: str | None) -> tuple[Any, Any]:
    """Return the scene document and its flood set-up (``None`` where there is none)."""
    if not scene_file:
        return None, None
    from twin_app.core.scene_loader import load_scene
    from twin_flood.setup_file import FLOOD_FILE, load_setup

    scene = load_scene(Path(scene_file))
    path = scene.folder / FLOOD_FILE
    if not path.is_file():
        logger.warning("scene %s has no %s: the flood model runs on its bare DEM (no gates, "
                       "walls or tide)", scene.spec.id, FLOOD_FILE)
        return scene, None
    return scene, load_setup(path)
