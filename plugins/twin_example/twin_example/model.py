"""A linear reservoir that fills the scene DEM from its lowest point (a bathtub level model).

Rain over the grid and inflow go into one store of volume ``V``; it drains at ``V / K``.  The
store is spread over the terrain as a flat water surface: the level ``L`` solves
``V = A * sum(max(L - z, 0))`` over the grid cells.  The implicit update
``V' = (V + dt * (R + I)) / (1 + dt / K)`` is stable for any step and conserves mass to round-off.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from twin_app.sim.config import RunConfig
from twin_app.sim.manifest import tables_from_manifest
from twin_app.sim.sdk import Simulation, SimulationError, grid_from_dem

logger = logging.getLogger(__name__)


class LinearReservoir(Simulation):
    """Bathtub water level of a linear reservoir on the scene DEM."""

    tables = tables_from_manifest(Path(__file__).with_name("twin_plugin.toml"))
    name = "twin_example linear reservoir"

    def initialize(self, config: RunConfig) -> None:
        """Read the DEM (coarsened), start dry."""
        params = config.parameters
        self.grid, ground = grid_from_dem(config.dem_path, every=int(params["coarsen"]),
                                          crs=config.crs)
        valid = np.isfinite(ground)
        if not valid.any():
            raise SimulationError("the DEM has no valid cell", hint="check the terrain file")
        self.cell_area = self.grid.spacing[0] * self.grid.spacing[1]
        self.ground = ground
        self.sorted_z = np.sort(ground[valid])
        self.below = np.concatenate(([0.0], np.cumsum(self.sorted_z)[:-1]))
        counts = np.arange(self.sorted_z.size)
        self.volume_at_node = self.cell_area * (counts * self.sorted_z - self.below)
        self.catchment_m2 = self.cell_area * self.sorted_z.size
        self.constant_s = float(params["reservoir_constant_h"]) * 3600.0
        self.time_step = float(params["time_step_s"])
        self.volume = 0.0
        self.volume_in = 0.0
        self.volume_out = 0.0
        self.fields["topographic__elevation"] = ground
        self.fields["water_inflow__extra_rate"] = np.zeros(1)
        self._store()

    def level(self, volume: float) -> float:
        """Return the water level holding ``volume`` m3 (the lowest ground when empty)."""
        if volume <= 0.0:
            return float(self.sorted_z[0])
        wet = int(np.searchsorted(self.volume_at_node, volume, side="right"))
        return float((volume / self.cell_area + self.below[wet - 1] + self.sorted_z[wet - 1])
                     / wet)

    def _store(self) -> None:
        level = self.level(self.volume)
        depth = np.where(np.isfinite(self.ground), np.maximum(level - self.ground, 0.0), 0.0)
        if self.volume <= 0.0:
            depth[:] = 0.0
        self.fields["surface_water__depth"] = depth
        self.fields["water_surface__elevation"] = np.array([level])
        self.fields["surface_water__volume"] = np.array([self.volume])

    def inflow_rate(self) -> float:
        """Return rain plus inflow now, in m3/s."""
        params = self.config.parameters if self.config else {}
        rain = self.boundary("rainfall", default=float(params.get("rainfall_mm_h", 0.0)))
        inflow = self.boundary("inflow", default=float(params.get("inflow_m3s", 0.0)))
        extra = float(self.fields["water_inflow__extra_rate"][0])
        return rain / 1000.0 / 3600.0 * self.catchment_m2 + inflow + extra

    def update(self) -> None:
        """Advance one (implicit) step."""
        dt = self.time_step
        supply = dt * self.inflow_rate()
        new = (self.volume + supply) / (1.0 + dt / self.constant_s)
        self.volume_in += supply
        self.volume_out += dt * new / self.constant_s
        self.volume = new
        self.time += dt
        self._store()

    def mass_balance_error(self) -> float | None:
        """Return (stored - (in - out)) relative to the water that came in."""
        if self.volume_in <= 0.0:
            return 0.0
        return abs(self.volume - (self.volume_in - self.volume_out)) / self.volume_in
