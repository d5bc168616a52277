"""The forecast (预报) of a scene: the next 24-72 h at every gauge, compared with warning levels.

::

    with open_store(url, catalog=SensorCatalog.from_scene(document.spec)) as store:
        forecast = make_forecast(document, store, hours=48, inputs=read_inputs(path, ...))
    forecast.sentences("zh")     # one line per gauge: "黄浦公园潮位站 16:40 达 4.80 m，..."
    forecast.table("en")         # rows for a table view
    forecast.gauge("HPK-WL-01").level      # the series, on forecast.times

Each water-level gauge's stored record (the last ``history_days``) is analysed harmonically
(:mod:`twin_app.forecast.tide`).  Where the fit explains at least :data:`MIN_TIDAL_FIT` of the
variance the forecast is *tide + surge*, otherwise (a gauge behind a gate, a record too short)
it is *persistence* of the latest level plus the surge.  Either way it starts from the current
state: the difference between the gauge's latest reading and the model at that time is carried
forward and decays with an e-folding time of ``decay_h`` hours.  The latest values of every other
sensor (gates, pumps, rain) are kept in :attr:`Forecast.state` for rehearsals to start from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.core.errors import InputError
from twin_app.core.geo import SceneFrame
from twin_app.core.readings import Quality
from twin_app.core.scene import SensorKind, SensorSpec, Threshold
from twin_app.core.scene_loader import SceneDocument
from twin_app.forecast.inputs import ForecastInputs, hours_after
from twin_app.forecast.text import (
    SHANGHAI,
    clock_text,
    first_crossing_s,
    gauge_sentence,
    seconds_above,
)
from twin_app.forecast.tide import (
    TideAnalysis,
    TideAnalysisError,
    TideSettings,
    analyse_tide,
    from_datetime64,
)
from twin_app.telemetry.store import TelemetryStore

logger = logging.getLogger(__name__)

MIN_TIDAL_FIT = 0.6
"""A gauge whose harmonic fit explains less of its variance is forecast by persistence."""
MAX_STATE_AGE = timedelta(hours=3)
"""A latest reading older than this at the forecast start is not used as the current state."""


@dataclass(frozen=True)
class GaugeForecast:
    """The forecast at one water-level gauge.

    ``level = tide (or the latest level, for persistence) + surge + offset`` on
    :attr:`Forecast.times`; ``offset`` is the current-state correction.
    """

    sensor: SensorSpec
    method: str
    times: NDArray[np.datetime64]
    level: NDArray[np.float64]
    tide: NDArray[np.float64] | None
    surge: NDArray[np.float64]
    offset: NDArray[np.float64]
    observed_m: float | None
    observed_at: datetime | None
    analysis: TideAnalysis | None
    note: str = ""

    @property
    def sensor_id(self) -> str:
        """The gauge's sensor id."""
        return self.sensor.id

    @property
    def warning(self) -> Threshold | None:
        """The gauge's warning level: the threshold ``warning`` or its lowest "above" one."""
        above = [t for t in self.sensor.thresholds if t.direction == "above"]
        named = [t for t in above if t.id == "warning"]
        if named:
            return named[0]
        return min(above, key=lambda t: t.value) if above else None

    def _seconds(self) -> NDArray[np.float64]:
        return (self.times - self.times[0]) / np.timedelta64(1, "s")

    def peak(self, within_h: float | None = None) -> tuple[float, datetime]:
        """Return the highest level (within ``within_h`` hours of the start) and when."""
        seconds = self._seconds()
        mask = seconds <= within_h * 3600.0 + 1e-6 if within_h is not None else slice(None)
        values = self.level[mask]
        index = int(np.argmax(values))
        return float(values[index]), from_datetime64(self.times[mask][index])

    def first_above(self, level: float, within_h: float | None = None) -> datetime | None:
        """Return when the forecast first exceeds ``level`` (within ``within_h`` h), or ``None``."""
        seconds = first_crossing_s(self._seconds(), self.level, level)
        if seconds is None or (within_h is not None and seconds > within_h * 3600.0 + 1e-6):
            return None
        return from_datetime64(self.times[0]) + timedelta(seconds=seconds)

    def duration_above(self, level: float) -> timedelta:
        """Return how long the forecast stays above ``level``."""
        return timedelta(seconds=seconds_above(self._seconds(), self.level, level))

    def sentence(self, language: str = "en", tz: Any = SHANGHAI) -> str:
        """Return the one-line outlook ("... reaches 4.80 m at 16:40, above warning ...")."""
        peak, when = self.peak()
        warning = self.warning
        level = warning.value if warning is not None else None
        return gauge_sentence(
            language=language, name=self.sensor.name.text(language), peak_m=peak,
            peak_time=when, issued=from_datetime64(self.times[0]), warning_m=level,
            warning_name=warning.name.text(language) if warning is not None else "",
            seconds_over=self.duration_above(level).total_seconds() if level is not None
            else 0.0, above_now=level is not None and float(self.level[0]) > level, tz=tz)

    def row(self, language: str = "en") -> dict[str, Any]:
        """Return a table row: now, peak, warning, first above, time above, method, fit."""
        peak, when = self.peak()
        warning = self.warning
        first = self.first_above(warning.value) if warning is not None else None
        issued = from_datetime64(self.times[0])
        return {
            "sensor_id": self.sensor_id, "name": self.sensor.name.text(language),
            "now_m": None if self.observed_m is None else round(self.observed_m, 3),
            "peak_m": round(peak, 3), "peak_time": when.isoformat(),
            "peak_clock": clock_text(when, issued),
            "warning_m": warning.value if warning is not None else None,
            "first_above_warning": first.isoformat() if first is not None else None,
            "hours_above_warning": round(self.duration_above(warning.value).total_seconds()
                                         / 3600.0, 2) if warning is not None else 0.0,
            "method": self.method,
            "variance_explained": None if self.analysis is None else round(
                self.analysis.variance_explained, 4),
            "residual_rms_m": None if self.analysis is None else round(
                self.analysis.residual_rms_m, 4),
            "note": self.note,
        }


@dataclass(frozen=True)
class Forecast:
    """A forecast of a scene from its current state.

    Attributes
    ----------
    scene_id : str
        The scene.
    issued : datetime
        The forecast's start (the current state's time), UTC.
    times : numpy.ndarray
        ``datetime64[us]`` (UTC) of every forecast value.
    gauges : list of GaugeForecast
        One per water-level sensor of the scene.
    rain_mm_h : numpy.ndarray
        Scene rain on :attr:`times`.
    inputs : ForecastInputs
        The surge and rain used.
    state : dict
        The latest value of every sensor at the start (gates, pumps, levels).
    notes : list of str
        What was assumed or left out.
    """

    scene_id: str
    issued: datetime
    times: NDArray[np.datetime64]
    gauges: list[GaugeForecast]
    rain_mm_h: NDArray[np.float64]
    inputs: ForecastInputs
    state: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def hours(self) -> NDArray[np.float64]:
        """Hours from the start of each forecast value."""
        return (self.times - self.times[0]) / np.timedelta64(1, "h")

    def gauge(self, sensor_id: str) -> GaugeForecast:
        """Return the forecast of one gauge.

        Raises
        ------
        KeyError
            If the scene has no such water-level gauge.
        """
        for gauge in self.gauges:
            if gauge.sensor_id == sensor_id:
                return gauge
        raise KeyError(f"no forecast for {sensor_id!r}; gauges: "
                       f"{', '.join(g.sensor_id for g in self.gauges)}")

    def sentences(self, language: str = "en") -> list[str]:
        """Return one outlook sentence per gauge."""
        return [gauge.sentence(language) for gauge in self.gauges]

    def table(self, language: str = "en") -> list[dict[str, Any]]:
        """Return one table row per gauge (see :meth:`GaugeForecast.row`)."""
        return [gauge.row(language) for gauge in self.gauges]

    def to_dict(self, language: str = "en", *, series: bool = False) -> dict[str, Any]:
        """Return a JSON-ready description (with every series if ``series``)."""
        payload: dict[str, Any] = {
            "scene": self.scene_id, "issued": self.issued.isoformat(),
            "hours": float(self.hours[-1]), "inputs": self.inputs.source,
            "rain_total_mm": round(float(np.trapezoid(self.rain_mm_h, self.hours)), 1),
            "gauges": self.table(language), "sentences": self.sentences(language),
            "analyses": [g.analysis.summary() for g in self.gauges if g.analysis is not None],
            "notes": list(self.notes),
        }
        if series:
            payload["times"] = [str(t) + "Z" for t in self.times]
            payload["series"] = {g.sensor_id: [round(float(v), 4) for v in g.level]
                                 for g in self.gauges}
            payload["rain_mm_h"] = [round(float(v), 3) for v in self.rain_mm_h]
        return payload


def make_forecast(document: SceneDocument, store: TelemetryStore, *, now: datetime | None = None,
                  hours: float = 48.0, step_min: float = 10.0,
                  inputs: ForecastInputs | None = None, history_days: float = 30.0,
                  settings: TideSettings | None = None, decay_h: float = 12.0,
                  analyses: dict[str, TideAnalysis] | None = None) -> Forecast:
    """Forecast every water-level gauge of a scene from the store's current state.

    Parameters
    ----------
    document : SceneDocument
        The scene (its gauges, their positions and warning levels).
    store : TelemetryStore
        Gives each gauge's record and the latest values.
    now : datetime, optional
        The forecast's start; by default the newest reading of the scene's gauges.
    hours : float
        Horizon, 1 to 240 hours (24-72 is usual).
    step_min : float
        Interval of the forecast values.
    inputs : ForecastInputs, optional
        Surge and rain (a file or a design typhoon); none means tide and persistence only.
    history_days : float
        How much of each gauge's record is analysed.
    settings : TideSettings, optional
        How records are analysed.
    decay_h : float
        E-folding time of the current-state correction.
    analyses : dict, optional
        Analyses already made (by sensor id), reused instead of analysing again.

    Raises
    ------
    InputError
        If the horizon or step is out of range, or the store has no reading of any gauge.
    """
    if not 1.0 <= hours <= 240.0 or not 0 < step_min <= 60.0:
        raise InputError(f"forecast horizon {hours:g} h / step {step_min:g} min out of range",
                         hint="hours 1-240 (24-72 usual), step up to 60 min")
    spec = document.spec
    gauges = [s for s in spec.sensors if s.kind is SensorKind.WATER_LEVEL]
    latest = store.latest([s.id for s in spec.sensors], at=now)
    if now is None:
        stamps = [latest[g.id].utc for g in gauges if g.id in latest]
        if not stamps:
            raise InputError(f"the telemetry store has no reading of any gauge of {spec.id}",
                             hint="start the feeds or replay an event first")
        now = max(stamps)
    inputs = inputs or ForecastInputs()
    times = hours_after(now, np.arange(0.0, hours + 1e-9, step_min / 60.0))
    frame = SceneFrame.from_scene(spec)
    notes = list(inputs.notes)
    results = []
    for sensor in gauges:
        known = (analyses or {}).get(sensor.id)
        results.append(_gauge_forecast(sensor, store, now, times, inputs, frame, history_days,
                                       settings, decay_h, latest, known))
        if results[-1].note:
            notes.append(f"{sensor.id}: {results[-1].note}")
    for label, series in (("surge", next(iter(inputs.surge.values()), None)),
                          ("rain", inputs.rain)):
        if series is not None and series.end is not None and series.end < times[-1]:
            notes.append(f"the {label} input ends at {series.end} UTC; zero after it")
    state = {key: reading.value for key, reading in latest.items()
             if now - reading.utc <= MAX_STATE_AGE}
    return Forecast(spec.id, now, times, results, inputs.rain_at(times), inputs, state, notes)


def _gauge_forecast(sensor: SensorSpec, store: TelemetryStore, now: datetime,
                    times: NDArray[np.datetime64], inputs: ForecastInputs, frame: SceneFrame,
                    history_days: float, settings: TideSettings | None, decay_h: float,
                    latest: dict[str, Any], known: TideAnalysis | None) -> GaugeForecast:
    analysis, note = known, ""
    if analysis is None:
        analysis, note = _analyse(sensor, store, now, frame, history_days, settings)
    if analysis is not None and analysis.variance_explained < MIN_TIDAL_FIT:
        note = (f"harmonic fit explains only {100 * analysis.variance_explained:.0f} % of the "
                "variance: forecast by persistence")
    tidal = analysis is not None and analysis.variance_explained >= MIN_TIDAL_FIT
    reading = latest.get(sensor.id)
    fresh = (reading is not None and reading.quality < Quality.BAD
             and now - reading.utc <= MAX_STATE_AGE)
    surge = inputs.surge_at(sensor.id, times)
    seconds = (times - times[0]) / np.timedelta64(1, "s")
    if tidal:
        tide = analysis.predict(times)
        base = tide
    elif fresh:
        tide, base = None, np.full(len(times), reading.value)
    else:
        tide, base = None, np.full(len(times), np.nan)
        note = note or "no recent reading and no tidal fit: no forecast"
    offset = np.zeros(len(times))
    if fresh:
        at = np.array([np.datetime64(reading.utc.replace(tzinfo=None), "us")])
        model_then = (analysis.predict(at)[0] if tidal else reading.value) + float(
            inputs.surge_at(sensor.id, at)[0])
        offset = (reading.value - model_then) * np.exp(-seconds / (decay_h * 3600.0))
    elif reading is not None and not note:
        note = f"latest reading is older than {MAX_STATE_AGE}: not used as the current state"
    return GaugeForecast(
        sensor=sensor, method="tide+surge" if tidal else "persistence", times=times,
        level=base + surge + offset, tide=tide, surge=surge, offset=offset,
        observed_m=reading.value if reading is not None else None,
        observed_at=reading.utc if reading is not None else None,
        analysis=analysis, note=note)


def _analyse(sensor: SensorSpec, store: TelemetryStore, now: datetime, frame: SceneFrame,
             history_days: float, settings: TideSettings | None
             ) -> tuple[TideAnalysis | None, str]:
    record = store.series(sensor.id, now - timedelta(days=history_days), now, unit=sensor.unit)
    good = record.quality < Quality.BAD
    if not good.any():
        return None, "no stored record to analyse"
    _, latitude = frame.map_to_lonlat(sensor.position[0], sensor.position[1])
    try:
        analysis = analyse_tide(record.times()[good], record.mean[good],
                                latitude=float(latitude), sensor_id=sensor.id, settings=settings)
    except TideAnalysisError as error:
        return None, f"no tidal analysis ({error.message})"
    return analysis, ""
