"""Turn scenario parameters and boundary series into solver features and a starting state.

* The outer level: the run's ``outer_level`` boundary series if given, else the design tide
  (:func:`twin_flood.design.design_tide` from ``base_level_m``, ``tide_range_m``,
  ``peak_level_m``, ``peak_time_h``, ``surge_duration_h``), held on every ``outer`` boundary.
* Rain: the ``rainfall`` series if given, else the design storm (``rainfall_*``), on the whole
  model and on each storage end's catchment.
* Storage ends: held at the level of the network behind them, which starts at
  ``inland_initial_level_m`` and is moved by :class:`twin_flood.operation.Operator`; their
  inflow is ``inflow_share`` of ``upstream_inflow_m3s`` (or the ``upstream_inflow`` series)
  plus the catchment's routed runoff.
* Fixed boundaries: a constant level, present when their ``enabled_by`` flag is true.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.sim.config import BoundarySeries, RunConfig
from twin_flood.design import catchment_runoff, design_storm, design_tide, sample_times
from twin_flood.features import Feature, Rainfall, WaterLevelBoundary
from twin_flood.operation import StorageEnd
from twin_flood.series import TimeSeries
from twin_flood.setup_file import FloodSetup
from twin_flood.site import Site, SiteError, feature_list

__all__ = ["Forcings", "initial_depth", "make_forcings"]

logger = logging.getLogger(__name__)

STEP_S = 300.0
"""Sampling interval of generated series [s]."""


@dataclass
class Forcings:
    """The run's features and the series the outputs report."""

    features: list[Feature] = field(default_factory=list)
    storage: list[StorageEnd] = field(default_factory=list)
    outer: TimeSeries | None = None
    rain: TimeSeries | None = None

    def outer_level(self, time: float) -> float:
        """Return the outer level at ``time`` [m] (NaN when no boundary holds it)."""
        return self.outer(time) if self.outer is not None else math.nan

    def rain_mm_h(self, time: float) -> float:
        """Return the rain intensity at ``time`` [mm/h]."""
        return self.rain(time) * 3.6e6 if self.rain is not None else 0.0


def _sampled(series: BoundarySeries, duration_s: float) -> tuple[NDArray[np.float64], ...]:
    """Return a run boundary series on ``[0, duration]`` (held beyond its ends)."""
    known = np.asarray(series.times_s, dtype=np.float64)
    times = np.union1d(sample_times(duration_s, STEP_S),
                       known[(known > 0.0) & (known < duration_s)])
    return times, np.interp(times, known, np.asarray(series.values, dtype=np.float64))


def _flag(params: Mapping[str, Any], name: str, what: str) -> bool:
    if name not in params or not isinstance(params[name], bool):
        raise SiteError(f"{what} names {name!r}, which is not a true/false parameter of the "
                        "flood plugin")
    return bool(params[name])


def make_forcings(site: Site, setup: FloodSetup | None, params: Mapping[str, Any],
                  config: RunConfig) -> Forcings:
    """Return the features of the run (boundaries, rain, structures) and its series.

    Raises
    ------
    SiteError
        If the set-up names a parameter the plugin does not have.
    """
    duration = config.duration_s
    given = config.boundaries
    forcings = Forcings()
    if "outer_level" in given:
        times, levels = _sampled(given["outer_level"], duration)
    else:
        times, levels = design_tide(
            duration, mean_m=float(params["base_level_m"]), range_m=float(params["tide_range_m"]),
            peak_m=float(params["peak_level_m"]), peak_time_h=float(params["peak_time_h"]),
            surge_duration_h=float(params["surge_duration_h"]), step_s=STEP_S)
    outer = TimeSeries(times, levels, "m", "level", name="outer level")
    if "rainfall" in given:
        rain_t, rain_v = _sampled(given["rainfall"], duration)
    else:
        rain_t, rain_v = design_storm(
            duration, total_mm=float(params["rainfall_total_mm"]),
            peak_mm_h=float(params["rainfall_peak_mm_h"]),
            storm_duration_h=float(params["rainfall_duration_h"]),
            peak_time_h=float(params["rainfall_peak_time_h"]), step_s=STEP_S)
    if np.any(rain_v > 0.0):
        forcings.rain = TimeSeries(rain_t, np.maximum(rain_v, 0.0), "mm/h", "rain_rate",
                                   name="rainfall")
        forcings.features.append(Rainfall("rainfall", series=forcings.rain))
    if "upstream_inflow" in given:
        base_t, base_v = _sampled(given["upstream_inflow"], duration)
        base = np.interp(rain_t, base_t, base_v)
    else:
        base = np.full(rain_t.shape, float(params["upstream_inflow_m3s"]))
    specs = setup.boundaries if setup is not None else []
    for spec in specs:
        mask = site.boundary_masks[spec.id]
        if spec.kind == "outer":
            forcings.outer = outer
            forcings.features.append(WaterLevelBoundary(spec.id, series=outer, mask=mask))
        elif spec.kind == "fixed":
            if spec.enabled_by and not _flag(params, spec.enabled_by, f"boundary {spec.id!r}"):
                logger.info("boundary %s is off (%s = false)", spec.id, spec.enabled_by)
                continue
            level = TimeSeries.constant(float(spec.level_m or 0.0), "m", "level", name=spec.id)
            forcings.features.append(WaterLevelBoundary(spec.id, series=level, mask=mask))
        else:
            _, runoff = catchment_runoff(rain_t, rain_v, area_km2=spec.catchment_km2,
                                         coefficient=spec.runoff_coefficient,
                                         lag_h=spec.runoff_lag_h, base_m3s=0.0)
            inflow = TimeSeries(rain_t, spec.inflow_share * base + runoff, "m3/s", "discharge",
                                name=f"{spec.id} inflow")
            start = float(params["inland_initial_level_m"])
            forcings.storage.append(StorageEnd(spec, start, start, inflow))
            forcings.features.append(WaterLevelBoundary(
                spec.id, series=TimeSeries.constant(start, "m", "level", name=spec.id),
                mask=mask))
    if setup is None and "outer" in site.boundary_masks:
        forcings.outer = outer
        forcings.features.append(WaterLevelBoundary("outer", series=outer,
                                                    mask=site.boundary_masks["outer"]))
    if "upstream_inflow" in given and not forcings.storage:
        logger.warning("the upstream_inflow series is not used: the set-up has no storage end")
    if setup is not None:
        for spec, _ in site.gates:
            _flag(params, spec.closed_by, f"gate {spec.id!r} closed_by")
    forcings.features += feature_list(site)
    return forcings


def initial_depth(site: Site, setup: FloodSetup | None, params: Mapping[str, Any],
                  forcings: Forcings) -> NDArray[np.float64]:
    """Return the starting depth: inland water at its level, outer water at the outer level.

    Inland water is every cell below ``inland_initial_level_m`` connected (past no wall or
    gate) to the set-up's inland points or storage ends; outer water every other cell below
    the outer level at t = 0 connected to an outer boundary.

    Raises
    ------
    SiteError
        If an inland point is on no active cell.
    """
    z = site.raster.z
    depth = np.zeros(site.raster.shape)
    taken = np.zeros(site.raster.shape, dtype=bool)
    if setup is not None:
        seeds = np.zeros_like(taken)
        for point in setup.initial.inland_points:
            cell = site.cell_of(point, 1.5 * site.raster.dx)
            if cell is None:
                raise SiteError(f"initial inland point {point} is on no active cell")
            seeds.reshape(-1)[cell] = True
        for end in forcings.storage:
            seeds |= site.boundary_masks[end.spec.id]
        level = float(params["inland_initial_level_m"])
        inland = site.fill(seeds, level)
        depth[inland] = level - z[inland]
        taken |= inland
    if forcings.outer is not None:
        level = forcings.outer(0.0)
        held = [mask for name, mask in site.boundary_masks.items()
                if name == "outer" or any(s.id == name and s.kind == "outer"
                                           for s in (setup.boundaries if setup else []))]
        seeds = np.logical_or.reduce(held) if held else np.zeros_like(taken)
        outer = site.fill(seeds, level, taken)
        depth[outer] = level - z[outer]
    return depth
