"""Drive a rehearsal with a forecast: its levels and rain become the plugin's boundary series.

Plugin-agnostic: the plugin's boundary table says what it takes.  ``mapping`` names, for each
boundary, what feeds it: ``"rain"`` (scene rain, mm/h), ``"level:SENSOR"`` (the forecast level at
a gauge, m) or ``"surge:SENSOR"`` (the surge alone).  Without a mapping, a boundary whose units are
a rain intensity gets the rain and one in metres the level of ``level_gauge`` (by default the
first gauge forecast from its tide); other boundaries keep the plugin's defaults.  The latest
values of the scene's sensors go to :attr:`RunConfig.initial_state`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from twin_app.core.errors import InputError
from twin_app.core.scene_loader import SceneDocument
from twin_app.forecast.forecast import Forecast
from twin_app.sim.config import BoundarySeries
from twin_app.sim.discovery import find_plugin, load_tables
from twin_app.sim.scenario import Rehearsal, rehearsal_from_values
from twin_app.sim.tables import ParamValue, Tables
from twin_app.sim.units import UnitsError, convert, same_units

logger = logging.getLogger(__name__)

RAIN_UNITS = "mm h-1"


def default_mapping(forecast: Forecast, tables: Tables, level_gauge: str | None = None
                    ) -> dict[str, str]:
    """Return the boundary feeds chosen from units (see the module notes)."""
    gauge = level_gauge or next((g.sensor_id for g in forecast.gauges
                                 if g.method == "tide+surge"), None)
    mapping: dict[str, str] = {}
    for row in tables.boundaries:
        if _converts(RAIN_UNITS, row.units):
            mapping[row.name] = "rain"
        elif gauge is not None and same_units(row.units, "m"):
            mapping[row.name] = f"level:{gauge}"
    return mapping


def forecast_boundaries(forecast: Forecast, tables: Tables,
                        mapping: dict[str, str] | None = None) -> dict[str, BoundarySeries]:
    """Return boundary series (seconds from the forecast start) for a plugin's boundaries.

    Raises
    ------
    InputError
        If the mapping names a boundary the plugin lacks, an unknown feed, or units that do
        not convert.
    """
    mapping = default_mapping(forecast, tables) if mapping is None else mapping
    seconds = [float(s) for s in forecast.hours * 3600.0]
    series: dict[str, BoundarySeries] = {}
    for name, feed in mapping.items():
        row = tables.boundary(name)
        if row is None:
            raise InputError(f"the plugin takes no boundary {name!r}",
                             hint=f"its boundaries: {', '.join(b.name for b in tables.boundaries)}")
        kind, _, sensor_id = feed.partition(":")
        if kind == "rain":
            values, units = forecast.rain_mm_h, RAIN_UNITS
        elif kind in ("level", "surge") and sensor_id:
            try:
                gauge = forecast.gauge(sensor_id)
            except KeyError as error:
                raise InputError(str(error.args[0])) from None
            values, units = (gauge.level if kind == "level" else gauge.surge), "m"
        else:
            raise InputError(f"boundary {name!r}: unknown feed {feed!r}",
                             hint="rain, level:SENSOR or surge:SENSOR")
        if not np.all(np.isfinite(values)):
            raise InputError(f"boundary {name!r}: the forecast of {feed} has gaps")
        try:
            converted = [convert(float(v), units, row.units) for v in values]
        except UnitsError as error:
            raise InputError(f"boundary {name!r}: {error}") from None
        series[name] = BoundarySeries(name=name, units=row.units, times_s=seconds,
                                      values=converted,
                                      source=f"forecast {forecast.issued:%Y-%m-%d %H:%M}Z {feed}")
    return series


def forecast_rehearsal(forecast: Forecast, document: SceneDocument, plugin_id: str,
                       parameters: dict[str, ParamValue], *, out_dir: Path,
                       duration_h: float | None = None, output_interval_min: float = 30.0,
                       mapping: dict[str, str] | None = None) -> Rehearsal:
    """Return a checked rehearsal of the forecast period, driven by the forecast.

    Parameters
    ----------
    forecast : Forecast
        Gives the start time, the boundary series and the initial state.
    document : SceneDocument
        The scene (DEM, CRS, gauges as probe points).
    plugin_id : str
        Any installed plugin.
    parameters : dict
        Parameter values in the plugin's units (others take defaults).
    out_dir : Path
        The run folder.
    duration_h : float, optional
        The forecast's horizon by default.
    output_interval_min : float
        Frame interval.
    mapping : dict, optional
        Boundary feeds (see the module notes).

    Raises
    ------
    twin_app.sim.scenario.ScenarioError
        If a parameter is unknown or out of bounds.
    InputError
        If a boundary cannot be fed.
    """
    duration = float(forecast.hours[-1]) if duration_h is None else duration_h
    rehearsal = rehearsal_from_values(plugin_id, parameters, duration_h=duration,
                                      output_interval_min=output_interval_min, out_dir=out_dir,
                                      scene=document, start=forecast.issued)
    tables = load_tables(find_plugin(plugin_id))
    boundaries = forecast_boundaries(forecast, tables, mapping)
    config = rehearsal.config.model_copy(update={"boundaries": boundaries,
                                                 "initial_state": dict(forecast.state)})
    return Rehearsal(record=rehearsal.record, config=config,
                     source=f"forecast {forecast.scene_id} {forecast.issued.isoformat()}")


def _converts(given: str, wanted: str) -> bool:
    try:
        convert(1.0, given, wanted)
    except UnitsError:
        return False
    return True
