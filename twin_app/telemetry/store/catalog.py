"""What the store knows of each sensor before it accepts a value: its unit and physical range.

The catalog is built from a scene's sensors (``SensorSpec``: id, kind, unit).  A scene gives no
physical range, so each kind has a default range per unit in :data:`DEFAULT_PHYSICAL_RANGES`, wide
enough for any real value at Shanghai's works and narrow enough to catch a broken gauge, a wrong
scale factor or a sentinel value (``9999``).  A deployment can narrow a sensor's range with
``ranges=``.  The ranges are plausibility limits for quarantine, not warning thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from twin_app.core.scene import SENSOR_UNITS, Scene, SensorKind
from twin_app.telemetry.store.errors import StoreConfigError

DEFAULT_PHYSICAL_RANGES: dict[tuple[SensorKind, str], tuple[float, float]] = {
    # Heights in the scene datum (Wusong): the Huangpu record is 5.72 m, wall crests about 7 m,
    # river beds and deep wells well below zero.
    (SensorKind.WATER_LEVEL, "m"): (-20.0, 15.0),
    # Rain in one reporting interval (SL 651 current rain) or per hour; the world's one-hour
    # record is about 305 mm, Shanghai's under 150 mm.
    (SensorKind.RAINFALL, "mm"): (0.0, 500.0),
    (SensorKind.RAINFALL, "mm/h"): (0.0, 400.0),
    # Gate leaf opening; a small negative value is a calibration offset of a closed gate.
    (SensorKind.GATE_OPENING, "m"): (-0.5, 30.0),
    # Pump running state: 0 stopped, 1 running (a fault is a quality, not a state value).
    (SensorKind.PUMP_STATE, "1"): (0.0, 1.0),
    # Pump station discharge (one unit or the whole station).
    (SensorKind.PUMP_FLOW, "m3/s"): (0.0, 1000.0),
    # Piezometric head in the scene datum, or pore pressure (suction down to -100 kPa).
    (SensorKind.PIEZOMETER, "m"): (-50.0, 50.0),
    (SensorKind.PIEZOMETER, "kPa"): (-100.0, 1000.0),
    # Cumulative settlement (positive down) or heave (negative).
    (SensorKind.SETTLEMENT, "mm"): (-1000.0, 1000.0),
    (SensorKind.INCLINATION, "deg"): (-90.0, 90.0),
}
"""Default physical range ``(low, high)`` of each sensor kind in each of its units."""


@dataclass(frozen=True, slots=True)
class SensorLimits:
    """What a reading of one sensor must satisfy to be stored.

    Attributes
    ----------
    sensor_id : str
        The scene's sensor id.
    kind : SensorKind
        The instrument kind.
    unit : str
        The one unit readings of this sensor must carry.
    low, high : float
        The physical range, inclusive.
    """

    sensor_id: str
    kind: SensorKind
    unit: str
    low: float
    high: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            msg = (f"sensor {self.sensor_id}: physical range ({self.low}, {self.high}) is not a "
                   "finite interval with low < high")
            raise StoreConfigError(msg, hint="give the range as (low, high) in the sensor's unit")
        if self.unit not in SENSOR_UNITS[self.kind]:
            allowed = ", ".join(repr(unit) for unit in SENSOR_UNITS[self.kind])
            msg = f"sensor {self.sensor_id}: unit {self.unit!r} does not fit a {self.kind.value}"
            raise StoreConfigError(msg, hint=f"use one of {allowed}")


def default_range(kind: SensorKind, unit: str) -> tuple[float, float]:
    """Return the default physical range of a sensor kind in a unit.

    Parameters
    ----------
    kind : SensorKind
        The instrument kind.
    unit : str
        One of the kind's units (:data:`twin_app.core.scene.SENSOR_UNITS`).

    Returns
    -------
    tuple of float
        ``(low, high)``, inclusive.

    Raises
    ------
    StoreConfigError
        If the kind has no default range in that unit.
    """
    try:
        return DEFAULT_PHYSICAL_RANGES[(kind, unit)]
    except KeyError:
        msg = f"no default physical range for a {kind.value} sensor in {unit!r}"
        raise StoreConfigError(msg, hint="pass the sensor's range in ranges={id: (low, high)}"
                               ) from None


class SensorCatalog(Mapping[str, SensorLimits]):
    """The sensors a store accepts readings for, by id.

    Parameters
    ----------
    limits : iterable of SensorLimits
        One entry per sensor; ids must be unique.

    Raises
    ------
    StoreConfigError
        If a sensor id is given twice.
    """

    def __init__(self, limits: Iterable[SensorLimits] = ()) -> None:
        self._limits: dict[str, SensorLimits] = {}
        for entry in limits:
            if entry.sensor_id in self._limits:
                msg = f"sensor id {entry.sensor_id!r} appears twice in the sensor catalog"
                raise StoreConfigError(msg, hint="sensor ids must be unique across the scenes "
                                       "that share one store; rename one of them")
            self._limits[entry.sensor_id] = entry
        self.checks: dict[str, tuple[str, float, float]] = {
            sensor_id: (entry.unit, entry.low, entry.high)
            for sensor_id, entry in self._limits.items()
        }
        """``sensor_id -> (unit, low, high)``: the flat table the validator's hot loop reads."""

    @classmethod
    def from_scene(
        cls, scene: Scene, ranges: Mapping[str, tuple[float, float]] | None = None
    ) -> SensorCatalog:
        """Build the catalog of a scene's sensors.

        Parameters
        ----------
        scene : Scene
            A validated scene (``load_scene(name).spec``).
        ranges : mapping of str to (float, float), optional
            Physical ranges by sensor id that replace the kind's default.

        Returns
        -------
        SensorCatalog
            One entry per sensor of the scene.

        Raises
        ------
        StoreConfigError
            If ``ranges`` names a sensor the scene does not have, or a range is not an interval.
        """
        return cls.from_scenes([scene], ranges)

    @classmethod
    def from_scenes(
        cls, scenes: Iterable[Scene], ranges: Mapping[str, tuple[float, float]] | None = None
    ) -> SensorCatalog:
        """Build one catalog for several scenes that share a store (a command centre).

        Parameters
        ----------
        scenes : iterable of Scene
            Validated scenes; their sensor ids must not collide.
        ranges : mapping of str to (float, float), optional
            Physical ranges by sensor id that replace the kind's default.

        Returns
        -------
        SensorCatalog
            One entry per sensor of all the scenes.

        Raises
        ------
        StoreConfigError
            If two scenes use the same sensor id, or ``ranges`` names an unknown sensor.
        """
        ranges = dict(ranges or {})
        entries = []
        for scene in scenes:
            for sensor in scene.sensors:
                low, high = ranges.pop(sensor.id, None) or default_range(sensor.kind, sensor.unit)
                entries.append(SensorLimits(sensor.id, sensor.kind, sensor.unit, low, high))
        if ranges:
            unknown = ", ".join(sorted(ranges))
            raise StoreConfigError(f"ranges given for sensors no scene has: {unknown}",
                                   hint="check the sensor ids against the scene files")
        return cls(entries)

    def __getitem__(self, sensor_id: str) -> SensorLimits:
        return self._limits[sensor_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._limits)

    def __len__(self) -> int:
        return len(self._limits)

    def __repr__(self) -> str:
        return f"SensorCatalog({len(self)} sensors)"
