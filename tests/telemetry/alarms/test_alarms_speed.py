"""2,000 sensors at 1 Hz must be cheap: a few milliseconds per second of readings here.

The bounds are ten times what this 2-core machine measures (about 4 ms per batch of 2,000
readings, 0.4 ms per tick), so the test catches an accidental O(n) per reading, not noise.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

from tests.telemetry.alarms.helpers import T0, FakeClock, scene_with, sensor, threshold
from twin_app.core.readings import Reading
from twin_app.telemetry.alarms import AlarmEngine, definitions_from_scene

SENSORS = 2000
SECONDS = 60


def test_two_thousand_sensors_at_one_hertz():
    specs = [sensor(f"S{i:04d}", thresholds=[threshold("warning", 4.55),
                                             threshold("design", 5.86, severity="alarm")])
             for i in range(SENSORS)]
    clock = FakeClock()
    engine = AlarmEngine(definitions_from_scene(scene_with(*specs)), clock)
    assert len(engine.keys) == SENSORS * 5  # 2 levels, rate of rise, stale, bad quality
    ids = [spec.id for spec in specs]
    processing = ticking = 0.0
    transitions = 0
    for second in range(1, SECONDS + 1):
        clock.set(T0 + timedelta(seconds=second))
        batch = [Reading(sensor_id, clock.now, 3.0 + 2.0 * math.sin(second / 10 + i), "m")
                 for i, sensor_id in enumerate(ids)]
        start = time.perf_counter()
        transitions += len(engine.process(batch))
        processing += time.perf_counter() - start
        start = time.perf_counter()
        engine.tick()
        ticking += time.perf_counter() - start
    assert transitions > SENSORS  # levels really crossed, so transitions were timed too
    assert processing / SECONDS < 0.05, f"{processing / SECONDS * 1000:.1f} ms per batch"
    assert ticking / SECONDS < 0.01, f"{ticking / SECONDS * 1000:.2f} ms per tick"
    start = time.perf_counter()
    listed = engine.active()
    assert time.perf_counter() - start < 0.1
    assert listed
