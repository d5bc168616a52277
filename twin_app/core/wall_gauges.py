"""What a wall gauge shows: a sensor's value at the clock's time, its trend and its warning level.

Qt-free: :func:`gauge_reading` reads :class:`~twin_app.core.live.LiveValues`; the Qt gauge tile
only formats the result.  The trend is the least-squares slope of the readings in the last
``window`` before the clock's time, called steady below a per-kind rate (:data:`STEADY_RATE`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from twin_app.core.live import LiveValues
from twin_app.core.scene import Scene, SensorKind, SensorSpec, Threshold
from twin_app.core.sensor_state import DisplayState, display_state

STEADY_RATE: dict[SensorKind, float] = {
    SensorKind.WATER_LEVEL: 0.05,
    SensorKind.RAINFALL: 2.0,
    SensorKind.GATE_OPENING: 0.05,
    SensorKind.PUMP_STATE: 0.5,
    SensorKind.PUMP_FLOW: 5.0,
    SensorKind.PIEZOMETER: 0.02,
    SensorKind.SETTLEMENT: 0.05,
    SensorKind.INCLINATION: 0.01,
}
"""Rates (sensor unit per hour) below which a trend counts as steady (illustrative choices)."""
KEY_KIND_ORDER = (SensorKind.WATER_LEVEL, SensorKind.RAINFALL, SensorKind.PUMP_FLOW,
                  SensorKind.PIEZOMETER, SensorKind.SETTLEMENT, SensorKind.INCLINATION,
                  SensorKind.GATE_OPENING, SensorKind.PUMP_STATE)
_SEVERITY_RANK = {"advisory": 1, "warning": 2, "alarm": 3, "critical": 4}
RISING, FALLING, STEADY = "rising", "falling", "steady"


@dataclass(frozen=True)
class GaugeReading:
    """One gauge's content.

    Attributes
    ----------
    sensor : SensorSpec
        The sensor.
    value : float or None
        Its value at the clock's time (``None``: no reading yet).
    trend : str or None
        ``"rising"``, ``"falling"``, ``"steady"``, or ``None`` with too few readings.
    rate_per_h : float or None
        The trend's slope in the sensor's unit per hour.
    state : DisplayState
        Normal, warning, alarm, stale, bad or no data.
    level : Threshold or None
        The warning level shown beside the value: the most severe threshold crossed, else the
        nearest one not yet crossed.
    crossed : bool
        Whether ``level`` is crossed.
    """

    sensor: SensorSpec
    value: float | None
    trend: str | None
    rate_per_h: float | None
    state: DisplayState
    level: Threshold | None
    crossed: bool


def key_sensors(scene: Scene, count: int, wanted: list[str] | None = None
                ) -> tuple[list[SensorSpec], list[str]]:
    """Return the sensors a gauge or chart tile shows, and the wanted ids the scene lacks.

    With ``wanted`` empty: sensors with thresholds first, by kind (water levels, rainfall,
    flows, ...), then the others, in scene order, up to ``count``.
    """
    by_id = {sensor.id: sensor for sensor in scene.sensors}
    if wanted:
        return [by_id[s] for s in wanted if s in by_id][:count], [s for s in wanted
                                                                   if s not in by_id]
    rank = {kind: index for index, kind in enumerate(KEY_KIND_ORDER)}
    order = sorted(range(len(scene.sensors)), key=lambda i: (
        not scene.sensors[i].thresholds, rank.get(scene.sensors[i].kind, 99), i))
    return [scene.sensors[i] for i in order[:count]], []


def trend(times: list[datetime], values: list[float], now: datetime, window: timedelta,
          steady_per_h: float) -> tuple[str | None, float | None]:
    """Return the trend over ``window`` before ``now`` and its slope (unit per hour).

    ``times`` must be sorted (as :meth:`LiveValues.series` returns them).  Readings after
    ``now`` are ignored (a replay holds readings ahead of the clock).  Fewer than two readings
    in the window give ``(None, None)``.
    """
    first = bisect.bisect_left(times, now - window)
    last = bisect.bisect_right(times, now)
    picked = list(zip(times[first:last], values[first:last], strict=True))
    if len(picked) < 2:
        return None, None
    hours = np.array([(t - picked[0][0]).total_seconds() / 3600.0 for t, _ in picked])
    if hours[-1] <= 0:
        return None, None
    ys = np.array([v for _, v in picked], dtype=float)
    slope = float(np.polyfit(hours, ys, 1)[0])
    if abs(slope) < steady_per_h:
        return STEADY, slope
    return (RISING if slope > 0 else FALLING), slope


def warning_level(sensor: SensorSpec, value: float | None) -> tuple[Threshold | None, bool]:
    """Return the threshold a gauge shows and whether it is crossed (see :class:`GaugeReading`)."""
    if not sensor.thresholds:
        return None, False
    if value is not None:
        crossed = [t for t in sensor.thresholds if _crossed(t, value)]
        if crossed:
            return max(crossed, key=lambda t: (_SEVERITY_RANK[t.severity], abs(t.value))), True
        return min(sensor.thresholds, key=lambda t: abs(t.value - value)), False
    above = [t for t in sensor.thresholds if t.direction == "above"] or sensor.thresholds
    return min(above, key=lambda t: _SEVERITY_RANK[t.severity]), False


def gauge_reading(sensor: SensorSpec, live: LiveValues, now: datetime,
                  window: timedelta = timedelta(minutes=30)) -> GaugeReading:
    """Return what the gauge of ``sensor`` shows at ``now``."""
    current = live.value_at(sensor.id, now)
    times, values = live.series(sensor.id)
    direction, rate = trend(times, values, now, window, STEADY_RATE.get(sensor.kind, 0.0))
    value = current.value if current is not None else None
    level, crossed = warning_level(sensor, value)
    return GaugeReading(sensor, value, direction, rate, display_state(sensor, current, now),
                        level, crossed)


def _crossed(threshold: Threshold, value: float) -> bool:
    if threshold.direction == "above":
        return value >= threshold.value
    return value <= threshold.value
