"""Readings reach the shown values, the alarms and the store through one session."""

from datetime import UTC, datetime, timedelta

from twin_app.core.clock import AppClock
from twin_app.core.live import LiveValues
from twin_app.core.readings import Reading
from twin_app.core.scene_loader import load_scene
from twin_app.telemetry.alarms.definitions import AlarmKind
from twin_app.telemetry.alarms.state import AlarmState
from twin_app.telemetry.session import MonitoringSession
from twin_app.telemetry.store import SensorCatalog, open_store

T0 = datetime(2024, 9, 16, 6, 0, tzinfo=UTC)


def _tide() -> list[Reading]:
    # Huangpu Park rises 0.1 m per 10 min from 4.0 m: crosses the 4.55 m warning at 06:60.
    return [Reading("HPK-WL-01", T0 + timedelta(minutes=10 * k), 4.0 + 0.1 * k, "m")
            for k in range(12)]


def _session(store=None) -> MonitoringSession:
    spec = load_scene("huangpu").spec
    clock = AppClock(time=T0 - timedelta(minutes=1))
    return MonitoringSession(spec, LiveValues([s.id for s in spec.sensors]), clock, store)


def test_replay_is_released_as_the_clock_passes_and_raises_the_warning():
    session = _session()
    first, last = session.load_replay(reversed(_tide()))
    assert (first.utc, last.utc) == (T0, T0 + timedelta(minutes=110))
    session.clock.set_time(T0 + timedelta(minutes=50))
    session.advance()
    assert session.pending() == 6
    assert session.live.value_at("HPK-WL-01", session.clock.time).value == 4.5
    def level_alarms():
        return [a for a in session.engine.active() if a.kind is AlarmKind.LEVEL]

    assert level_alarms() == []
    # the sensors that never reported are stale by now: the engine judges data age too
    assert "LJZ-WL-01/stale" in {a.key for a in session.engine.active()}
    session.clock.set_time(T0 + timedelta(minutes=60))
    events = session.advance()
    assert any(e.to_state is AlarmState.UNACKNOWLEDGED and e.sensor_id == "HPK-WL-01"
               for e in events)
    assert [a.definition.sensor_id for a in level_alarms()] == ["HPK-WL-01"]


def test_live_readings_go_to_the_store_and_alarm_history(tmp_path):
    spec = load_scene("huangpu").spec
    url = f"sqlite:///{tmp_path / 'telemetry.db'}"
    with open_store(url, catalog=SensorCatalog.from_scene(spec)) as store:
        session = _session(store)
        session.clock.set_time(T0 + timedelta(hours=2))
        session.ingest(_tide())
        key = next(a.key for a in session.engine.active() if a.kind is AlarmKind.LEVEL)
        session.engine.acknowledge(key, user="duty officer", comment="seen")
        assert store.count("HPK-WL-01") == 12
        states = [e.to_state for e in store.alarms.history(sensor_id="HPK-WL-01")]
    assert "unacknowledged" in states and "acknowledged" in states


def test_a_long_jump_over_a_replay_is_judged_as_if_played():
    session = _session()
    readings = [Reading(sensor.id, T0 + timedelta(minutes=5 * k), value, sensor.unit)
                for k in range(24)
                for sensor, value in ((s, 1.0) for s in session.scene.sensors)]
    session.load_replay(readings)
    session.clock.set_time(T0 + timedelta(minutes=115))
    session.advance()
    stale = [a for a in session.engine.active() if a.kind is AlarmKind.STALE]
    assert stale == [], [a.key for a in stale]
