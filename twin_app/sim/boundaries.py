"""Boundary conditions of a scenario: constants, design events, CSV files, the telemetry store.

Each kind is a small pydantic model in a case file's ``[boundaries.<name>]`` table, told apart by
``kind``; :func:`build_series` turns one into a :class:`~twin_app.sim.config.BoundarySeries`
covering the run, or raises :class:`BoundaryError` with the file and line of the problem (a gap in
a series, a series that does not cover the run, a value that is not a number).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from twin_app.sim.config import BoundarySeries

LatestValues = Callable[[list[str]], dict[str, float]]
"""Return the newest stored value of each sensor id (the telemetry store's ``latest``)."""


class BoundaryError(ValueError):
    """A boundary series is unusable; ``line`` is the line of the file where it went wrong."""

    def __init__(self, problem: str, *, file: str | None = None, line: int | None = None) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        super().__init__(problem)


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    units: str | None = None
    """Units of the values; default: the units of the plugin's boundary input."""
    step_min: Annotated[float, Field(gt=0)] = 10.0
    """Sampling interval of generated series, in minutes."""


class ConstantBoundary(_Kind):
    """The same value for the whole run."""

    kind: Literal["constant"]
    value: float


class DesignTide(_Kind):
    """A design tide: a cosine tide plus a Gaussian surge.

    The tide swings about ``base_level_m``; the total level peaks at ``peak_level_m`` at
    ``peak_time_h``.
    """

    kind: Literal["design_tide"]
    base_level_m: float
    tide_range_m: Annotated[float, Field(ge=0)]
    peak_level_m: float
    peak_time_h: Annotated[float, Field(ge=0)]
    period_h: Annotated[float, Field(gt=0)] = 12.42
    surge_width_h: Annotated[float, Field(gt=0)] = 6.0


class DesignStorm(_Kind):
    """A design storm: a triangular hyetograph of ``total_mm`` over ``storm_duration_h`` (mm/h)."""

    kind: Literal["design_storm"]
    total_mm: Annotated[float, Field(ge=0)]
    storm_duration_h: Annotated[float, Field(gt=0)]
    peak_time_h: Annotated[float, Field(ge=0)]
    start_h: Annotated[float, Field(ge=0)] = 0.0


class CsvBoundary(_Kind):
    """A series read from a CSV file (a recorded event, a forecast).

    Columns: ``time`` (ISO 8601 with a zone, needs the case ``start``) or ``time_s`` / ``time_h``
    (since the run start), ``value``, and optionally ``sensor_id`` (then ``sensor`` picks the rows)
    and ``unit``.  Lines starting with ``#`` are comments.
    """

    kind: Literal["csv"]
    file: Annotated[str, Field(min_length=1)]
    sensor: str | None = None
    max_gap_min: Annotated[float, Field(gt=0)] = 60.0


class TelemetryBoundary(_Kind):
    """Start from the current state: the newest stored reading of ``sensor``, held constant."""

    kind: Literal["telemetry"]
    sensor: Annotated[str, Field(min_length=1)]


BoundarySpec = Annotated[ConstantBoundary | DesignTide | DesignStorm | CsvBoundary
                         | TelemetryBoundary, Field(discriminator="kind")]


def build_series(name: str, spec: BoundarySpec, *, duration_s: float, base: Path,
                 start: datetime | None, latest: LatestValues | None) -> BoundarySeries:
    """Return the series of one boundary over ``[0, duration_s]`` in the spec's units.

    Raises
    ------
    BoundaryError
        With the file and line for CSV problems.
    """
    step = spec.step_min * 60.0
    times = np.append(np.arange(0.0, duration_s, step), duration_s)
    units = spec.units or ""
    if isinstance(spec, ConstantBoundary):
        return BoundarySeries(name=name, units=units, times_s=[0.0], values=[spec.value],
                              source="constant")
    if isinstance(spec, DesignTide):
        hours = times / 3600.0
        tide = spec.base_level_m + spec.tide_range_m / 2 * np.cos(
            2 * math.pi * (hours - spec.peak_time_h) / spec.period_h)
        surge = (spec.peak_level_m - spec.base_level_m - spec.tide_range_m / 2) * np.exp(
            -(((hours - spec.peak_time_h) / spec.surge_width_h) ** 2))
        return BoundarySeries(name=name, units=units or "m", times_s=times.tolist(),
                              values=(tide + surge).tolist(), source="design tide")
    if isinstance(spec, DesignStorm):
        return _storm(name, spec, times, units)
    if isinstance(spec, TelemetryBoundary):
        if latest is None:
            raise BoundaryError(f"boundary {name!r} takes the telemetry store's current value, "
                                "but no store is open")
        values = latest([spec.sensor])
        if spec.sensor not in values:
            raise BoundaryError(f"boundary {name!r}: the telemetry store has no reading of "
                                f"sensor {spec.sensor!r}")
        return BoundarySeries(name=name, units=units, times_s=[0.0],
                              values=[values[spec.sensor]], source=f"telemetry {spec.sensor}")
    return read_csv_series(name, spec, base=base, duration_s=duration_s, start=start)


def _storm(name: str, spec: DesignStorm, times: np.ndarray, units: str) -> BoundarySeries:
    start, end = spec.start_h, spec.start_h + spec.storm_duration_h
    peak = min(max(spec.peak_time_h, start), end)
    top = 2.0 * spec.total_mm / spec.storm_duration_h
    knots_h = [start, peak, end]
    knots_v = [0.0, top, 0.0]
    hours = np.union1d(times / 3600.0, knots_h)
    values = np.interp(hours, knots_h, knots_v, left=0.0, right=0.0)
    return BoundarySeries(name=name, units=units or "mm h-1", times_s=(hours * 3600).tolist(),
                          values=values.tolist(), source="design storm")


def read_csv_series(name: str, spec: CsvBoundary, *, base: Path, duration_s: float,
                    start: datetime | None) -> BoundarySeries:
    """Read a CSV boundary, checking gaps and coverage of ``[0, duration_s]``."""
    path = (base / spec.file).resolve()
    where = str(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BoundaryError(f"boundary {name!r}: cannot read the file ({error})",
                            file=where) from None
    rows = [(number, text) for number, text in enumerate(lines, 1)
            if text.strip() and not text.lstrip().startswith("#")]
    if not rows:
        raise BoundaryError(f"boundary {name!r}: the file has no data", file=where)
    header_line, header_text = rows[0]
    header = [column.strip() for column in next(csv.reader([header_text]))]
    time_column = next((c for c in ("time", "time_s", "time_h") if c in header), None)
    if time_column is None or "value" not in header:
        raise BoundaryError(f"boundary {name!r}: the header needs 'value' and one of 'time', "
                            f"'time_s', 'time_h' (it has {', '.join(header)})", file=where,
                            line=header_line)
    if time_column == "time" and start is None:
        raise BoundaryError(f"boundary {name!r}: the file gives clock times; set 'start' in "
                            "the case file so they can be placed on the run", file=where,
                            line=header_line)
    times: list[float] = []
    values: list[float] = []
    found_lines: list[int] = []
    unit_seen = ""
    for number, text in rows[1:]:
        fields = dict(zip(header, (f.strip() for f in next(csv.reader([text]))), strict=False))
        if spec.sensor and fields.get("sensor_id") != spec.sensor:
            continue
        try:
            value = float(fields["value"])
            raw = fields[time_column]
            if time_column == "time":
                moment = datetime.fromisoformat(raw)
                if moment.tzinfo is None:
                    raise ValueError(f"time {raw!r} has no time zone")
                seconds = (moment - start).total_seconds()  # type: ignore[operator]
            else:
                seconds = float(raw) * (3600.0 if time_column == "time_h" else 1.0)
        except (KeyError, ValueError, TypeError) as error:
            raise BoundaryError(f"boundary {name!r}: bad row ({error})", file=where,
                                line=number) from None
        if not math.isfinite(value):
            raise BoundaryError(f"boundary {name!r}: value is not a number", file=where,
                                line=number)
        if times and seconds <= times[-1]:
            raise BoundaryError(f"boundary {name!r}: times must increase", file=where,
                                line=number)
        if times and seconds - times[-1] > spec.max_gap_min * 60.0:
            gap = (seconds - times[-1]) / 60.0
            raise BoundaryError(f"boundary {name!r}: a gap of {gap:g} min in the series (more "
                                f"than max_gap_min = {spec.max_gap_min:g})", file=where,
                                line=number)
        times.append(seconds)
        values.append(value)
        found_lines.append(number)
        unit_seen = fields.get("unit") or unit_seen
    if not times:
        which = f" for sensor {spec.sensor!r}" if spec.sensor else ""
        raise BoundaryError(f"boundary {name!r}: no rows{which}", file=where)
    if times[0] > 1e-6 or times[-1] < duration_s - 1e-6:
        raise BoundaryError(
            f"boundary {name!r}: the series covers {times[0] / 3600:g} h to "
            f"{times[-1] / 3600:g} h of the run, which lasts {duration_s / 3600:g} h",
            file=where, line=found_lines[0] if times[0] > 1e-6 else found_lines[-1])
    units = spec.units or unit_seen
    return BoundarySeries(name=name, units=units, times_s=times, values=values,
                          source=f"{where}")
