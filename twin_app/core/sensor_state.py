"""The display state of a sensor at a moment: normal, beyond a threshold, stale, or no data.

This is the simple, stateless reading of a value against the scene's thresholds that colours the
3D markers.  The alarm engine (with deadbands, acknowledgement and shelving) decides alarms; when
it runs, its states take precedence over these.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from twin_app.core.live import SensorValue
from twin_app.core.readings import Quality
from twin_app.core.scene import SensorSpec


class DisplayState(StrEnum):
    """What a marker shows."""

    NO_DATA = "no_data"
    NORMAL = "normal"
    WARNING = "warning"
    ALARM = "alarm"
    STALE = "stale"
    BAD = "bad"


DEFAULT_STALE_AFTER = timedelta(minutes=30)
_ALARM_SEVERITIES = {"alarm", "critical"}


def display_state(
    sensor: SensorSpec,
    value: SensorValue | None,
    now: datetime,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
) -> DisplayState:
    """Return how the sensor's marker should look at ``now``.

    Parameters
    ----------
    sensor : SensorSpec
        The sensor with its thresholds.
    value : SensorValue or None
        Its reading in force at ``now``.
    now : datetime
        The clock's time.
    stale_after : timedelta
        Age beyond which a reading counts as stale.
    """
    if value is None:
        return DisplayState.NO_DATA
    if value.quality in (Quality.BAD, Quality.MISSING):
        return DisplayState.BAD
    if now - value.time > stale_after:
        return DisplayState.STALE
    crossed = [
        threshold for threshold in sensor.thresholds
        if (threshold.direction == "above" and value.value >= threshold.value)
        or (threshold.direction == "below" and value.value <= threshold.value)
    ]
    if any(threshold.severity in _ALARM_SEVERITIES for threshold in crossed):
        return DisplayState.ALARM
    if crossed:
        return DisplayState.WARNING
    return DisplayState.NORMAL
