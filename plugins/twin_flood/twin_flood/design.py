"""Design events from scenario parameters: outer tide with a storm surge, a storm, runoff.

Pure numpy (no platform import); every function returns ``(times_s, values)`` sampled on a
regular grid from 0 to the end of the run, ready for :class:`twin_flood.TimeSeries`.

* :func:`design_tide` - an astronomical tide (the M2 constituent, period 12.42 h, swinging
  ``range / 2`` about a mean level) with a high water at the peak time, plus a storm-surge hump
  (a Gaussian whose width at half height is the surge duration) that lifts that high water to
  the peak level.
* :func:`design_storm` - a triangular hyetograph of a given total depth, from its peak
  intensity (base ``2 total / peak``) or its duration (peak ``2 total / duration``).
* :func:`catchment_runoff` - rain on a catchment, times a runoff coefficient, routed through a
  linear reservoir (storage constant = lag), plus a base flow.
"""

from __future__ import annotations

import logging
import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["M2_PERIOD_H", "catchment_runoff", "design_storm", "design_tide", "sample_times"]

logger = logging.getLogger(__name__)

M2_PERIOD_H = 12.42
"""Period of the principal lunar semi-diurnal constituent M2 [h]."""

Series = tuple[NDArray[np.float64], NDArray[np.float64]]


def sample_times(duration_s: float, step_s: float = 300.0) -> NDArray[np.float64]:
    """Return sample times from 0 to ``duration_s`` inclusive, ``step_s`` apart [s]."""
    count = max(math.ceil(duration_s / step_s), 1)
    return np.linspace(0.0, duration_s, count + 1)


def design_tide(duration_s: float, *, mean_m: float, range_m: float, peak_m: float,
                peak_time_h: float, surge_duration_h: float, step_s: float = 300.0) -> Series:
    """Return an outer water level: an M2 tide plus a storm surge peaking at ``peak_m``.

    Parameters
    ----------
    duration_s : float
        Length of the run [s].
    mean_m : float
        Mean level the tide swings about [m].
    range_m : float
        Tide range, high water minus low water [m] (0: no tide).
    peak_m : float
        The highest level [m]: the high water at ``peak_time_h`` plus the surge.  If it is at
        or below that high water (``mean + range / 2``) there is no surge.
    peak_time_h : float
        Time of the peak [h from the start].
    surge_duration_h : float
        Width of the surge hump at half its height [h].
    step_s : float, default: 300
        Sampling interval [s].

    Returns
    -------
    times_s, levels_m : ndarray
        The series.
    """
    times = sample_times(duration_s, step_s)
    hours = times / 3600.0
    tide = mean_m + 0.5 * range_m * np.cos(2.0 * math.pi * (hours - peak_time_h) / M2_PERIOD_H)
    surge_height = peak_m - (mean_m + 0.5 * range_m)
    if surge_height < 0.0:
        logger.info("peak level %.2f m is below the astronomical high water %.2f m: no surge",
                    peak_m, mean_m + 0.5 * range_m)
        surge_height = 0.0
    sigma = surge_duration_h / (2.0 * math.sqrt(2.0 * math.log(2.0)))
    surge = surge_height * np.exp(-0.5 * ((hours - peak_time_h) / sigma) ** 2)
    return times, tide + surge


def design_storm(duration_s: float, *, total_mm: float, peak_mm_h: float,
                 storm_duration_h: float, peak_time_h: float, step_s: float = 300.0) -> Series:
    """Return a triangular hyetograph [mm/h] of ``total_mm``, peaking at ``peak_time_h``.

    With ``peak_mm_h > 0`` the triangle has that peak and a base of ``2 total / peak`` hours
    (but at most ``storm_duration_h``: a peak too low for the total within the duration is
    raised to ``2 total / duration``); with ``peak_mm_h = 0`` the base is ``storm_duration_h``.
    The triangle is centred on the peak time and shifted to start no earlier than the run.
    Rain falling after the end of the run is lost (the run is too short for the storm).

    Returns
    -------
    times_s, rates_mm_h : ndarray
        The series, sampled every ``step_s`` plus the triangle's three corners.
    """
    times = sample_times(duration_s, step_s)
    if total_mm <= 0.0:
        return times, np.zeros_like(times)
    base_h = storm_duration_h if peak_mm_h <= 0.0 else min(2.0 * total_mm / peak_mm_h,
                                                         storm_duration_h)
    if peak_mm_h > 0.0 and 2.0 * total_mm / peak_mm_h > storm_duration_h:
        logger.warning("a peak of %.1f mm/h cannot give %.0f mm within %.1f h: the peak is "
                       "raised to %.1f mm/h", peak_mm_h, total_mm, storm_duration_h,
                       2.0 * total_mm / storm_duration_h)
    top = 2.0 * total_mm / base_h
    start_h = max(peak_time_h - 0.5 * base_h, 0.0)
    knots_h = np.array([start_h, start_h + 0.5 * base_h, start_h + base_h])
    knots_s = knots_h * 3600.0
    grid = np.union1d(times, knots_s[(knots_s > 0.0) & (knots_s < duration_s)])
    rates = np.interp(grid / 3600.0, knots_h, [0.0, top, 0.0], left=0.0, right=0.0)
    return grid, rates


def catchment_runoff(times_s: NDArray[np.float64], rain_mm_h: NDArray[np.float64], *,
                     area_km2: float, coefficient: float, lag_h: float,
                     base_m3s: float) -> Series:
    """Return the discharge [m3/s] a catchment delivers: base flow plus routed rain runoff.

    The effective rain ``coefficient * rain * area`` feeds a linear reservoir whose outflow is
    ``storage / lag`` (solved exactly for piecewise-linear input on each interval), so the
    runoff volume equals the effective rain volume in the long run.

    Parameters
    ----------
    times_s, rain_mm_h : ndarray
        The rain series.
    area_km2, coefficient, lag_h : float
        Catchment area, runoff coefficient (0-1) and reservoir storage constant [h].
    base_m3s : float
        Constant base flow added [m3/s].

    Returns
    -------
    times_s, discharge_m3s : ndarray
        On the rain series' times.
    """
    supply = coefficient * area_km2 * 1.0e6 * np.asarray(rain_mm_h) / 1000.0 / 3600.0
    flow = np.zeros_like(supply)
    k = max(lag_h, 1.0e-6) * 3600.0
    for i in range(1, len(times_s)):
        dt = times_s[i] - times_s[i - 1]
        decay = math.exp(-dt / k)
        # exact response of dQ/dt = (I - Q) / k to I varying linearly over the interval
        slope = (supply[i] - supply[i - 1]) / dt if dt > 0 else 0.0
        flow[i] = (flow[i - 1] * decay + supply[i] - slope * k
                   - (supply[i - 1] - slope * k) * decay)
    return np.asarray(times_s, dtype=np.float64), np.maximum(flow, 0.0) + base_m3s
