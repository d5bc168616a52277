"""Persisting the alarm history in the telemetry store, and resuming alarm states from it.

::

    with open_store(url, catalog=catalog) as store:
        engine = AlarmEngine.from_scene(scene)
        resume_from(engine, store.alarms)                  # states as they were left
        engine.transitions.connect(store_recorder(store.alarms))

Each batch of transitions is written in one durable commit
(:meth:`twin_app.telemetry.store.AlarmLog.record`), so an acknowledgement is on disk before
:meth:`~twin_app.telemetry.alarms.engine.AlarmEngine.acknowledge` returns.  The store keeps the
eight common fields of an event (sensor, alarm, time, from and to state, user, comment, value); the
trigger, the severity and a shelve's expiry are not stored, so a shelved alarm resumes with the
longest allowed shelve counted from when it was shelved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from twin_app.telemetry.alarms.engine import AlarmEngine
from twin_app.telemetry.alarms.state import AlarmEvent
from twin_app.telemetry.alarms.status import HistoryEvent
from twin_app.telemetry.store.alarms import AlarmEvent as StoredAlarmEvent


class AlarmHistory(Protocol):
    """What the engine needs of an alarm history (``store.alarms`` is one)."""

    def record(self, events: Iterable[StoredAlarmEvent]) -> int:
        """Store transitions durably."""

    def current(self, sensor_id: str | None = None) -> Mapping[tuple[str, str], HistoryEvent]:
        """Return the last transition of each alarm."""


def to_stored(event: AlarmEvent) -> StoredAlarmEvent:
    """Return the store's form of a transition (states as plain texts)."""
    return StoredAlarmEvent(sensor_id=event.sensor_id, alarm_id=event.alarm_id, time=event.time,
                            from_state=event.from_state.value, to_state=event.to_state.value,
                            user=event.user, comment=event.comment, value=event.value)


def store_recorder(history: AlarmHistory) -> Callable[[tuple[AlarmEvent, ...]], None]:
    """Return a listener for :attr:`AlarmEngine.transitions` that records each batch durably."""

    def record(events: tuple[AlarmEvent, ...]) -> None:
        history.record([to_stored(event) for event in events])

    return record


def resume_from(engine: AlarmEngine, history: AlarmHistory) -> int:
    """Put every alarm of ``engine`` back in the state the history last recorded for it.

    Returns
    -------
    int
        How many alarms were restored.
    """
    return engine.restore(history.current().values())
