"""Surge and rain forecasts for a tide forecast: read from a file, or a design typhoon.

A forecast's level at a gauge is the predicted astronomical tide plus a *surge* (the
meteorological residual, metres); rain is scene-wide intensity in mm/h.  Both come from:

* a **CSV** (``sensor_id,time,value,unit[,quality]``, :mod:`twin_app.io.timeseries`) or a
  **PI-XML** file: every series is named by its id, ``SURGE`` (the surge at every gauge that has
  no series of its own), a gauge's sensor id (the surge at that gauge), ``RAIN`` or a rain
  gauge's id (rain for the scene; several are averaged).  The unit says what a series is: ``m``
  is a surge, ``mm/h`` rain intensity, ``mm`` rain depth per interval (converted to mm/h).
* a **NetCDF** file (xarray): a variable ``surge`` (m) on ``(time,)`` for every gauge or on
  ``(time, station)`` with a ``station`` coordinate of sensor ids, and optionally ``rain``
  (mm/h) on ``(time,)``.
* a **design typhoon** (:func:`design_typhoon`): an asymmetric Gaussian surge hump and a
  triangular rain burst.

Outside the span a file covers, surge and rain are taken as zero, and the forecast says so.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from twin_app.core.errors import InputError
from twin_app.core.readings import Quality, Reading
from twin_app.forecast.tide import to_datetime64

logger = logging.getLogger(__name__)

ALL_GAUGES = "SURGE"
SCENE_RAIN = "RAIN"
SURGE_UNITS = ("m",)
RAIN_RATE_UNITS = ("mm/h", "mm h-1")
RAIN_DEPTH_UNITS = ("mm",)


class ForecastInputError(InputError):
    """A surge or rain file that cannot be used."""


@dataclass(frozen=True)
class InputSeries:
    """Values over time (``datetime64[us]`` UTC), held as arrays."""

    times: NDArray[np.datetime64]
    values: NDArray[np.float64]
    source: str = ""

    def at(self, times: NDArray[np.datetime64]) -> NDArray[np.float64]:
        """Return the values at ``times``, linearly interpolated; zero outside the span."""
        if self.times.size == 0:
            return np.zeros(len(times))
        base = self.times[0]
        x = (self.times - base) / np.timedelta64(1, "s")
        wanted = (np.asarray(times, dtype="datetime64[us]") - base) / np.timedelta64(1, "s")
        return np.interp(wanted, x, self.values, left=0.0, right=0.0)

    @property
    def end(self) -> np.datetime64 | None:
        """The last time covered."""
        return self.times[-1] if self.times.size else None


@dataclass(frozen=True)
class ForecastInputs:
    """What a forecast adds to the tide: surge by gauge and scene rain.

    Attributes
    ----------
    surge : dict
        Surge series by gauge sensor id; :data:`ALL_GAUGES` applies to gauges without one.
    rain : InputSeries or None
        Rain intensity, mm/h.
    source : str
        The file or design it came from.
    notes : list of str
        What was ignored or assumed.
    """

    surge: dict[str, InputSeries] = field(default_factory=dict)
    rain: InputSeries | None = None
    source: str = "none"
    notes: list[str] = field(default_factory=list)

    def surge_at(self, sensor_id: str, times: NDArray[np.datetime64]) -> NDArray[np.float64]:
        """Return the surge (m) at a gauge at ``times`` (zero where none is given)."""
        series = self.surge.get(sensor_id) or self.surge.get(ALL_GAUGES)
        return series.at(times) if series is not None else np.zeros(len(times))

    def rain_at(self, times: NDArray[np.datetime64]) -> NDArray[np.float64]:
        """Return rain intensity (mm/h) at ``times`` (zero where none is given)."""
        return self.rain.at(times) if self.rain is not None else np.zeros(len(times))


def design_typhoon(start: datetime, *, surge_peak_m: float, peak_time_h: float,
                   rise_h: float = 9.0, fall_h: float = 6.0, rain_total_mm: float = 0.0,
                   rain_duration_h: float = 12.0, rain_peak_h: float | None = None,
                   step_min: float = 10.0, length_h: float = 96.0) -> ForecastInputs:
    """Return a parametric typhoon: a surge hump and a triangular rain burst.

    Parameters
    ----------
    start : datetime
        Time zero of the design (usually the forecast's start), timezone-aware.
    surge_peak_m : float
        Surge at its peak, metres (added to the tide at every gauge).
    peak_time_h : float
        Hours after ``start`` of the surge peak.
    rise_h, fall_h : float
        Gaussian widths (standard deviations, hours) before and after the peak.
    rain_total_mm : float
        Rain depth of the burst (0: no rain).
    rain_duration_h : float
        Length of the burst, centred on ``rain_peak_h``.
    rain_peak_h : float, optional
        Hours after ``start`` of the rain peak; the surge peak by default.
    step_min, length_h : float
        Sampling of the generated series.
    """
    if start.tzinfo is None:
        raise ForecastInputError("the design typhoon's start has no time zone", hint="give UTC")
    if rise_h <= 0 or fall_h <= 0 or rain_duration_h <= 0 or step_min <= 0:
        raise ForecastInputError("design typhoon widths, durations and steps must be positive")
    hours = np.arange(0.0, length_h + 1e-9, step_min / 60.0)
    times = hours_after(start, hours)
    width = np.where(hours < peak_time_h, rise_h, fall_h)
    surge = surge_peak_m * np.exp(-0.5 * ((hours - peak_time_h) / width) ** 2)
    label = (f"design typhoon: surge {surge_peak_m:g} m at +{peak_time_h:g} h, "
             f"rain {rain_total_mm:g} mm")
    rain = None
    if rain_total_mm > 0:
        centre = peak_time_h if rain_peak_h is None else rain_peak_h
        half = rain_duration_h / 2.0
        shape = np.clip(1.0 - np.abs(hours - centre) / half, 0.0, None)
        peak_rate = 2.0 * rain_total_mm / rain_duration_h
        rain = InputSeries(times, peak_rate * shape, label)
    return ForecastInputs({ALL_GAUGES: InputSeries(times, surge, label)}, rain, label)


def read_inputs(path: str | Path, *, gauges: Iterable[str], rain_gauges: Iterable[str] = ()
                ) -> ForecastInputs:
    """Read a surge and rain forecast from a CSV, PI-XML or NetCDF file.

    Parameters
    ----------
    path : str or Path
        The file; its suffix picks the format (``.csv``, ``.xml``, ``.nc``).
    gauges : iterable of str
        The scene's water-level sensor ids (series named after one are its surge).
    rain_gauges : iterable of str
        The scene's rain gauge ids (series named after one are scene rain).

    Raises
    ------
    ForecastInputError
        If the file cannot be read, has nothing usable, or a series has the wrong unit.
    """
    path = Path(path)
    if not path.is_file():
        raise ForecastInputError(f"surge file {path} does not exist")
    suffix = path.suffix.lower()
    if suffix in (".nc", ".nc4", ".cdf"):
        return _read_netcdf(path, set(gauges))
    from twin_app.io.timeseries import read_csv, read_pi_xml

    if suffix == ".csv":
        result = read_csv(path, source_name=f"forecast:{path.name}")
    elif suffix == ".xml":
        result = read_pi_xml(path, source_name=f"forecast:{path.name}")
    else:
        raise ForecastInputError(f"{path}: unknown forecast file type {suffix!r}",
                                 hint="use .csv, .xml (PI-XML) or .nc (NetCDF)")
    if result.errors:
        logger.warning("%s: %d rows skipped, first: %s", path, len(result.errors),
                       result.errors[0])
    return from_readings(result.readings, gauges=gauges, rain_gauges=rain_gauges,
                         source=str(path))


def from_readings(readings: Iterable[Reading], *, gauges: Iterable[str],
                  rain_gauges: Iterable[str] = (), source: str = "readings") -> ForecastInputs:
    """Sort readings into surge and rain series by id and unit (see the module notes)."""
    gauge_ids, rain_ids = set(gauges), set(rain_gauges) | {SCENE_RAIN}
    grouped: dict[tuple[str, str], list[Reading]] = defaultdict(list)
    for reading in readings:
        if reading.quality < Quality.BAD:
            grouped[(reading.sensor_id, reading.unit)].append(reading)
    surge: dict[str, InputSeries] = {}
    rains: list[InputSeries] = []
    notes: list[str] = []
    for (sensor_id, unit), group in sorted(grouped.items()):
        series = _series(group, source)
        if sensor_id in gauge_ids or sensor_id == ALL_GAUGES:
            if unit not in SURGE_UNITS:
                raise ForecastInputError(f"{source}: surge series {sensor_id} is in {unit!r}",
                                         hint="a surge is given in m")
            surge[sensor_id] = series
        elif sensor_id in rain_ids:
            if unit in RAIN_DEPTH_UNITS:
                series = _depth_to_rate(series)
            elif unit not in RAIN_RATE_UNITS:
                raise ForecastInputError(f"{source}: rain series {sensor_id} is in {unit!r}",
                                         hint="rain is given in mm/h or mm per interval")
            rains.append(series)
        else:
            notes.append(f"series {sensor_id} ({unit}) is neither a gauge of the scene, "
                         f"{ALL_GAUGES} nor rain; ignored")
    if not surge and not rains:
        raise ForecastInputError(f"{source}: no surge or rain series",
                                 hint=f"name series {ALL_GAUGES}, a gauge id, {SCENE_RAIN} or a "
                                 "rain gauge id")
    rain = _average(rains, source) if rains else None
    for note in notes:
        logger.warning("%s", note)
    return ForecastInputs(surge, rain, source, notes)


def _series(readings: list[Reading], source: str) -> InputSeries:
    ordered = sorted(readings, key=lambda r: r.utc)
    times = to_datetime64([r.time for r in ordered])
    values = np.array([r.value for r in ordered], dtype=np.float64)
    keep = np.concatenate(([True], np.diff(times) > np.timedelta64(0, "us")))
    return InputSeries(times[keep], values[keep], source)


def _depth_to_rate(series: InputSeries) -> InputSeries:
    """Turn rain depth per interval (mm, stamped at the interval's end) into mm/h."""
    if series.times.size < 2:
        raise ForecastInputError(f"{series.source}: a rain depth series needs two or more values")
    hours = np.diff(series.times) / np.timedelta64(1, "h")
    hours = np.concatenate(([hours[0]], hours))
    return InputSeries(series.times, series.values / hours, series.source)


def _average(rains: list[InputSeries], source: str) -> InputSeries:
    if len(rains) == 1:
        return rains[0]
    times = np.unique(np.concatenate([r.times for r in rains]))
    return InputSeries(times, np.mean([r.at(times) for r in rains], axis=0), source)


def _read_netcdf(path: Path, gauges: set[str]) -> ForecastInputs:
    import xarray as xr

    try:
        dataset = xr.open_dataset(path)
    except (OSError, ValueError) as error:
        raise ForecastInputError(f"{path}: cannot be read as NetCDF ({error})") from error
    with dataset:
        if "surge" not in dataset and "rain" not in dataset:
            raise ForecastInputError(f"{path}: no variable 'surge' or 'rain'")
        times = _netcdf_times(dataset, path)
        surge: dict[str, InputSeries] = {}
        notes: list[str] = []
        if "surge" in dataset:
            variable = dataset["surge"]
            _check_units(variable, SURGE_UNITS, path)
            if variable.dims == ("time",):
                surge[ALL_GAUGES] = InputSeries(times, variable.values.astype(float), str(path))
            elif variable.dims == ("time", "station") and "station" in dataset.coords:
                for index, station in enumerate(dataset["station"].values):
                    name = str(station)
                    if name not in gauges and name != ALL_GAUGES:
                        notes.append(f"station {name} is not a gauge of the scene; ignored")
                        continue
                    surge[name] = InputSeries(times, variable.values[:, index].astype(float),
                                              str(path))
            else:
                raise ForecastInputError(f"{path}: surge has dimensions {variable.dims}",
                                         hint="use (time,) or (time, station) with a station "
                                         "coordinate of sensor ids")
        rain = None
        if "rain" in dataset:
            variable = dataset["rain"]
            _check_units(variable, RAIN_RATE_UNITS, path)
            rain = InputSeries(times, variable.values.astype(float).reshape(-1), str(path))
    return ForecastInputs(surge, rain, str(path), notes)


def _netcdf_times(dataset: object, path: Path) -> NDArray[np.datetime64]:
    values = getattr(dataset, "time", None)
    if values is None or values.dtype.kind != "M":
        raise ForecastInputError(f"{path}: no decodable time coordinate",
                                 hint="a CF time axis, e.g. 'hours since 2024-09-16 00:00:00'")
    return np.asarray(values.values, dtype="datetime64[us]")


def _check_units(variable: object, allowed: tuple[str, ...], path: Path) -> None:
    units = str(getattr(variable, "attrs", {}).get("units", ""))
    if units not in allowed:
        name = getattr(variable, "name", "?")
        raise ForecastInputError(f"{path}: {name} is in {units!r}",
                                 hint=f"give units = {allowed[0]!r}")


def hours_after(start: datetime, hours: NDArray[np.float64]) -> NDArray[np.datetime64]:
    """Return ``start + hours`` as ``datetime64[us]`` (UTC)."""
    return to_datetime64([start])[0] + (np.asarray(hours) * 3.6e9).astype("timedelta64[us]")


def span_text(series: InputSeries) -> str:
    """Describe the span a series covers (for notes)."""
    if series.times.size == 0:
        return "nothing"
    return f"{series.times[0]} to {series.times[-1]} UTC"


__all__ = ["ALL_GAUGES", "SCENE_RAIN", "ForecastInputError", "ForecastInputs", "InputSeries",
           "design_typhoon", "from_readings", "hours_after", "read_inputs", "span_text"]
