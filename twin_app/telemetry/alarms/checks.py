"""Alarms raised by engineering checks (a piping safety factor, a leak flag), not by a sensor.

A module that checks something (the seepage checks of a flood-wall section, say) posts each
check's outcome to the same :class:`~twin_app.telemetry.alarms.engine.AlarmEngine` as the live
data::

    engine.post_checks([CheckOutcome(source="seepage:MS-1", check_id="uplift",
                                     name=LocalizedText(zh="墙后覆盖层抗浮", en="Uplift"),
                                     failed=True, text="uplift of blanket: ... FAILS",
                                     value=0.85, severity=Severity.ALARM)])

The alarm's key is ``"<source>/<check_id>"``; it goes through the same ISA-18.2 states as a
sensor alarm (a check that fails raises it, one that passes again clears it, an operator
acknowledges it).  The check's text is the transition's comment and its safety factor the
alarm's value.  An alarm is created the first time its check fails; a passing check of an
unknown alarm changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from twin_app.core.scene import LocalizedText, SensorKind
from twin_app.telemetry.alarms.definitions import AlarmDefinition, AlarmKind, Severity


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckAlarm(AlarmDefinition):
    """An alarm on an engineering check; ``sensor_id`` is the check's source, e.g. ``seepage:MS-1``.

    It watches no sensor, so it has no sensor kind and its value (a safety factor) no unit.
    """

    kind: ClassVar[AlarmKind] = AlarmKind.CHECK
    unit: str = ""
    sensor_kind: SensorKind | None = None  # type: ignore[assignment]


@dataclass(frozen=True)
class CheckOutcome:
    """The outcome of one check, as posted to the alarm engine.

    Attributes
    ----------
    source : str
        What was checked, e.g. ``"seepage:MS-1"`` (a section); the alarm list's "sensor" column.
    check_id : str
        Which check, unique per source (``"uplift"``, ``"leak_HPK-PZ-02"``).
    name : LocalizedText
        What the operator reads.
    failed : bool
        Whether the check failed (its safety factor is below the required one).
    text : str
        The check's full text (value, limit, safety factor), kept as the transition's comment.
    value : float or None
        The safety factor (or the measured excess of a leak flag).
    severity : Severity
        How urgent a failure is.
    """

    source: str
    check_id: str
    name: LocalizedText
    failed: bool
    text: str
    value: float | None = None
    severity: Severity = Severity.WARNING

    @property
    def key(self) -> str:
        """The alarm's key, ``"<source>/<check_id>"``."""
        return f"{self.source}/{self.check_id}"

    def definition(self) -> CheckAlarm:
        """Return the alarm definition of this check."""
        return CheckAlarm(sensor_id=self.source, alarm_id=self.check_id,
                          severity=self.severity, name=self.name)


def is_check_source(sensor_id: str) -> bool:
    """Return whether an alarm's ``sensor_id`` names a check source (``"module:item"``)."""
    return ":" in sensor_id
