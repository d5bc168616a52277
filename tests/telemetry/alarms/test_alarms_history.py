"""The alarm history in the real telemetry store (SQLite), and resuming states after a restart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.telemetry.alarms.helpers import FakeClock, huangpu, reading, replay
from twin_app.telemetry.alarms import AlarmEngine, AlarmState
from twin_app.telemetry.alarms.history import resume_from, store_recorder, to_stored
from twin_app.telemetry.store import AlarmEvent as StoredAlarmEvent
from twin_app.telemetry.store import open_store

S = AlarmState
WARNING = "HPK-WL-01/warning"


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "telemetry.db") as opened:
        yield opened


def test_to_stored_keeps_the_common_fields_as_plain_text():
    clock = FakeClock()
    engine = AlarmEngine.from_scene(huangpu(), clock=clock)
    clock.advance(60)
    (event,) = [e for e in engine.process([reading("HPK-WL-01", clock.now, 4.6)])
                if e.key == WARNING]
    stored = to_stored(event)
    assert isinstance(stored, StoredAlarmEvent)
    assert (stored.sensor_id, stored.alarm_id, stored.time, stored.value) == (
        "HPK-WL-01", "warning", clock.now, 4.6)
    assert (stored.from_state, stored.to_state) == ("normal", "unacknowledged")
    assert type(stored.to_state) is str
    assert stored.comment == event.comment


def test_every_transition_is_recorded_durably_in_order(store):
    clock = FakeClock()
    engine = AlarmEngine.from_scene(huangpu(), clock=clock)
    engine.transitions.connect(store_recorder(store.alarms))
    events = replay(engine, clock, 24)
    clock.advance(30)
    events.append(engine.acknowledge(WARNING, "duty-officer", "seen"))
    assert store.alarms.count() == len(events)  # on disk before acknowledge() returned
    history = store.alarms.history()
    assert [(f"{h.sensor_id}/{h.alarm_id}", h.from_state, h.to_state, h.time, h.user,
             h.comment, h.value) for h in history] == [
        (e.key, e.from_state.value, e.to_state.value, e.time, e.user, e.comment, e.value)
        for e in sorted(events, key=lambda e: e.time)]
    assert all(h.event_id is not None for h in history)
    last = store.alarms.history(sensor_id="HPK-WL-01", alarm_id="warning")[-1]
    assert (last.to_state, last.user, last.comment) == ("normal", "duty-officer", "seen")


def test_a_restarted_engine_resumes_the_recorded_states(tmp_path):
    clock = FakeClock()
    path = tmp_path / "telemetry.db"
    with open_store(path) as store:
        first = AlarmEngine.from_scene(huangpu(), clock=clock)
        first.transitions.connect(store_recorder(store.alarms))
        replay(first, clock, 18.5)
        first.acknowledge("SZK-WL-02/warning", "duty-officer")
        shelved_at = clock.now
        first.shelve("LJZ-WL-01/warning", timedelta(hours=1), "duty-officer", "known")
        before = {key: first.state(key) for key in first.keys}
    assert before[WARNING] is S.UNACKNOWLEDGED
    assert before["SZK-WL-02/warning"] is S.ACKNOWLEDGED

    with open_store(path) as store:
        second = AlarmEngine.from_scene(huangpu(), clock=clock)
        restored = resume_from(second, store.alarms)
        assert restored == len(store.alarms.current())
        assert {key: second.state(key) for key in second.keys} == before
        assert {s.key for s in second.active()} == {s.key for s in first.active()}
        # The store keeps no shelve expiry: the longest allowed shelve counts from the shelving.
        assert second.status("LJZ-WL-01/warning").shelved_until == shelved_at + timedelta(
            hours=12)
        # The next transition continues the recorded chain.
        second.transitions.connect(store_recorder(store.alarms))
        clock.advance(60)
        second.process([reading("HPK-WL-01", clock.now, 4.0)])
        last = store.alarms.history(sensor_id="HPK-WL-01", alarm_id="warning")[-2:]
        assert last[0].to_state == last[1].from_state == "unacknowledged"
        assert last[1].to_state == "rtn_unacknowledged"


def test_restore_skips_alarms_the_engine_does_not_have(caplog):
    clock = FakeClock()
    engine = AlarmEngine.from_scene(huangpu(), clock=clock)
    gone = StoredAlarmEvent("OLD-1", "warning", clock.now, "normal", "unacknowledged")
    odd = StoredAlarmEvent("HPK-WL-01", "warning", clock.now, "normal", "latched")
    assert engine.restore([gone, odd]) == 0
    assert "OLD-1/warning" in caplog.text
    assert "latched" in caplog.text
    assert engine.state(WARNING) is S.NORMAL
