from datetime import UTC, datetime, timedelta

from twin_app.core.live import LiveValues
from twin_app.core.readings import Quality, Reading

T0 = datetime(2024, 9, 16, 6, 0, tzinfo=UTC)


def _reading(sensor: str, minutes: int, value: float) -> Reading:
    return Reading(sensor, T0 + timedelta(minutes=minutes), value, "m")


def test_value_at_is_the_latest_reading_at_or_before_the_time():
    live = LiveValues(["A", "B"])
    live.ingest([_reading("A", 0, 1.0), _reading("A", 10, 2.0), _reading("B", 5, 7.0)])
    assert live.value_at("A", T0 - timedelta(minutes=1)) is None
    assert live.value_at("A", T0 + timedelta(minutes=9)).value == 1.0
    assert live.value_at("A", T0 + timedelta(minutes=10)).value == 2.0
    snapshot = live.snapshot(T0 + timedelta(minutes=6))
    assert {k: v.value for k, v in snapshot.items()} == {"A": 1.0, "B": 7.0}


def test_out_of_order_and_repeated_readings():
    live = LiveValues(["A"])
    live.ingest([_reading("A", 10, 2.0), _reading("A", 0, 1.0), _reading("A", 5, 1.5)])
    live.ingest([Reading("A", T0 + timedelta(minutes=5), 1.6, "m", Quality.SUSPECT)])
    value = live.value_at("A", T0 + timedelta(minutes=7))
    assert (value.value, value.quality) == (1.6, Quality.SUSPECT)
    assert live.time_range() == (T0, T0 + timedelta(minutes=10))
    times, values = live.series("A")
    assert values == [1.0, 1.6, 2.0]
    assert times[0] == T0


def test_changed_names_the_sensors_and_unknown_ones_are_counted():
    live = LiveValues(["A", "B"], max_points=3)
    seen = []
    live.changed.connect(seen.append)
    live.ingest([_reading("A", m, float(m)) for m in range(5)] + [_reading("Z", 0, 0.0)])
    assert seen == [{"A"}]
    assert live.unknown_sensor_readings == 1
    assert live.value_at("A", T0) is None  # trimmed to the newest three
    assert live.value_at("A", T0 + timedelta(minutes=2)).value == 2.0
