"""Alarm conditions: per-reading checks that decide when a condition becomes active or clear.

Each check owns one :class:`~twin_app.telemetry.alarms.state.AlarmStateMachine` and does O(1) work
per reading (the rate-of-rise window keeps at most about 20 samples), so the engine can follow
thousands of sensors at 1 Hz.  Times are passed both as ``datetime`` (for events) and as epoch
seconds (for arithmetic).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from datetime import datetime

from twin_app.core.readings import Quality
from twin_app.telemetry.alarms.definitions import (
    AlarmDefinition,
    BadQualityAlarm,
    LevelAlarm,
    RateOfRiseAlarm,
    StaleDataAlarm,
    check_unique,
)
from twin_app.telemetry.alarms.errors import AlarmDefinitionError
from twin_app.telemetry.alarms.state import AlarmEvent, AlarmStateMachine, Trigger

RATE_SAMPLES = 20
"""How many samples a rate-of-rise window keeps at most (one per window / RATE_SAMPLES)."""


class Check:
    """Base of the checks: one alarm's definition, state machine and on-delay.

    Parameters
    ----------
    definition : AlarmDefinition
        The alarm.
    """

    __slots__ = ("_on_delay", "_pending", "definition", "machine")

    def __init__(self, definition: AlarmDefinition) -> None:
        self.definition = definition
        self.machine = AlarmStateMachine(definition.sensor_id, definition.alarm_id,
                                         int(definition.severity))
        on_delay = getattr(definition, "on_delay", None)
        self._on_delay = on_delay.total_seconds() if on_delay is not None else 0.0
        self._pending: float | None = None

    def judge(self, want: bool, time: datetime, ts: float, value: float | None
              ) -> AlarmEvent | None:
        """Apply the condition ``want`` seen at ``time``; return the event, if any.

        A condition that becomes active must stay so for the on-delay before the alarm fires.
        """
        machine = self.machine
        if want == machine.condition:
            self._pending = None
            return None
        if want and self._on_delay > 0.0:
            if self._pending is None:
                self._pending = ts
            if ts - self._pending < self._on_delay:
                return None
        self._pending = None
        trigger = Trigger.ACTIVATE if want else Trigger.CLEAR
        return machine.fire(trigger, time, value=value, comment=self.describe(want, value))

    def describe(self, active: bool, value: float | None) -> str:
        """Return why the condition became active or clear (the event's comment)."""
        return "condition active" if active else "condition clear"


class LevelCheck(Check):
    """A threshold with a deadband (see :class:`.LevelAlarm`)."""

    __slots__ = ("_above", "_clear_at", "_limit")

    definition: LevelAlarm

    def __init__(self, definition: LevelAlarm) -> None:
        super().__init__(definition)
        self._above = definition.direction == "above"
        self._limit = definition.limit
        delta = definition.deadband
        self._clear_at = self._limit - delta if self._above else self._limit + delta

    def update(self, time: datetime, ts: float, value: float) -> AlarmEvent | None:
        """Judge a new value."""
        if self._above:
            want = value >= self._clear_at if self.machine.condition else value > self._limit
        else:
            want = value <= self._clear_at if self.machine.condition else value < self._limit
        return self.judge(want, time, ts, value)

    def describe(self, active: bool, value: float | None) -> str:
        """Return why the condition became active or clear."""
        d = self.definition
        if active:
            return f"{_num(value)} {d.unit} {d.direction} {d.name.en} {_num(d.limit)} {d.unit}"
        side, band = ("below", "minus") if self._above else ("above", "plus")
        return (f"{_num(value)} {d.unit} {side} {d.name.en} {band} deadband "
                f"{_num(self._clear_at)} {d.unit}")


class RateCheck(Check):
    """Rate of rise over a window (see :class:`.RateOfRiseAlarm`)."""

    __slots__ = ("_clear_at", "_limit", "_min_span", "_samples", "_step", "_window", "rate")

    definition: RateOfRiseAlarm

    def __init__(self, definition: RateOfRiseAlarm) -> None:
        super().__init__(definition)
        self._window = definition.window.total_seconds()
        self._step = self._window / RATE_SAMPLES
        self._min_span = self._window / 2.0
        self._limit = definition.rate_per_hour
        self._clear_at = definition.rate_per_hour - definition.deadband_per_hour
        self._samples: deque[tuple[float, float]] = deque()
        self.rate: float | None = None

    def update(self, time: datetime, ts: float, value: float) -> AlarmEvent | None:
        """Add a sample (times must not decrease) and judge the rate over the window."""
        samples = self._samples
        if not samples or ts - samples[-1][0] >= self._step:
            samples.append((ts, value))
        cutoff = ts - self._window
        while samples[0][0] < cutoff:
            samples.popleft()
        first_ts, first_value = samples[0]
        span = ts - first_ts
        if span < self._min_span:
            return None  # too little history to judge: keep the current condition
        rate = (value - first_value) * 3600.0 / span
        self.rate = rate
        want = rate >= self._clear_at if self.machine.condition else rate > self._limit
        return self.judge(want, time, ts, value)

    def describe(self, active: bool, value: float | None) -> str:
        """Return why the condition became active or clear."""
        d = self.definition
        minutes = d.window.total_seconds() / 60.0
        limit = self._limit if active else self._clear_at
        side = "above" if active else "below"
        return (f"rising {self.rate or 0.0:.3g} {d.unit}/h over {minutes:g} min, {side} "
                f"{limit:.3g} {d.unit}/h")


class StaleCheck(Check):
    """No reading for longer than the definition's ``max_age``."""

    __slots__ = ("_max_age",)

    definition: StaleDataAlarm

    def __init__(self, definition: StaleDataAlarm) -> None:
        super().__init__(definition)
        self._max_age = definition.max_age.total_seconds()

    def update(self, now: datetime, now_ts: float, last_seen_ts: float, value: float | None
               ) -> AlarmEvent | None:
        """Judge the age of the newest reading at ``now``."""
        return self.judge(now_ts - last_seen_ts > self._max_age, now, now_ts, value)

    def describe(self, active: bool, value: float | None) -> str:
        """Return why the condition became active or clear."""
        limit = self._max_age / 60.0
        if active:
            return f"no reading for more than {limit:g} min"
        return "readings arrive again"


class QualityCheck(Check):
    """The latest reading's quality at or worse than the definition's ``from_quality``."""

    __slots__ = ("_from", "_reason")

    definition: BadQualityAlarm

    def __init__(self, definition: BadQualityAlarm) -> None:
        super().__init__(definition)
        self._from = definition.from_quality
        self._reason = ""

    def update(self, time: datetime, ts: float, quality: Quality, unit: str, value: float
               ) -> AlarmEvent | None:
        """Judge the quality (and unit) of a new reading."""
        expected = self.definition.unit
        if unit != expected:
            self._reason = f"reading in {unit!r}, expected {expected!r}"
            return self.judge(True, time, ts, None)
        self._reason = f"quality {quality.name.lower()}"
        return self.judge(quality >= self._from, time, ts, value)

    def describe(self, active: bool, value: float | None) -> str:
        """Return why the condition became active or clear."""
        return self._reason if active else f"{self._reason} again"


def _num(value: float | None) -> str:
    """Return a value with at most three decimals and no trailing zeros."""
    if value is None:
        return "?"
    return f"{value:.3f}".rstrip("0").rstrip(".")


class SensorWatch:
    """The checks of one sensor and what the engine remembers about its readings.

    Attributes
    ----------
    unit : str
        The unit its readings must come in.
    levels : list of LevelCheck
        One per threshold.
    rate, stale, quality : Check or None
        The built-in alarms it has.
    last_ts : float
        Epoch seconds of the newest reading judged (readings older than this are not).
    last_seen : float
        Epoch seconds of the newest reading received (or of the engine's start).
    value : float or None
        The newest good value.
    """

    __slots__ = ("last_seen", "last_ts", "levels", "quality", "rate", "stale", "unit", "value")

    def __init__(self, unit: str, start: float) -> None:
        self.unit = unit
        self.levels: list[LevelCheck] = []
        self.rate: RateCheck | None = None
        self.stale: StaleCheck | None = None
        self.quality: QualityCheck | None = None
        self.last_ts = float("-inf")
        self.last_seen = start
        self.value: float | None = None

    def checks(self) -> list[Check]:
        """Return every check of the sensor: levels, then rate, stale, quality."""
        others = [self.rate, self.stale, self.quality]
        return [*self.levels, *(check for check in others if check is not None)]

    def add(self, definition: AlarmDefinition) -> None:
        """Add the check of a definition.

        Raises
        ------
        AlarmDefinitionError
            If the definition's unit differs from the sensor's other alarms', or the sensor
            already has a built-in alarm of that kind.
        """
        if definition.unit != self.unit:
            raise AlarmDefinitionError(
                f"alarm {definition.key} is in {definition.unit!r} but the sensor's other alarms "
                f"are in {self.unit!r}", hint="define all alarms of a sensor in its unit")
        if isinstance(definition, LevelAlarm):
            self.levels.append(LevelCheck(definition))
            return
        slot = _SLOTS.get(type(definition))
        if slot is None or getattr(self, slot[0]) is not None:
            raise AlarmDefinitionError(f"alarm {definition.key}: a sensor has at most one "
                                       f"{definition.kind.value} alarm",
                                       hint="remove the duplicate definition")
        setattr(self, slot[0], slot[1](definition))

    @classmethod
    def build(cls, definitions: Iterable[AlarmDefinition], start: float
              ) -> dict[str, SensorWatch]:
        """Return the watches of the sensors the definitions name, by sensor id.

        Raises
        ------
        AlarmDefinitionError
            If two definitions share a key, or as :meth:`add`.
        """
        watches: dict[str, SensorWatch] = {}
        for definition in check_unique(definitions).values():
            watch = watches.get(definition.sensor_id)
            if watch is None:
                watch = watches[definition.sensor_id] = cls(definition.unit, start)
            watch.add(definition)
        return watches


_SLOTS: dict[type, tuple[str, type[Check]]] = {
    RateOfRiseAlarm: ("rate", RateCheck),
    StaleDataAlarm: ("stale", StaleCheck),
    BadQualityAlarm: ("quality", QualityCheck),
}
