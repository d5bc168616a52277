"""A store holding what the app shows: the readings of the shown values up to a moment.

Forecasts read a telemetry store.  When the app plays a recorded event (which never writes to the
durable store), :func:`store_from_live` copies the event's readings up to the clock's time into a
separate SQLite file, so the forecast sees exactly what an operator would have seen then.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from twin_app.core.live import LiveValues
from twin_app.core.readings import Reading
from twin_app.core.scene import Scene
from twin_app.telemetry.store import SensorCatalog, open_store

logger = logging.getLogger(__name__)


def store_from_live(scene: Scene, live: LiveValues, until: datetime, path: Path) -> str:
    """Write the readings ``live`` holds up to ``until`` into a new SQLite store; return its URL.

    Parameters
    ----------
    scene : Scene
        The scene (its sensors and units).
    live : LiveValues
        The values the app shows.
    until : datetime
        The last moment copied (the clock's time).
    path : Path
        The SQLite file (replaced if it exists).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    units = {sensor.id: sensor.unit for sensor in scene.sensors}
    readings = []
    for sensor_id, unit in units.items():
        times, values = live.series(sensor_id)
        readings += [Reading(sensor_id, time, value, unit)
                     for time, value in zip(times, values, strict=True) if time <= until]
    url = f"sqlite:///{path}"
    with open_store(url, catalog=SensorCatalog.from_scene(scene)) as store:
        result = store.append(readings)
    logger.info("copied %d readings up to %s into %s (%d quarantined)", len(readings), until,
                path, result.rejected)
    return url
