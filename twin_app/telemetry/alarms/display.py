"""How the alarm list colours the sensors on the model."""

from __future__ import annotations

from collections.abc import Iterable

from twin_app.core.sensor_state import DisplayState
from twin_app.telemetry.alarms.definitions import AlarmKind, Severity
from twin_app.telemetry.alarms.status import AlarmStatus

_RANK = {DisplayState.BAD: 1, DisplayState.STALE: 2, DisplayState.WARNING: 3,
         DisplayState.ALARM: 4}


def display_state_of(status: AlarmStatus) -> DisplayState:
    """Return the marker state one listed alarm asks for."""
    if status.kind is AlarmKind.STALE:
        return DisplayState.STALE
    if status.kind is AlarmKind.BAD_QUALITY:
        return DisplayState.BAD
    return DisplayState.ALARM if status.severity >= Severity.ALARM else DisplayState.WARNING


def display_states_from_alarms(statuses: Iterable[AlarmStatus]) -> dict[str, DisplayState]:
    """Return, per sensor, the most serious marker state its listed alarms ask for."""
    states: dict[str, DisplayState] = {}
    for status in statuses:
        sensor = status.definition.sensor_id
        state = display_state_of(status)
        if _RANK[state] > _RANK.get(states.get(sensor), 0):
            states[sensor] = state
    return states
