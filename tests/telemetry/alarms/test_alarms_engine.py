"""The alarm engine: hysteresis, rate of rise, stale data, quality, operator actions, listeners."""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

import pytest

from tests.telemetry.alarms.helpers import T0, FakeClock, engine_for, reading, sensor, threshold
from twin_app.core.readings import Quality
from twin_app.core.scene import SensorKind
from twin_app.telemetry.alarms import (
    AlarmEngine,
    AlarmListenerError,
    AlarmState,
    IllegalTransitionError,
    OperatorInputError,
    Severity,
    Trigger,
    UnknownAlarmError,
)

S = AlarmState
WL = sensor("WL-1", thresholds=[threshold("warning", 4.55), threshold("low", 1.0, "below")])
WARNING = "WL-1/warning"


def feed(engine: AlarmEngine, clock: FakeClock, values, *, step=60.0, sensor_id="WL-1",
         unit="m", quality=Quality.GOOD):
    """Feed one reading per ``step`` seconds, moving the clock along; return all events."""
    events = []
    for value in values:
        clock.advance(step)
        events += engine.process([reading(sensor_id, clock.now, value, unit=unit,
                                          quality=quality)])
    return events


def transitions(events, key=WARNING):
    return [(e.from_state, e.to_state) for e in events if e.key == key]


def test_crossing_raises_and_falling_back_clears_to_rtn(clock):
    engine = engine_for(WL, clock=clock)
    events = feed(engine, clock, [4.0, 4.5, 4.6])
    assert transitions(events) == [(S.NORMAL, S.UNACKNOWLEDGED)]
    raised = events[-1]
    assert raised.value == 4.6
    assert raised.time == clock.now
    assert raised.comment == "4.6 m above warning 4.55 m"
    assert raised.severity == Severity.WARNING
    events = feed(engine, clock, [4.52, 4.49])
    assert transitions(events) == [(S.UNACKNOWLEDGED, S.RTN_UNACKNOWLEDGED)]
    assert "below warning minus deadband 4.5 m" in events[-1].comment


def test_level_oscillating_within_the_deadband_raises_exactly_one_alarm(clock):
    engine = engine_for(WL, clock=clock)
    wobble = [4.54, 4.56, 4.51, 4.58, 4.505, 4.57, 4.52, 4.553, 4.50, 4.56] * 5
    events = feed(engine, clock, [4.0, *wobble], step=1.0)
    assert transitions(events) == [(S.NORMAL, S.UNACKNOWLEDGED)]
    events = feed(engine, clock, [4.499], step=1.0)
    assert transitions(events) == [(S.UNACKNOWLEDGED, S.RTN_UNACKNOWLEDGED)]


def test_without_deadband_the_same_oscillation_chatters(clock):
    engine = engine_for(WL, clock=clock, config="[sensors.WL-1]\ndeadband = 0\n")
    wobble = [4.54, 4.56] * 5
    events = feed(engine, clock, wobble, step=1.0)
    raised = [pair for pair in transitions(events) if pair[1] is S.UNACKNOWLEDGED]
    assert len(raised) == 5


def test_below_threshold_mirrors_the_deadband(clock):
    engine = engine_for(WL, clock=clock)
    events = feed(engine, clock, [1.2, 0.99, 1.04, 0.98, 1.049])
    assert transitions(events, "WL-1/low") == [(S.NORMAL, S.UNACKNOWLEDGED)]
    events = feed(engine, clock, [1.051])
    assert transitions(events, "WL-1/low") == [(S.UNACKNOWLEDGED, S.RTN_UNACKNOWLEDGED)]


def test_on_delay_needs_the_condition_to_persist(clock):
    engine = engine_for(WL, clock=clock, config="[sensors.WL-1]\non_delay_s = 120\n")
    events = feed(engine, clock, [4.6, 4.6, 4.4, 4.6, 4.6], step=60.0)
    assert transitions(events) == []
    events = feed(engine, clock, [4.6], step=60.0)
    assert transitions(events) == [(S.NORMAL, S.UNACKNOWLEDGED)]


def test_acknowledged_alarm_returns_to_normal_when_it_clears(clock):
    engine = engine_for(WL, clock=clock)
    feed(engine, clock, [4.7])
    clock.advance(30)
    ack = engine.acknowledge(WARNING, user="duty-officer", comment="watching the gauge")
    assert (ack.from_state, ack.to_state, ack.user, ack.comment, ack.time) == (
        S.UNACKNOWLEDGED, S.ACKNOWLEDGED, "duty-officer", "watching the gauge", clock.now)
    assert ack.value == 4.7
    events = feed(engine, clock, [4.4])
    assert transitions(events) == [(S.ACKNOWLEDGED, S.NORMAL)]
    assert engine.active() == []


def test_acknowledging_a_returned_alarm_takes_it_off_the_list(clock):
    engine = engine_for(WL, clock=clock)
    feed(engine, clock, [4.7, 4.3])
    assert engine.state(WARNING) is S.RTN_UNACKNOWLEDGED
    assert [status.key for status in engine.active()] == [WARNING]
    event = engine.acknowledge(WARNING, "op")
    assert (event.from_state, event.to_state) == (S.RTN_UNACKNOWLEDGED, S.NORMAL)
    assert engine.active() == []


def test_returned_alarm_that_comes_back_is_unacknowledged_again(clock):
    engine = engine_for(WL, clock=clock)
    events = feed(engine, clock, [4.7, 4.3, 4.8])
    assert transitions(events)[-1] == (S.RTN_UNACKNOWLEDGED, S.UNACKNOWLEDGED)
    assert engine.status(WARNING).raised_at == clock.now


def test_illegal_operator_actions_are_refused_with_a_reason(clock):
    engine = engine_for(WL, clock=clock)
    with pytest.raises(IllegalTransitionError, match="it is normal") as caught:
        engine.acknowledge(WARNING, "op")
    assert "unacknowledged" in caught.value.hint
    with pytest.raises(IllegalTransitionError, match="cannot unshelve"):
        engine.unshelve(WARNING, "op")
    with pytest.raises(IllegalTransitionError, match="cannot return to service"):
        engine.return_to_service(WARNING, "op")
    feed(engine, clock, [4.7])
    engine.acknowledge(WARNING, "op")
    with pytest.raises(IllegalTransitionError, match="active and acknowledged"):
        engine.acknowledge(WARNING, "op")


def test_operator_input_is_checked(clock):
    engine = engine_for(WL, clock=clock)
    feed(engine, clock, [4.7])
    with pytest.raises(OperatorInputError, match="operator's name"):
        engine.acknowledge(WARNING, user=" ")
    with pytest.raises(OperatorInputError, match="needs a reason"):
        engine.shelve(WARNING, timedelta(hours=1), "op", "")
    with pytest.raises(OperatorInputError, match="at most 12:00:00 ahead") as caught:
        engine.shelve(WARNING, timedelta(hours=13), "op", "maintenance")
    assert "out of service" in caught.value.hint
    with pytest.raises(OperatorInputError, match="must lie after"):
        engine.shelve(WARNING, clock.now - timedelta(seconds=1), "op", "late")
    with pytest.raises(OperatorInputError, match="no time zone"):
        engine.shelve(WARNING, clock.now.replace(tzinfo=None) + timedelta(hours=1), "op", "x")
    assert engine.state(WARNING) is S.UNACKNOWLEDGED


def test_unknown_alarm_suggests_close_keys(clock):
    engine = engine_for(WL, clock=clock)
    with pytest.raises(UnknownAlarmError, match="no alarm 'WL-1/warnin'") as caught:
        engine.acknowledge("WL-1/warnin", "op")
    assert "WL-1/warning" in caught.value.hint
    with pytest.raises(KeyError):
        engine.state("nothing")


def test_shelved_alarm_stays_quiet_and_resumes_on_expiry(clock):
    engine = engine_for(WL, clock=clock)
    feed(engine, clock, [4.7])
    until = clock.now + timedelta(hours=2)
    event = engine.shelve(WARNING, until, "op", "gauge being cleaned")
    assert (event.to_state, event.shelved_until, event.comment) == (
        S.SHELVED, until, "gauge being cleaned")
    assert engine.active() == []
    assert [status.key for status in engine.shelved()] == [WARNING]
    assert transitions(feed(engine, clock, [4.3, 4.9, 4.3, 4.8])) == []
    assert transitions(engine.tick(until - timedelta(seconds=1))) == []
    clock.set(until + timedelta(seconds=5))
    events = engine.tick()
    assert transitions(events) == [(S.SHELVED, S.UNACKNOWLEDGED)]
    assert events[0].trigger is Trigger.SHELVE_EXPIRED
    assert events[0].time == until
    assert engine.shelved() == []


def test_shelve_expiry_with_the_condition_clear_returns_to_normal(clock):
    engine = engine_for(WL, clock=clock)
    feed(engine, clock, [4.7])
    engine.shelve(WARNING, timedelta(minutes=30), "op", "known surge")
    feed(engine, clock, [4.2])
    clock.advance(timedelta(minutes=30))
    events = engine.process([reading("WL-1", clock.now, 4.1)])  # expiry is checked here too
    assert transitions(events) == [(S.SHELVED, S.NORMAL)]


def test_unshelve_suppress_and_out_of_service(clock):
    engine = engine_for(WL, clock=clock)
    feed(engine, clock, [4.7])
    engine.shelve(WARNING, timedelta(hours=1), "op", "test")
    assert engine.unshelve(WARNING, "op").to_state is S.UNACKNOWLEDGED
    assert engine.suppress(WARNING, "gate closed for maintenance").to_state is S.SUPPRESSED
    assert transitions(feed(engine, clock, [4.2])) == []
    assert engine.unsuppress(WARNING, "gate open").to_state is S.NORMAL
    out = engine.remove_from_service(WARNING, "tech", "gauge replaced")
    assert (out.to_state, out.user) == (S.OUT_OF_SERVICE, "tech")
    feed(engine, clock, [4.9])
    assert engine.return_to_service(WARNING, "tech").to_state is S.UNACKNOWLEDGED
    with pytest.raises(OperatorInputError):
        engine.remove_from_service(WARNING, "tech", "")


def test_rate_of_rise_over_the_window(clock):
    engine = engine_for(sensor("WL-1"), clock=clock)
    key = "WL-1/rate_of_rise"
    # 0.5 m/h for 30 min (a normal flood tide), then 1.5 m/h (a surge), then level.
    values = [2.0 + 0.5 * minute / 60 for minute in range(31)]
    values += [values[-1] + 1.5 * minute / 60 for minute in range(1, 21)]
    events = feed(engine, clock, values)
    changes = [(e.to_state, e.time) for e in events if e.key == key]
    assert [state for state, _ in changes] == [S.UNACKNOWLEDGED]
    # Readings at minutes 1..51; the surge starts after minute 31.  The rate over the 15 minutes
    # before minute m is (0.5 (46 - m) + 1.5 (m - 31)) / 15 m/h: 0.97 at m = 38, 1.03 at m = 39.
    assert changes[0][1] == T0 + timedelta(minutes=39)
    assert "m/h over 15 min" in next(e.comment for e in events if e.key == key)
    flat = feed(engine, clock, [values[-1]] * 20)
    assert transitions(flat, key) == [(S.UNACKNOWLEDGED, S.RTN_UNACKNOWLEDGED)]


def test_rate_of_rise_needs_half_a_window_of_history(clock):
    engine = engine_for(sensor("WL-1"), clock=clock)
    events = feed(engine, clock, [2.0, 3.0, 4.0, 5.0], step=60.0)  # 60 m/h, but 3 minutes
    assert transitions(events, "WL-1/rate_of_rise") == []


def test_rate_window_keeps_a_bounded_number_of_samples(clock):
    engine = engine_for(sensor("WL-1"), clock=clock)
    feed(engine, clock, [2.0] * 3600, step=1.0)
    watch = engine._watches["WL-1"]
    assert len(watch.rate._samples) <= 21


def test_stale_data_with_the_fake_clock(clock):
    engine = engine_for(WL, clock=clock)
    key = "WL-1/stale"
    feed(engine, clock, [3.0])
    last = clock.now
    assert engine.tick(last + timedelta(minutes=10)) == []
    events = engine.tick(last + timedelta(minutes=10, seconds=1))
    assert transitions(events, key) == [(S.NORMAL, S.UNACKNOWLEDGED)]
    assert events[0].value == 3.0
    assert events[0].comment == "no reading for more than 10 min"
    assert engine.tick(last + timedelta(minutes=20)) == []
    clock.set(last + timedelta(minutes=21))
    events = engine.process([reading("WL-1", clock.now, 3.1)])
    assert transitions(events, key) == [(S.UNACKNOWLEDGED, S.RTN_UNACKNOWLEDGED)]


def test_a_sensor_that_never_reports_goes_stale_after_start(clock):
    engine = engine_for(WL, clock=clock)
    clock.advance(timedelta(minutes=11))
    events = engine.tick()
    assert transitions(events, "WL-1/stale") == [(S.NORMAL, S.UNACKNOWLEDGED)]
    assert events[0].value is None


def test_bad_quality_raises_its_alarm_and_is_not_judged_against_levels(clock):
    engine = engine_for(WL, clock=clock)
    events = feed(engine, clock, [9.9], quality=Quality.BAD)
    assert transitions(events, "WL-1/bad_quality") == [(S.NORMAL, S.UNACKNOWLEDGED)]
    assert transitions(events) == []
    assert events[0].comment == "quality bad"
    events = feed(engine, clock, [4.0], quality=Quality.SUSPECT)
    assert transitions(events, "WL-1/bad_quality") == [(S.UNACKNOWLEDGED,
                                                        S.RTN_UNACKNOWLEDGED)]
    assert transitions(feed(engine, clock, [4.7], quality=Quality.SUSPECT)) == [
        (S.NORMAL, S.UNACKNOWLEDGED)]


def test_wrong_unit_is_bad_quality_and_counted(clock, caplog):
    engine = engine_for(WL, clock=clock)
    events = feed(engine, clock, [460.0, 470.0], unit="cm")
    assert transitions(events) == []
    bad = [e for e in events if e.key == "WL-1/bad_quality"]
    assert [(e.to_state, e.comment) for e in bad] == [
        (S.UNACKNOWLEDGED, "reading in 'cm', expected 'm'")]
    assert engine.counts()["wrong_unit"] == 2
    assert sum("wrong unit" in r.message for r in caplog.records) == 1  # logged once


def test_unknown_sensors_and_late_readings_are_counted_not_judged(clock, caplog):
    engine = engine_for(WL, clock=clock)
    feed(engine, clock, [4.0])
    late = reading("WL-1", clock.now - timedelta(minutes=5), 9.0)
    stranger = reading("XX-1", clock.now, 1.0)
    assert engine.process([late, stranger, stranger]) == []
    assert engine.counts() == {"readings": 4, "out_of_order": 1, "unknown_sensor": 2}
    assert sum("XX-1" in r.message for r in caplog.records) == 1


def test_a_batch_is_judged_in_time_order(clock):
    engine = engine_for(WL, clock=clock)
    batch = [reading("WL-1", T0 + timedelta(minutes=m), v)
             for m, v in [(3, 4.3), (1, 4.0), (2, 4.7)]]
    clock.set(T0 + timedelta(minutes=3))
    events = engine.process(batch)
    assert transitions(events) == [(S.NORMAL, S.UNACKNOWLEDGED),
                                   (S.UNACKNOWLEDGED, S.RTN_UNACKNOWLEDGED)]


def test_active_is_sorted_by_severity_then_time(clock):
    sensors = [sensor("A", thresholds=[threshold("w", 1.0), threshold("c", 2.0,
                                                                       severity="critical")]),
               sensor("B", thresholds=[threshold("w", 1.0)])]
    engine = engine_for(*sensors, clock=clock)
    clock.advance(60)
    engine.process([reading("A", clock.now, 1.5)])
    clock.advance(60)
    engine.process([reading("B", clock.now, 1.5)])
    clock.advance(60)
    engine.process([reading("A", clock.now, 2.5)])
    assert [s.key for s in engine.active()] == ["A/c", "B/w", "A/w"]
    assert [s.key for s in engine.active(newest_first=False)] == ["A/c", "A/w", "B/w"]
    status = engine.active()[0]
    assert (status.severity, status.state, status.condition_active, status.value) == (
        Severity.CRITICAL, S.UNACKNOWLEDGED, True, 2.5)


def test_listeners_get_each_batch_in_order(clock):
    engine = engine_for(WL, clock=clock)
    received = []
    engine.transitions.connect(received.append)
    feed(engine, clock, [4.7, 4.3])
    engine.acknowledge(WARNING, "op")
    assert [len(batch) for batch in received] == [1, 1, 1]
    assert [batch[0].to_state for batch in received] == [
        S.UNACKNOWLEDGED, S.RTN_UNACKNOWLEDGED, S.NORMAL]
    assert all(isinstance(batch, tuple) for batch in received)
    other = engine_for(WL, clock=clock)
    feed(other, clock, [4.7])
    assert len(received) == 3  # listeners belong to one engine


def test_events_are_deterministic(clock):
    def run():
        fake = FakeClock()
        engine = engine_for(WL, sensor("PZ", SensorKind.PIEZOMETER, "kPa"), clock=fake)
        events = feed(engine, fake, [4.0, 4.7, 4.2, 4.9], step=600)
        events += engine.tick(fake.advance(3600))
        return events

    assert run() == run()


def test_a_failing_listener_raises_with_the_batch_after_the_state_changed(clock):
    engine = engine_for(WL, clock=clock)

    def broken(batch):
        raise OSError("disk full")

    engine.transitions.connect(broken)
    with pytest.raises(AlarmListenerError, match="OSError: disk full") as caught:
        feed(engine, clock, [4.7])
    assert [e.key for e in caught.value.events] == [WARNING]
    assert "record error.events again" in caught.value.hint
    assert engine.state(WARNING) is S.UNACKNOWLEDGED
    engine.transitions.disconnect(broken)
    assert engine.acknowledge(WARNING, "op").to_state is S.ACKNOWLEDGED


def test_readings_and_acknowledgements_from_two_threads_keep_the_chain(clock):
    engine = engine_for(WL, clock=clock)
    emitted = []
    engine.transitions.connect(emitted.extend)
    times = [T0 + timedelta(seconds=second) for second in range(1, 3001)]
    clock.set(times[-1])
    done = threading.Event()

    def ingest():
        for second, moment in enumerate(times):
            engine.process([reading("WL-1", moment, 4.7 if second % 20 < 10 else 4.3)])
        done.set()

    def operator():
        while not done.is_set():
            with contextlib.suppress(IllegalTransitionError):
                engine.acknowledge(WARNING, "op")

    threads = [threading.Thread(target=ingest), threading.Thread(target=operator)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    state = S.NORMAL
    for event in (e for e in emitted if e.key == WARNING):
        assert event.from_state is state
        state = event.to_state
    assert state is engine.state(WARNING)
    assert sum(1 for e in emitted if e.key == WARNING and e.to_state is S.UNACKNOWLEDGED) == 150
