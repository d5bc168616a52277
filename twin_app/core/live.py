"""The values the twin shows: every sensor's reading as of the app clock's time.

:class:`LiveValues` keeps a bounded recent history per sensor in memory (enough to scrub back
through a replayed event or the last hours of live data without asking the store) and answers
"what did sensor S read at time T" with the latest reading at or before T.  Feeds call
:meth:`LiveValues.ingest` (from any thread); views listen to ``changed`` and read
:meth:`LiveValues.snapshot` for the clock's time.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from psygnal import Signal

from twin_app.core.readings import Quality, Reading

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(time: datetime) -> int:
    delta = time.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@dataclass(frozen=True, slots=True)
class SensorValue:
    """A sensor's value at a moment: the reading in force then."""

    value: float
    time: datetime
    unit: str
    quality: Quality


class _Series:
    """One sensor's recent readings, sorted by time."""

    __slots__ = ("times", "values")

    def __init__(self) -> None:
        self.times: list[int] = []
        self.values: list[Reading] = []

    def add(self, stamp: int, reading: Reading) -> None:
        if not self.times or stamp > self.times[-1]:
            self.times.append(stamp)
            self.values.append(reading)
            return
        index = bisect.bisect_left(self.times, stamp)
        if index < len(self.times) and self.times[index] == stamp:
            self.values[index] = reading  # a re-sent reading replaces the one it repeats
            return
        self.times.insert(index, stamp)
        self.values.insert(index, reading)

    def at(self, stamp: int) -> Reading | None:
        index = bisect.bisect_right(self.times, stamp)
        return self.values[index - 1] if index else None

    def trim(self, max_points: int) -> None:
        extra = len(self.times) - max_points
        if extra > 0:
            del self.times[:extra]
            del self.values[:extra]


class LiveValues:
    """Recent readings of a scene's sensors, queried by time.

    Parameters
    ----------
    sensor_ids : iterable of str
        The sensors of the scene; readings of other sensors are ignored (and counted).
    max_points : int
        Readings kept per sensor (the oldest go first).
    """

    changed = Signal(object)
    """Emitted with the set of sensor ids that received readings."""

    def __init__(self, sensor_ids: Iterable[str], max_points: int = 50_000) -> None:
        self._series = {sensor_id: _Series() for sensor_id in sensor_ids}
        self._lock = threading.Lock()
        self.max_points = max_points
        self.unknown_sensor_readings = 0

    def ingest(self, readings: Iterable[Reading]) -> set[str]:
        """Add readings (any order, any thread); return the sensors that got new values."""
        touched: set[str] = set()
        with self._lock:
            for reading in readings:
                series = self._series.get(reading.sensor_id)
                if series is None:
                    self.unknown_sensor_readings += 1
                    continue
                series.add(_micros(reading.time), reading)
                touched.add(reading.sensor_id)
            for sensor_id in touched:
                self._series[sensor_id].trim(self.max_points)
        if touched:
            self.changed.emit(touched)
        return touched

    def value_at(self, sensor_id: str, time: datetime) -> SensorValue | None:
        """Return the reading of ``sensor_id`` in force at ``time``, or ``None``."""
        with self._lock:
            series = self._series.get(sensor_id)
            reading = series.at(_micros(time)) if series is not None else None
        if reading is None:
            return None
        return SensorValue(reading.value, reading.time, reading.unit, reading.quality)

    def snapshot(self, time: datetime) -> dict[str, SensorValue]:
        """Return every sensor's value at ``time`` (sensors with no reading yet are left out)."""
        stamp = _micros(time)
        result: dict[str, SensorValue] = {}
        with self._lock:
            for sensor_id, series in self._series.items():
                reading = series.at(stamp)
                if reading is not None:
                    result[sensor_id] = SensorValue(
                        reading.value, reading.time, reading.unit, reading.quality
                    )
        return result

    def series(self, sensor_id: str) -> tuple[list[datetime], list[float]]:
        """Return the times and values held for ``sensor_id`` (oldest first)."""
        with self._lock:
            series = self._series.get(sensor_id)
            readings = list(series.values) if series is not None else []
        return [r.time for r in readings], [r.value for r in readings]

    def time_range(self) -> tuple[datetime, datetime] | None:
        """Return the earliest and latest reading time held, or ``None`` when empty."""
        with self._lock:
            firsts = [s.values[0].time for s in self._series.values() if s.values]
            lasts = [s.values[-1].time for s in self._series.values() if s.values]
        if not firsts:
            return None
        return min(firsts), max(lasts)
