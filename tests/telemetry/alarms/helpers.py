"""Helpers of the alarm tests: a fake clock, small scenes, readings."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from twin_app.core.readings import Quality, Reading
from twin_app.core.scene import LocalizedText, Scene, SensorKind, SensorSpec, Threshold
from twin_app.core.scene_loader import load_scene
from twin_app.telemetry.alarms import AlarmConfig, AlarmEngine, definitions_from_scene

T0 = datetime(2024, 9, 16, 0, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | float) -> datetime:
        self.now += delta if isinstance(delta, timedelta) else timedelta(seconds=delta)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


def threshold(id_: str, value: float, direction: str = "above", severity: str = "warning"
              ) -> Threshold:
    return Threshold(id=id_, name=LocalizedText(zh=id_, en=id_), value=value,
                     direction=direction, severity=severity)


def sensor(id_: str, kind: SensorKind = SensorKind.WATER_LEVEL, unit: str = "m",
           thresholds: Iterable[Threshold] = ()) -> SensorSpec:
    return SensorSpec(id=id_, kind=kind, name=LocalizedText(zh=id_, en=id_),
                      position=(0.0, 0.0, 0.0), unit=unit, thresholds=list(thresholds))


_HUANGPU: Scene | None = None


def huangpu() -> Scene:
    global _HUANGPU
    if _HUANGPU is None:
        _HUANGPU = load_scene("huangpu").spec
    return _HUANGPU


def scene_with(*sensors: SensorSpec) -> Scene:
    """A real scene (Huangpu) with its sensors replaced by ``sensors``."""
    return huangpu().model_copy(update={"sensors": list(sensors)})


def reading(sensor_id: str, time: datetime, value: float, *, unit: str = "m",
            quality: Quality = Quality.GOOD) -> Reading:
    return Reading(sensor_id, time, value, unit, quality, "test")


def engine_for(*sensors: SensorSpec, clock: FakeClock, config: str = "") -> AlarmEngine:
    scene = scene_with(*sensors)
    parsed = AlarmConfig.from_text(config, source="test.toml")
    return AlarmEngine(definitions_from_scene(scene, parsed), clock,
                       max_shelve=timedelta(hours=parsed.shelving.max_hours))


RIVER_GAUGES = ("HPK-WL-01", "SZK-WL-02", "LJZ-WL-01")  # all warn at 4.55 m
STEP = timedelta(minutes=5)


def storm_tide(hours: float, noise: float) -> float:
    """Level in m Wusong: a semidiurnal tide (range 2.2 m) plus a 1.4 m surge peaking at 18.5 h.

    High waters fall at 6.0, 18.4 and 30.8 h; only the second, on the surge, passes 4.55 m
    (peak about 4.8 m, below the 5.86 m design level).
    """
    tide = 2.3 + 1.1 * math.cos(2 * math.pi * (hours - 6.0) / 12.42)
    surge = 1.4 * math.exp(-(((hours - 18.5) / 4.0) ** 2))
    return tide + surge + noise


def replay(engine: AlarmEngine, clock: FakeClock, hours: float, *, on_step=None):
    rng = random.Random(20240916)
    events = []
    steps = int(hours * 3600 / STEP.total_seconds())
    for step in range(1, steps + 1):
        clock.set(T0 + step * STEP)
        hours_now = step * STEP.total_seconds() / 3600
        level = storm_tide(hours_now, rng.uniform(-0.01, 0.01))
        batch = [reading(gauge, clock.now, level) for gauge in RIVER_GAUGES]
        batch.append(reading("SZK-WL-01", clock.now, 3.0))  # inside the closed mouth gate
        events += engine.process(batch)
        events += engine.tick()
        if on_step:
            events += on_step(engine, clock, level) or []
    return events
