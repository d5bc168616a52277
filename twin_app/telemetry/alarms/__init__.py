"""Warnings (预警): alarm definitions from a scene, the ISA-18.2 state machine and the alarm engine.

Qt-free: the UI and the store subscribe to :attr:`AlarmEngine.transitions`.

- :mod:`~twin_app.telemetry.alarms.definitions`: what each alarm watches, and the per-kind
  defaults (deadband, rate of rise, stale data, bad quality);
- :mod:`~twin_app.telemetry.alarms.config`: TOML overrides of those defaults;
- :mod:`~twin_app.telemetry.alarms.state`: states, transitions and :class:`AlarmEvent`;
- :mod:`~twin_app.telemetry.alarms.conditions`: per-reading checks (hysteresis, rate window);
- :mod:`~twin_app.telemetry.alarms.engine`: :class:`AlarmEngine`;
- :mod:`~twin_app.telemetry.alarms.checks`: alarms of engineering checks (seepage safety factors);
- :mod:`~twin_app.telemetry.alarms.history`: persisting to and resuming from the store.
"""

from twin_app.telemetry.alarms.checks import CheckAlarm, CheckOutcome
from twin_app.telemetry.alarms.config import AlarmConfig
from twin_app.telemetry.alarms.definitions import (
    KIND_DEFAULTS,
    AlarmDefinition,
    AlarmKind,
    BadQualityAlarm,
    LevelAlarm,
    RateOfRiseAlarm,
    Severity,
    StaleDataAlarm,
    definitions_from_scene,
)
from twin_app.telemetry.alarms.engine import AlarmEngine
from twin_app.telemetry.alarms.errors import (
    AlarmConfigError,
    AlarmDefinitionError,
    AlarmError,
    AlarmListenerError,
    IllegalTransitionError,
    OperatorInputError,
    UnknownAlarmError,
)
from twin_app.telemetry.alarms.state import AlarmEvent, AlarmState, AlarmStateMachine, Trigger
from twin_app.telemetry.alarms.status import AlarmStatus

__all__ = [
    "KIND_DEFAULTS",
    "AlarmConfig",
    "AlarmConfigError",
    "AlarmDefinition",
    "AlarmDefinitionError",
    "AlarmEngine",
    "AlarmError",
    "AlarmEvent",
    "AlarmKind",
    "AlarmListenerError",
    "AlarmState",
    "AlarmStateMachine",
    "AlarmStatus",
    "BadQualityAlarm",
    "CheckAlarm",
    "CheckOutcome",
    "IllegalTransitionError",
    "LevelAlarm",
    "OperatorInputError",
    "RateOfRiseAlarm",
    "Severity",
    "StaleDataAlarm",
    "Trigger",
    "UnknownAlarmError",
    "definitions_from_scene",
]
