"""Snapshots of alarm state for the UI, and the recorded transitions the engine resumes from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from twin_app.telemetry.alarms.definitions import AlarmDefinition, AlarmKind, Severity
from twin_app.telemetry.alarms.state import AlarmState, AlarmStateMachine


class HistoryEvent(Protocol):
    """A recorded transition (the store's ``AlarmEvent`` or this package's) to resume from."""

    @property
    def sensor_id(self) -> str:
        """The sensor."""

    @property
    def alarm_id(self) -> str:
        """The alarm, unique per sensor."""

    @property
    def time(self) -> datetime:
        """When the transition happened."""

    @property
    def to_state(self) -> str:
        """The state it led to."""

    @property
    def value(self) -> float | None:
        """The sensor's value then."""


@dataclass(frozen=True, slots=True)
class AlarmStatus:
    """One alarm as the alarm list shows it.

    Attributes
    ----------
    definition : AlarmDefinition
        What the alarm watches.
    state : AlarmState
        Its state.
    condition_active : bool
        Whether its condition holds now (also while shelved, suppressed or out of service).
    since : datetime or None
        When it entered its state (``None`` if it never left NORMAL).
    raised_at : datetime or None
        When it last became active, while it is on the alarm list.
    value : float or None
        The sensor's latest value as the alarm saw it.
    shelved_until : datetime or None
        The shelve's expiry, while shelved.
    user : str
        Who made the last transition (empty for the system).
    """

    definition: AlarmDefinition
    state: AlarmState
    condition_active: bool
    since: datetime | None
    raised_at: datetime | None
    value: float | None
    shelved_until: datetime | None
    user: str

    @classmethod
    def of(cls, definition: AlarmDefinition, machine: AlarmStateMachine) -> AlarmStatus:
        """Return the snapshot of a state machine."""
        return cls(definition, machine.state, machine.condition, machine.last_change,
                   machine.raised_at, machine.value, machine.shelved_until, machine.user)

    @property
    def key(self) -> str:
        """The alarm's key, ``"SENSOR/alarm"``."""
        return self.definition.key

    @property
    def severity(self) -> Severity:
        """The alarm's severity."""
        return self.definition.severity

    @property
    def kind(self) -> AlarmKind:
        """What the alarm watches."""
        return self.definition.kind

    @staticmethod
    def sort(statuses: Iterable[AlarmStatus], *, newest_first: bool = True) -> list[AlarmStatus]:
        """Return statuses by severity (most severe first), then raise time, then key."""
        def raised(status: AlarmStatus) -> float:
            stamp = status.raised_at.timestamp() if status.raised_at else float("-inf")
            return -stamp if newest_first else stamp

        return sorted(statuses, key=lambda s: (-int(s.severity), raised(s), s.key))
