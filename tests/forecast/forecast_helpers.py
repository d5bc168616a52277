"""For the forecast, plans and CLI tests: a store with a gauge history and a replayed event.

The recorded typhoon event of the huangpu scene (72 h from 2023-09-14 00:00 +08:00, surge peak
5.30 m at Huangpu Park at hour 50) is replayed into a SQLite store up to ``cut_h`` hours.  Before
it, 30 days of the same astronomical tide the event was made from (``scenes/make_events.py``) are
stored for the tidal gauges, as a real store would hold the record that precedes an event.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from twin_app.core.readings import Reading
from twin_app.core.scene_loader import SceneDocument, load_scene
from twin_app.io.timeseries import write_csv
from twin_app.telemetry.replay import EventReplay
from twin_app.telemetry.store import SensorCatalog, open_store

REPO = Path(__file__).resolve().parents[2]
TIDAL = {"HPK-WL-01": 0.0, "SZK-WL-02": 2 / 60, "LJZ-WL-01": 3 / 60}
"""Tidal gauges of the huangpu scene and their lag (h) behind Huangpu Park, as in the event."""


def make_events():
    """Import scenes/make_events.py (the event's generator) as a module."""
    if "make_events" in sys.modules:
        return sys.modules["make_events"]
    spec = importlib.util.spec_from_file_location("make_events", REPO / "scenes" /
                                                  "make_events.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_events"] = module
    spec.loader.exec_module(module)
    return module


def replayed_store(path: Path, cut_h: float = 40.0, history_days: float = 30.0
                   ) -> tuple[str, SceneDocument, datetime]:
    """Write the history and the event up to ``cut_h`` into a new store; return url, scene, cut."""
    events = make_events()
    document = load_scene("huangpu")
    url = f"sqlite:///{path}"
    start = events.EVENT_START
    hours = np.arange(-history_days * 24.0, 0.0, 5 / 60)
    readings = []
    for sensor_id, lag in TIDAL.items():
        tide = events.astronomical_tide("huangpu_park", hours - lag)
        readings += [Reading(sensor_id, start + timedelta(hours=float(h)), float(round(v, 3)),
                             "m") for h, v in zip(hours, tide, strict=True)]
    cut = start + timedelta(hours=cut_h)
    replay = EventReplay(document, "typhoon", speed=1.0, start=start)
    readings += [r for r in replay if r.time <= cut]
    with open_store(url, catalog=SensorCatalog.from_scene(document.spec)) as store:
        store.append(readings)
    return url, document, cut


def true_surge(hours: np.ndarray) -> np.ndarray:
    """Return the event's surge at Huangpu Park (storm tide minus astronomical tide)."""
    events = make_events()
    return events.storm_tide("huangpu_park", hours) - events.astronomical_tide("huangpu_park",
                                                                               hours)


def write_surge_csv(path: Path, sensor_id: str = "SURGE") -> Path:
    """Write the event's surge (every 10 min over the 72 h) as a forecast CSV."""
    events = make_events()
    hours = np.arange(0.0, 72.0 + 1e-9, 1 / 6)
    surge = true_surge(hours)
    write_csv(path, [Reading(sensor_id, events.EVENT_START + timedelta(hours=float(h)),
                             float(round(v, 4)), "m") for h, v in zip(hours, surge, strict=True)],
              comments=["event surge at Huangpu Park (test input)"])
    return path
