"""A telemetry store holding the Huangpu scene's recorded (illustrative) typhoon event.

``event_store(path, raise_sensor="HPK-PZ-02", by=0.8)`` replays the event into a fresh SQLite
store, with one piezometer's readings raised by ``by`` metres from the middle of the event on
(a cut-off defect appearing), and returns the store URL and the event's first and last times.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from tests.conftest import SCENES
from twin_app.core.scene_loader import load_scene
from twin_app.io.timeseries import read_csv
from twin_app.telemetry.store import SensorCatalog, open_store

EVENT = SCENES / "huangpu" / "events" / "typhoon.csv"


def event_store(path: Path, raise_sensor: str | None = None, by: float = 0.8,
                sensors: tuple[str, ...] | None = None) -> tuple[str, datetime, datetime]:
    """Write the event (only ``sensors`` if given) into a new store; return (url, first, last)."""
    readings = read_csv(EVENT).readings
    if sensors is not None:
        readings = [r for r in readings if r.sensor_id in sensors]
    first, last = min(r.time for r in readings), max(r.time for r in readings)
    middle = first + (last - first) / 2
    if raise_sensor is not None:
        readings = [dataclasses.replace(r, value=r.value + by)
                    if r.sensor_id == raise_sensor and r.time >= middle else r
                    for r in readings]
    url = f"sqlite:///{path}"
    with open_store(url, catalog=SensorCatalog.from_scene(load_scene("huangpu").spec)) as store:
        store.append(readings)
    return url, first, last


def tide_frames(hours: float = 12.0, raise_by: float = 0.8, size: float = 3.0):
    """Return the frames of section MS-1 under a 12-h tide, with HPK-PZ-01 measured as predicted
    and HPK-PZ-05 measured ``raise_by`` above the prediction in the second half (flagged)."""
    import numpy as np
    from twin_seepage import TimeSeries, detect_leaks

    from twin_app.io.sections import load_placed_section
    from twin_app.telemetry.seepage import assess_section

    placed = load_placed_section(SCENES / "huangpu" / "sections" / "MS-1.toml")
    h = np.arange(0.0, hours + 1e-9, 1 / 6)
    times = np.datetime64("2024-09-16T00:00", "ms") + (h * 3600e3).astype("timedelta64[ms]")
    stage = TimeSeries(times, 3.0 + 0.9 * np.cos(2 * np.pi * (h - hours / 2) / 12.42)
                       + 1.2 * np.exp(-((h - hours / 2) / 3) ** 2), "HPK-WL-01")
    assessment = assess_section(placed, stage=stage, size=size, dt=1200.0)
    normal = assessment.predicted["HPK-PZ-01"]
    river = assessment.predicted["HPK-PZ-05"]
    jump = np.where(river.times >= river.times[len(river.times) // 2], raise_by, 0.0)
    assessment.measured = {"HPK-PZ-01": TimeSeries(normal.times, normal.values + 0.02),
                           "HPK-PZ-05": TimeSeries(river.times, river.values + jump)}
    assessment.leaks = detect_leaks(assessment.predicted, assessment.measured, tolerance=0.4,
                                    min_duration=2 * 3600.0)
    return assessment.frames()
