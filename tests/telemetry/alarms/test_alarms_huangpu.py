"""The real Huangpu scene: a synthetic storm tide crossing the Huangpu Park warning level 4.55 m."""

from __future__ import annotations

import itertools
from datetime import timedelta

from tests.telemetry.alarms.helpers import RIVER_GAUGES, T0, FakeClock, huangpu, replay, storm_tide
from twin_app.telemetry.alarms import AlarmEngine, AlarmState, Severity

S = AlarmState
WARNING = "HPK-WL-01/warning"
def of(events, key):
    return [e for e in events if e.key == key]


def test_storm_tide_raises_one_warning_per_gauge_and_nothing_worse():
    clock = FakeClock()
    engine = AlarmEngine.from_scene(huangpu(), clock=clock)
    events = replay(engine, clock, 36)
    warning = of(events, WARNING)
    assert [(e.from_state, e.to_state) for e in warning] == [
        (S.NORMAL, S.UNACKNOWLEDGED), (S.UNACKNOWLEDGED, S.RTN_UNACKNOWLEDGED)]
    raised, cleared = warning
    assert raised.value > 4.55
    assert cleared.value < 4.50
    assert timedelta(hours=16) < raised.time - T0 < cleared.time - T0 < timedelta(hours=21)
    for gauge in RIVER_GAUGES:
        assert len(of(events, f"{gauge}/warning")) == 2
    # No design-level, wall-crest or rate-of-rise alarm on a tide that stays below 5 m and
    # rises under 1 m/h; the gauge inside the gate stays quiet; every gauge fed is never stale.
    fed = {*RIVER_GAUGES, "SZK-WL-01"}
    quiet = [e for e in events if e.sensor_id in fed and e.alarm_id not in ("warning",)]
    assert quiet == []
    # Sensors with no readings in this replay (rain gauge, piezometers, ...) went stale.
    stale = {e.sensor_id for e in events if e.alarm_id == "stale"}
    assert stale == {spec.id for spec in huangpu().sensors} - fed
    assert engine.state(WARNING) is S.RTN_UNACKNOWLEDGED
    listed = [status.key for status in engine.active()
              if status.severity is Severity.WARNING]
    assert set(listed) == {f"{gauge}/warning" for gauge in RIVER_GAUGES}
    engine.acknowledge(WARNING, "duty-officer")
    assert engine.state(WARNING) is S.NORMAL


def test_acknowledged_during_the_surge_the_warning_returns_to_normal_by_itself():
    clock = FakeClock()
    engine = AlarmEngine.from_scene(huangpu(), clock=clock)

    def operator(engine, clock, level):
        if engine.state(WARNING) is S.UNACKNOWLEDGED:
            clock.set(clock.now + timedelta(seconds=40))
            return [engine.acknowledge(WARNING, "duty-officer", "surge expected, gates shut")]
        return None

    events = replay(engine, clock, 36, on_step=operator)
    assert [(e.from_state, e.to_state, e.user) for e in of(events, WARNING)] == [
        (S.NORMAL, S.UNACKNOWLEDGED, ""),
        (S.UNACKNOWLEDGED, S.ACKNOWLEDGED, "duty-officer"),
        (S.ACKNOWLEDGED, S.NORMAL, ""),
    ]
    assert WARNING not in [status.key for status in engine.active()]


def test_every_alarm_history_of_the_replay_chains():
    clock = FakeClock()
    engine = AlarmEngine.from_scene(huangpu(), clock=clock)
    events = replay(engine, clock, 36)
    last: dict[str, AlarmState] = {}
    when: dict[str, object] = {}
    for event in events:
        assert event.from_state is last.get(event.key, S.NORMAL)
        assert event.time >= when.get(event.key, T0)
        last[event.key], when[event.key] = event.to_state, event.time
    assert all(engine.state(key) is state for key, state in last.items())


def test_the_synthetic_tide_is_what_the_tests_assume():
    levels = [storm_tide(minute / 60, 0.0) for minute in range(36 * 60)]
    assert 4.7 < max(levels) < 4.9  # over the warning level, well under the 5.86 m design level
    assert sum(1 for a, b in itertools.pairwise(levels) if a <= 4.55 < b) == 1
    fastest = max(b - a for a, b in zip(levels, levels[15:], strict=False)) * 4  # m/h, 15 min
    assert 0.6 < fastest < 0.95  # under the 1 m/h rate-of-rise default
