"""2,000 sensors at 1 Hz must cost the alarm engine in proportion to the readings.

Not a timed test (the machine's load must not decide it): the same minute of readings is run for
200 and for 2,000 sensors, and the cost per reading must not grow with the number of sensors (an
accidental O(n) per reading would make it about ten times larger).  The absolute figures are in
``benchmarks/bench_latency.py``.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

from tests.telemetry.alarms.helpers import T0, FakeClock, scene_with, sensor, threshold
from twin_app.core.readings import Reading
from twin_app.telemetry.alarms import AlarmEngine, definitions_from_scene

SECONDS = 30


def _minute(count: int) -> tuple[float, float, float, int]:
    """Per-reading processing, per-sensor tick and per-alarm listing time; transitions."""
    specs = [sensor(f"S{i:04d}", thresholds=[threshold("warning", 4.55),
                                             threshold("design", 5.86, severity="alarm")])
             for i in range(count)]
    clock = FakeClock()
    engine = AlarmEngine(definitions_from_scene(scene_with(*specs)), clock)
    assert len(engine.keys) == count * 5  # 2 levels, rate of rise, stale, bad quality
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
    start = time.perf_counter()
    listed = engine.active()
    listing = time.perf_counter() - start
    assert listed
    return (processing / (SECONDS * count), ticking / (SECONDS * count),
            listing / max(len(listed), 1), transitions)


def test_cost_per_reading_does_not_grow_with_the_number_of_sensors():
    _minute(200)  # warm-up: imports and caches out of the comparison
    small = _minute(200)
    large = _minute(2000)
    assert large[3] > 2000  # levels really crossed, so transitions were timed too
    for name, per_small, per_large in zip(("reading", "tick", "listed alarm"), small[:3],
                                          large[:3], strict=True):
        assert per_large < 3.0 * per_small + 1e-6, (
            f"cost per {name} grew from {per_small * 1e6:.1f} to {per_large * 1e6:.1f} µs")
