"""Operating rules of a rehearsal: gates, pumps and the river network behind storage ends.

:class:`Operator` runs between solver steps at a fixed control interval (``control_interval_s``):

* **Gates.** A gate whose ``closed_by`` parameter is true is shut from ``gate_close_time_h``
  for ``gate_closed_duration_h``.  Otherwise ``gate_rule`` decides: ``"open"`` (fully open),
  ``"closed"``, or ``"open_when_inland_higher"``: gravity drainage.  A shut gate opens when the
  level at its inland point is above the level at its outer point by ``open_margin_m``; an
  open gate shuts when the outer level gets higher.  With ``drain_to_m`` the opening eases off
  linearly over ``drain_band_m`` above that inland target (and the gate shuts at it); the
  opening is also throttled so that the orifice discharge ``cd * width * a * sqrt(2 g head)``
  does not exceed ``design_discharge_m3s``.  Gates move towards that target at
  ``hoist_speed_m_min`` (closing too), and a shut gate stays shut for ``min_dwell_min`` before
  the rule reopens it.
* **Pumps.** A station runs ``min(pumps_running, units)`` units while the gates it depends on
  (``runs_when_closed``, default all) are shut; the solver starts and stops it at its sump
  levels.
* **Storage ends.** A ``storage`` boundary stands for the river network behind a model edge: its
  level is ``inland_initial_level_m + volume / storage area``, the volume growing with the
  network's inflow (base flow and catchment runoff) and shrinking by what flows into the model.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from twin_flood.model import FloodModel
from twin_flood.series import TimeSeries
from twin_flood.setup_file import BoundarySpec, GateSpec
from twin_flood.site import Site

__all__ = ["Operator", "StorageEnd"]

logger = logging.getLogger(__name__)
G = 9.81


@dataclass
class StorageEnd:
    """A river end held at the level of the network behind it."""

    spec: BoundarySpec
    level: float
    start_level: float
    inflow: TimeSeries
    volume: float = 0.0
    taken: float = 0.0


class Operator:
    """Apply the operating rules to a model at control times.

    Parameters
    ----------
    model : FloodModel
        The model (its features named after the set-up's ids).
    site : Site
        The compiled set-up.
    parameters : mapping
        The run's parameters (``gate_rule``, ``gate_close_time_h``, ``pumps_running`` and each
        gate's ``closed_by`` flag).
    storage : list of StorageEnd
        The storage ends, already added to the model as water-level boundaries.
    """

    def __init__(self, model: FloodModel, site: Site, parameters: Mapping[str, object],
                 storage: list[StorageEnd]) -> None:
        self.model = model
        self.site = site
        self.parameters = parameters
        self.storage = storage
        self.z = np.asarray(site.raster.z, dtype=np.float64).reshape(-1)
        radius = 1.5 * site.raster.dx
        self.gate_cells: dict[str, tuple[int, int]] = {}
        for spec, _ in site.gates:
            inland, outer = site.cell_of(spec.inland_point, radius), site.cell_of(
                spec.outer_point, radius)
            if inland is None or outer is None:
                raise ValueError(f"gate {spec.id!r}: its inland or outer point is on no active "
                                 "cell; move it into the water")
            self.gate_cells[spec.id] = (inland, outer)
        self.openings = {spec.id: 0.0 for spec, _ in site.gates}
        self.moved: dict[str, float] = {}
        for spec, pump in site.pumps:  # a station starts stopped unless its sump is high
            cells = site.grid.cells_of(pump.sump)
            level = float(np.mean(self.z[cells] + model.depth.reshape(-1)[cells]))
            model.forcing.pump_running[pump.name] = level >= spec.start_level_m
        self.pump_rates = {spec.id: 0.0 for spec, _ in site.pumps}
        self.pump_discharge = 0.0
        self.last_time = 0.0
        self._pumped = 0.0

    def level_at(self, cell: int) -> float:
        """Return the water level [m] of a cell now (its ground when dry)."""
        return float(self.z[cell] + self.model.depth.reshape(-1)[cell])

    def apply(self, time: float) -> None:
        """Apply every rule at model time ``time`` [s]."""
        interval = time - self.last_time
        self._storage(time, interval)
        for spec, gate in self.site.gates:
            opening = self._gate_opening(spec, time, interval)
            if (opening > 0.0) != (self.openings[spec.id] > 0.0):
                logger.info("t = %.2f h: gate %s %s", time / 3600.0, spec.id,
                            "starts to open" if opening > 0 else "is shut")
            self.openings[spec.id] = opening
            self.model.set_value(gate.name, opening)
        running = int(self.parameters.get("pumps_running", 0))
        for spec, pump in self.site.pumps:
            needed = spec.runs_when_closed or list(self.openings)
            called = all(self.openings.get(name, 0.0) <= 0.0 for name in needed)
            rate = min(running, spec.units) * spec.unit_flow_m3s if called else 0.0
            if rate != self.pump_rates[spec.id]:
                logger.info("t = %.2f h: pump station %s %s", time / 3600.0, spec.id,
                            f"called for at {rate:.0f} m3/s" if rate else "released")
            self.pump_rates[spec.id] = rate
            self.model.set_value(pump.name, rate)
        pumped = sum(self.model.account.pumped.values())
        if interval > 0:
            self.pump_discharge = (pumped - self._pumped) / interval
        self._pumped = pumped
        self.last_time = time

    def _storage(self, time: float, interval: float) -> None:
        for end in self.storage:
            net = self.model.forcing.boundary_net.get(end.spec.id, 0.0)
            if interval > 0:
                supply = 0.5 * (end.inflow(time - interval) + end.inflow(time)) * interval
                end.volume += supply - (net - end.taken)
            end.taken = net
            end.level = end.start_level + end.volume / (end.spec.storage_km2 * 1.0e6)
            self.model.set_value(end.spec.id, end.level)

    def _gate_opening(self, spec: GateSpec, time: float, interval: float) -> float:
        """Return the gate's opening after moving it towards the rule's target for a while."""
        now = self.openings[spec.id]
        target = self._gate_target(spec, time, now > 0.0)
        if now <= 0.0 < target and (time - self.moved.get(spec.id, -math.inf)
                                     < spec.min_dwell_min * 60.0 - 1e-9):
            return 0.0
        travel = spec.hoist_speed_m_min * interval / 60.0 if interval > 0 else math.inf
        new = now + min(max(target - now, -travel), travel)
        new = round(new, 3) if new >= 0.01 else 0.0
        if (new > 0.0) != (now > 0.0):
            self.moved[spec.id] = time
        return new

    def _gate_target(self, spec: GateSpec, time: float, is_open: bool) -> float:
        close_at = float(self.parameters.get("gate_close_time_h", 0.0)) * 3600.0
        reopen_at = close_at + float(self.parameters.get("gate_closed_duration_h",
                                                         math.inf)) * 3600.0
        if (bool(self.parameters.get(spec.closed_by, False))
                and close_at - 1e-9 <= time < reopen_at - 1e-9):
            return 0.0
        rule = str(self.parameters.get("gate_rule", "open_when_inland_higher"))
        if rule == "closed":
            return 0.0
        if rule == "open":
            return spec.max_opening_m
        inland_cell, outer_cell = self.gate_cells[spec.id]
        inland, outer = self.level_at(inland_cell), self.level_at(outer_cell)
        head = inland - outer
        if head <= (0.0 if is_open else spec.open_margin_m):
            return 0.0
        opening = spec.max_opening_m
        if spec.drain_to_m is not None:  # ease off as the inland level nears the target
            opening *= min(max((inland - spec.drain_to_m) / spec.drain_band_m, 0.0), 1.0)
        if spec.design_discharge_m3s is not None:
            opening = min(opening, spec.design_discharge_m3s / (
                spec.discharge_coefficient * spec.width_m * math.sqrt(2.0 * G * head)))
        return opening

    @property
    def opening(self) -> float:
        """The largest gate opening now [m] (0 when every gate is shut or there is none)."""
        return max(self.openings.values(), default=0.0)
