"""Alarm definitions: what each alarm watches, derived from a scene's sensors and their thresholds.

Every sensor gets

- one **level** alarm per threshold (``alarm_id`` = the threshold id), with a deadband in the
  sensor's unit: an ``above`` alarm raises when the value exceeds the limit and clears only when it
  falls below ``limit - deadband`` (``below``: mirrored);
- a **rate-of-rise** alarm (``"rate_of_rise"``) where its kind has a default rate or the config
  sets one: the value rising faster than ``rate_per_hour`` over ``window``;
- a **stale-data** alarm (``"stale"``): no reading for ``max_age``;
- a **bad-quality** alarm (``"bad_quality"``): the latest reading's quality at or worse than
  ``from_quality`` (a reading in the wrong unit counts as bad).

The per-kind defaults in :data:`KIND_DEFAULTS` are illustrative engineering choices, not values
from a standard; override them with an :class:`~twin_app.telemetry.alarms.config.AlarmConfig`:

================  =========  ========  ===============================  ==========
kind              ref. unit  deadband  rate of rise (window, deadband)  stale after
================  =========  ========  ===============================  ==========
water_level       m          0.05      1.0 m/h (15 min, 0.2 m/h)        10 min
rainfall          mm/h       2.0       --                               70 min
gate_opening      m          0.05      --                               10 min
pump_state        1          0         --                               10 min
pump_flow         m3/s       2.0       --                               10 min
piezometer        m          0.05      0.2 m/h (60 min, 0.05 m/h)       70 min
settlement        mm         1.0       3 mm/day (24 h, 1 mm/day)        25 h
inclination       deg        0.02      --                               25 h
================  =========  ========  ===============================  ==========

Rate-of-rise alarms are warnings; stale-data and bad-quality alarms are advisories; a reading is
bad from quality ``BAD`` on.  No on-delay by default (readings may be minutes apart).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import IntEnum, StrEnum
from typing import Any, ClassVar, Literal

from twin_app.core.readings import Quality
from twin_app.core.scene import LocalizedText, Scene, SensorKind, SensorSpec, Threshold
from twin_app.core.toml_lines import KeyPath
from twin_app.telemetry.alarms.config import (
    AlarmConfig,
    KindSettings,
    SensorSettings,
    ThresholdSettings,
)
from twin_app.telemetry.alarms.errors import AlarmDefinitionError


class Severity(IntEnum):
    """How urgent an alarm is (the scene's threshold severities, in rising order)."""

    ADVISORY = 1
    WARNING = 2
    ALARM = 3
    CRITICAL = 4

    @classmethod
    def named(cls, name: str) -> Severity:
        """Return the severity called ``name`` (``"warning"``)."""
        return cls[name.upper()]


class AlarmKind(StrEnum):
    """What an alarm watches."""

    LEVEL = "level"
    RATE_OF_RISE = "rate_of_rise"
    STALE = "stale"
    BAD_QUALITY = "bad_quality"
    CHECK = "check"
    """An engineering check posted by a module (:mod:`twin_app.telemetry.alarms.checks`)."""


BUILT_IN_IDS = frozenset({"rate_of_rise", "stale", "bad_quality"})
"""Alarm ids the engine gives the built-in alarms; a threshold may not use them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmDefinition:
    """What every alarm has.

    Attributes
    ----------
    sensor_id : str
        The sensor watched.
    alarm_id : str
        Unique per sensor (a threshold id, or one of :data:`BUILT_IN_IDS`).
    severity : Severity
        How urgent it is.
    name : LocalizedText
        What the operator reads.
    unit : str
        The sensor's unit.
    sensor_kind : SensorKind
        The kind of sensor.
    """

    kind: ClassVar[AlarmKind]
    sensor_id: str
    alarm_id: str
    severity: Severity
    name: LocalizedText
    unit: str
    sensor_kind: SensorKind

    @property
    def key(self) -> str:
        """The engine-wide key, ``"SENSOR/alarm"``."""
        return f"{self.sensor_id}/{self.alarm_id}"


@dataclass(frozen=True, slots=True, kw_only=True)
class LevelAlarm(AlarmDefinition):
    """A threshold crossing with hysteresis (``deadband`` and ``on_delay``, see module doc)."""

    kind: ClassVar[AlarmKind] = AlarmKind.LEVEL
    limit: float
    direction: Literal["above", "below"]
    deadband: float
    on_delay: timedelta = timedelta(0)
    source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RateOfRiseAlarm(AlarmDefinition):
    """The value rising faster than ``rate_per_hour`` (unit per hour), measured over ``window``.

    The rate is the change from the oldest sample inside the window to the newest, per hour; it
    is only judged once the samples span at least half the window.  The alarm clears when the
    rate falls below ``rate_per_hour - deadband_per_hour``.
    """

    kind: ClassVar[AlarmKind] = AlarmKind.RATE_OF_RISE
    rate_per_hour: float
    window: timedelta
    deadband_per_hour: float = 0.0
    on_delay: timedelta = timedelta(0)


@dataclass(frozen=True, slots=True, kw_only=True)
class StaleDataAlarm(AlarmDefinition):
    """No reading for longer than ``max_age`` (judged on the engine's clock)."""

    kind: ClassVar[AlarmKind] = AlarmKind.STALE
    max_age: timedelta


@dataclass(frozen=True, slots=True, kw_only=True)
class BadQualityAlarm(AlarmDefinition):
    """The latest reading's quality is ``from_quality`` or worse."""

    kind: ClassVar[AlarmKind] = AlarmKind.BAD_QUALITY
    from_quality: Quality = Quality.BAD


@dataclass(frozen=True, slots=True)
class KindDefaults:
    """The alarm settings of a sensor: built in per kind, then overridden by the config.

    Values are in ``unit`` (rates in ``unit`` per hour).  ``rate_on``, ``stale_on`` and
    ``bad_quality_on`` switch the built-in alarms; a rate-of-rise alarm also needs a rate.
    """

    unit: str
    deadband: float
    stale_after: timedelta
    rate_per_hour: float | None = None
    rate_window: timedelta = timedelta(minutes=15)
    rate_deadband_per_hour: float = 0.0
    on_delay: timedelta = timedelta(0)
    rate_on: bool = False
    stale_on: bool = True
    bad_quality_on: bool = True
    rate_severity: Severity = Severity.WARNING
    stale_severity: Severity = Severity.ADVISORY
    bad_quality_severity: Severity = Severity.ADVISORY
    bad_quality_from: Quality = Quality.BAD

    def scaled(self, unit: str, factor: float) -> KindDefaults:
        """Return these settings for a sensor whose unit is ``factor`` times the reference."""
        if factor == 1.0:
            return replace(self, unit=unit)
        rate = None if self.rate_per_hour is None else self.rate_per_hour * factor
        return replace(self, unit=unit, deadband=self.deadband * factor, rate_per_hour=rate,
                       rate_deadband_per_hour=self.rate_deadband_per_hour * factor)


def _kind(unit: str, deadband: float, stale_min: float, rate: float | None = None,
          window_min: float = 15.0, rate_deadband: float = 0.0) -> KindDefaults:
    return KindDefaults(unit, deadband, timedelta(minutes=stale_min), rate,
                        timedelta(minutes=window_min), rate_deadband, rate_on=rate is not None)


KIND_DEFAULTS: dict[SensorKind, KindDefaults] = {
    SensorKind.WATER_LEVEL: _kind("m", 0.05, 10, rate=1.0, window_min=15, rate_deadband=0.2),
    SensorKind.RAINFALL: _kind("mm/h", 2.0, 70),
    SensorKind.GATE_OPENING: _kind("m", 0.05, 10),
    SensorKind.PUMP_STATE: _kind("1", 0.0, 10),
    SensorKind.PUMP_FLOW: _kind("m3/s", 2.0, 10),
    SensorKind.PIEZOMETER: _kind("m", 0.05, 70, rate=0.2, window_min=60, rate_deadband=0.05),
    SensorKind.SETTLEMENT: _kind("mm", 1.0, 25 * 60, rate=3.0 / 24, window_min=24 * 60,
                                 rate_deadband=1.0 / 24),
    SensorKind.INCLINATION: _kind("deg", 0.02, 25 * 60),
}
"""Illustrative defaults per sensor kind, in the kind's reference unit (see module doc)."""

UNIT_FACTORS: dict[tuple[SensorKind, str], float] = {(SensorKind.PIEZOMETER, "kPa"): 9.80665}
"""A reference-unit value times this is the value in the sensor's unit (1 when not listed)."""

_NAMES = {
    AlarmKind.RATE_OF_RISE: LocalizedText(zh="涨率超限", en="Rising too fast"),
    AlarmKind.STALE: LocalizedText(zh="数据中断", en="No data (stale)"),
    AlarmKind.BAD_QUALITY: LocalizedText(zh="数据质量异常", en="Bad data quality"),
}


def definitions_from_scene(scene: Scene, config: AlarmConfig | None = None
                           ) -> list[AlarmDefinition]:
    """Return the alarm definitions of every sensor in a scene.

    Parameters
    ----------
    scene : Scene
        The validated scene (``load_scene(name).spec``).
    config : AlarmConfig, optional
        Overrides of the defaults; the built-in defaults if omitted.

    Returns
    -------
    list of AlarmDefinition
        Per sensor in scene order: its level alarms, then rate of rise, stale, bad quality.

    Raises
    ------
    AlarmConfigError
        If the config names a sensor or threshold the scene lacks, or turns on a rate-of-rise
        alarm without a rate where the kind has no default.
    AlarmDefinitionError
        If a threshold id clashes with a built-in alarm id.
    """
    config = config or AlarmConfig()
    _check_config_ids(scene, config)
    definitions: list[AlarmDefinition] = []
    for sensor in scene.sensors:
        settings = config.sensors.get(sensor.id, SensorSettings())
        if settings.enabled:
            resolved = sensor_settings(sensor, config)
            definitions.extend(_level_alarms(sensor, resolved, settings))
            definitions.extend(_built_in_alarms(sensor, resolved))
    check_unique(definitions)
    return definitions


def sensor_settings(sensor: SensorSpec, config: AlarmConfig) -> KindDefaults:
    """Return a sensor's alarm settings: its kind's defaults with the config's overrides.

    Raises
    ------
    AlarmConfigError
        If a rate-of-rise alarm is switched on without a rate to compare with.
    """
    factor = UNIT_FACTORS.get((sensor.kind, sensor.unit), 1.0)
    resolved = KIND_DEFAULTS[sensor.kind].scaled(sensor.unit, factor)
    layers: list[tuple[KindSettings | None, float, KeyPath]] = [
        (config.defaults.get(sensor.kind), factor, ("defaults", sensor.kind.value)),
        (config.sensors.get(sensor.id), 1.0, ("sensors", sensor.id)),
    ]
    for settings, layer_factor, path in layers:
        if settings is not None:
            resolved = _overlay(resolved, settings, layer_factor)
            if resolved.rate_on and resolved.rate_per_hour is None:
                raise config.error((*path, "rate_of_rise"), f"a rate-of-rise alarm for "
                                   f"{sensor.kind.value} sensors has no default rate",
                                   hint="give rate_per_hour, or set rate_of_rise = false")
    return resolved


def check_unique(definitions: Iterable[AlarmDefinition]) -> dict[str, AlarmDefinition]:
    """Return the definitions by key.

    Raises
    ------
    AlarmDefinitionError
        If two definitions share a key.
    """
    by_key: dict[str, AlarmDefinition] = {}
    for definition in definitions:
        if definition.key in by_key:
            raise AlarmDefinitionError(f"two alarm definitions have the key {definition.key}",
                                       hint="give each alarm of a sensor its own id")
        by_key[definition.key] = definition
    return by_key


def _check_config_ids(scene: Scene, config: AlarmConfig) -> None:
    sensors = {sensor.id: sensor for sensor in scene.sensors}
    for sensor_id, settings in config.sensors.items():
        if sensor_id not in sensors:
            known = ", ".join(sorted(sensors)) or "none"
            raise config.error(("sensors", sensor_id), f"scene {scene.id!r} has no sensor "
                               f"{sensor_id!r}", hint=f"sensors of the scene: {known}")
        thresholds = {threshold.id for threshold in sensors[sensor_id].thresholds}
        for threshold_id in settings.thresholds:
            if threshold_id not in thresholds:
                known = ", ".join(sorted(thresholds)) or "none"
                raise config.error(("sensors", sensor_id, "thresholds", threshold_id),
                                   f"sensor {sensor_id!r} has no threshold {threshold_id!r}",
                                   hint=f"its thresholds: {known}")


def _overlay(base: KindDefaults, settings: KindSettings, factor: float) -> KindDefaults:
    """Return ``base`` with what ``settings`` gives (unit values multiplied by ``factor``)."""
    changes: dict[str, Any] = {}
    if settings.deadband is not None:
        changes["deadband"] = settings.deadband * factor
    if settings.on_delay_s is not None:
        changes["on_delay"] = timedelta(seconds=settings.on_delay_s)
    if (rate := settings.rate_of_rise) is not None:
        changes["rate_on"] = rate.enabled
        _set(changes, "rate_per_hour", rate.rate_per_hour, factor)
        _set(changes, "rate_deadband_per_hour", rate.deadband_per_hour, factor)
        if rate.window_min is not None:
            changes["rate_window"] = timedelta(minutes=rate.window_min)
        if rate.severity is not None:
            changes["rate_severity"] = Severity.named(rate.severity)
    if (stale := settings.stale) is not None:
        changes["stale_on"] = stale.enabled
        if stale.after_min is not None:
            changes["stale_after"] = timedelta(minutes=stale.after_min)
        if stale.severity is not None:
            changes["stale_severity"] = Severity.named(stale.severity)
    if (quality := settings.bad_quality) is not None:
        changes["bad_quality_on"] = quality.enabled
        if quality.from_quality is not None:
            changes["bad_quality_from"] = Quality[quality.from_quality.upper()]
        if quality.severity is not None:
            changes["bad_quality_severity"] = Severity.named(quality.severity)
    return replace(base, **changes)


def _set(changes: dict[str, Any], name: str, value: float | None, factor: float) -> None:
    if value is not None:
        changes[name] = value * factor


def _level_alarms(sensor: SensorSpec, resolved: KindDefaults, settings: SensorSettings
                  ) -> list[LevelAlarm]:
    alarms = []
    for threshold in sensor.thresholds:
        if threshold.id in BUILT_IN_IDS:
            raise AlarmDefinitionError(
                f"sensor {sensor.id}: threshold id {threshold.id!r} is reserved for the "
                "built-in alarm of that name", hint="rename the threshold in scene.toml")
        override = settings.thresholds.get(threshold.id, ThresholdSettings())
        if override.enabled:
            alarms.append(_level_alarm(sensor, threshold, resolved, override))
    return alarms


def _level_alarm(sensor: SensorSpec, threshold: Threshold, resolved: KindDefaults,
                 override: ThresholdSettings) -> LevelAlarm:
    deadband = resolved.deadband if override.deadband is None else override.deadband
    on_delay = (resolved.on_delay if override.on_delay_s is None
                else timedelta(seconds=override.on_delay_s))
    return LevelAlarm(sensor_id=sensor.id, alarm_id=threshold.id,
                      severity=Severity.named(override.severity or threshold.severity),
                      name=threshold.name, unit=sensor.unit, sensor_kind=sensor.kind,
                      limit=threshold.value, direction=threshold.direction, deadband=deadband,
                      on_delay=on_delay, source=threshold.source)


def _built_in_alarms(sensor: SensorSpec, resolved: KindDefaults) -> list[AlarmDefinition]:
    common = {"sensor_id": sensor.id, "unit": sensor.unit, "sensor_kind": sensor.kind}
    alarms: list[AlarmDefinition] = []
    if resolved.rate_on and resolved.rate_per_hour is not None:
        alarms.append(RateOfRiseAlarm(
            alarm_id="rate_of_rise", severity=resolved.rate_severity,
            name=_NAMES[AlarmKind.RATE_OF_RISE], rate_per_hour=resolved.rate_per_hour,
            window=resolved.rate_window, deadband_per_hour=resolved.rate_deadband_per_hour,
            on_delay=resolved.on_delay, **common))
    if resolved.stale_on:
        alarms.append(StaleDataAlarm(alarm_id="stale", severity=resolved.stale_severity,
                                     name=_NAMES[AlarmKind.STALE],
                                     max_age=resolved.stale_after, **common))
    if resolved.bad_quality_on:
        alarms.append(BadQualityAlarm(alarm_id="bad_quality",
                                      severity=resolved.bad_quality_severity,
                                      name=_NAMES[AlarmKind.BAD_QUALITY],
                                      from_quality=resolved.bad_quality_from, **common))
    return alarms
