"""A monitoring reading: one value of one sensor at one time, as every feed and store passes it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum


class Quality(IntEnum):
    """How far a reading can be trusted (stored as its integer value)."""

    GOOD = 0
    SUSPECT = 1
    BAD = 2
    MISSING = 3


@dataclass(frozen=True, slots=True)
class Reading:
    """One value of one sensor.

    Attributes
    ----------
    sensor_id : str
        The scene's sensor id (``"XCS-WL-01"``).
    time : datetime
        When the value was measured, timezone-aware (stored and compared in UTC).
    value : float
        The value in ``unit``.
    unit : str
        The unit (one of :data:`twin_app.core.scene.SENSOR_UNITS` for the sensor's kind).
    quality : Quality
        How far the value can be trusted.
    source : str
        Where it came from, e.g. ``"mqtt"``, ``"sl651:0012345678"``, ``"replay"``.
    """

    sensor_id: str
    time: datetime
    value: float
    unit: str
    quality: Quality = Quality.GOOD
    source: str = ""

    def __post_init__(self) -> None:
        if self.time.tzinfo is None:
            msg = f"reading of {self.sensor_id}: time {self.time} has no time zone; give UTC"
            raise ValueError(msg)
        if not isinstance(self.value, int | float) or math.isnan(self.value):
            msg = f"reading of {self.sensor_id}: value {self.value!r} is not a number"
            raise ValueError(msg)

    @property
    def utc(self) -> datetime:
        """The time in UTC."""
        return self.time.astimezone(UTC)
