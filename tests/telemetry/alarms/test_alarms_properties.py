"""Property tests: whatever readings and operator actions come, every alarm stays in a defined state
and its events chain (each event's from-state is the previous event's to-state)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tests.telemetry.alarms.helpers import T0, FakeClock, engine_for, reading, sensor, threshold
from twin_app.core.readings import Quality
from twin_app.telemetry.alarms import (
    AlarmState,
    AlarmStateMachine,
    IllegalTransitionError,
    Trigger,
)
from twin_app.telemetry.alarms.state import RESUME, TRANSITIONS

S = AlarmState
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CONFIG = """
[sensors.WL-1]
deadband = 0.1
on_delay_s = 30
rate_of_rise = { rate_per_hour = 1.0, window_min = 10, deadband_per_hour = 0.2 }
stale = { after_min = 10 }
"""
WL = sensor("WL-1", thresholds=[threshold("high", 4.55), threshold("low", 1.0, "below")])
KEYS = ("WL-1/high", "WL-1/low", "WL-1/rate_of_rise", "WL-1/stale", "WL-1/bad_quality")
ACTIVE_CONDITION = {S.UNACKNOWLEDGED, S.ACKNOWLEDGED}
CLEAR_CONDITION = {S.NORMAL, S.RTN_UNACKNOWLEDGED}

keys = st.sampled_from(KEYS)
levels = st.one_of(st.floats(0.0, 8.0), st.sampled_from([0.9, 1.0, 1.05, 4.5, 4.55, 4.6]))


class EngineMachine(RuleBasedStateMachine):
    """Drives one engine with random readings, ticks and operator actions."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.engine = engine_for(WL, clock=self.clock, config=CONFIG)
        self.emitted: list = []
        self.returned: list = []
        self.engine.transitions.connect(lambda batch: self.emitted.extend(batch))
        self.last_state = dict.fromkeys(KEYS, S.NORMAL)
        self.last_time = dict.fromkeys(KEYS, EPOCH)
        self.checked = 0

    # -- inputs ------------------------------------------------------------------------------

    @rule(value=levels, seconds=st.integers(0, 900),
          quality=st.sampled_from(list(Quality)), unit=st.sampled_from(["m", "m", "m", "cm"]))
    def read(self, value, seconds, quality, unit):
        self.clock.advance(seconds)
        self.returned += self.engine.process([reading("WL-1", self.clock.now, value, unit=unit,
                                                      quality=quality)])

    @rule(value=levels, back=st.integers(1, 3600))
    def read_late(self, value, back):
        late = reading("WL-1", self.clock.now - timedelta(seconds=back), value)
        self.returned += self.engine.process([late])

    @rule(seconds=st.integers(0, 4 * 3600))
    def tick(self, seconds):
        self.returned += self.engine.tick(self.clock.advance(seconds))

    # -- operator and design actions ----------------------------------------------------------

    @rule(key=keys)
    def acknowledge(self, key):
        self._act(key, Trigger.ACKNOWLEDGE, lambda: self.engine.acknowledge(key, "op"))

    @rule(key=keys, minutes=st.integers(1, 12 * 60))
    def shelve(self, key, minutes):
        self._act(key, Trigger.SHELVE,
                  lambda: self.engine.shelve(key, timedelta(minutes=minutes), "op", "test"))

    @rule(key=keys)
    def unshelve(self, key):
        self._act(key, Trigger.UNSHELVE, lambda: self.engine.unshelve(key, "op"))

    @rule(key=keys)
    def suppress(self, key):
        self._act(key, Trigger.SUPPRESS, lambda: self.engine.suppress(key, "plant state"))

    @rule(key=keys)
    def unsuppress(self, key):
        self._act(key, Trigger.UNSUPPRESS, lambda: self.engine.unsuppress(key, "plant state"))

    @rule(key=keys)
    def remove_from_service(self, key):
        self._act(key, Trigger.REMOVE_FROM_SERVICE,
                  lambda: self.engine.remove_from_service(key, "tech", "maintenance"))

    @rule(key=keys)
    def return_to_service(self, key):
        self._act(key, Trigger.RETURN_TO_SERVICE,
                  lambda: self.engine.return_to_service(key, "tech"))

    def _act(self, key, trigger, action):
        before = self.engine.state(key)
        allowed = trigger in TRANSITIONS[before]
        if not allowed:
            with pytest.raises(IllegalTransitionError):
                action()
            assert self.engine.state(key) is before
            return
        event = action()
        self.returned.append(event)
        target = TRANSITIONS[before][trigger]
        if target is RESUME:
            condition = self.engine.status(key).condition_active
            target = S.UNACKNOWLEDGED if condition else S.NORMAL
        assert (event.from_state, event.to_state, event.trigger) == (before, target, trigger)

    # -- invariants ---------------------------------------------------------------------------

    @invariant()
    def events_chain_and_match_the_states(self):
        assert self.emitted == self.returned
        for event in self.emitted[self.checked:]:
            assert event.to_state in AlarmState
            assert event.from_state is self.last_state[event.key], event
            assert event.from_state is not event.to_state
            assert event.time >= self.last_time[event.key]
            self.last_state[event.key] = event.to_state
            self.last_time[event.key] = event.time
        self.checked = len(self.emitted)
        for key in KEYS:
            assert self.engine.state(key) is self.last_state[key]

    @invariant()
    def states_agree_with_conditions_and_lists(self):
        listed = {status.key for status in self.engine.active()}
        shelved = {status.key for status in self.engine.shelved()}
        for status in self.engine.statuses():
            state = status.state
            assert state in AlarmState
            if state in ACTIVE_CONDITION:
                assert status.condition_active, status
            if state in CLEAR_CONDITION:
                assert not status.condition_active, status
            assert (status.key in listed) == state.on_alarm_list
            assert (status.key in shelved) == (state is S.SHELVED)
            assert (status.shelved_until is not None) == (state is S.SHELVED)
            if state is S.SHELVED:
                assert status.shelved_until > self.clock.now - timedelta(hours=5)


EngineMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40,
                                           deadline=None,
                                           suppress_health_check=[HealthCheck.too_slow])
TestEngineMachine = EngineMachine.TestCase


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(Trigger)), st.integers(-600, 3600)),
                max_size=60))
def test_any_trigger_sequence_keeps_a_defined_state_and_a_chained_history(steps):
    machine = AlarmStateMachine("WL-1", "high")
    time, previous, last_time = T0, S.NORMAL, EPOCH
    for trigger, seconds in steps:
        time += timedelta(seconds=seconds)
        state = machine.state
        try:
            event = machine.fire(trigger, time, value=1.0, user="op",
                                 shelved_until=time + timedelta(hours=1))
        except IllegalTransitionError:
            assert trigger not in TRANSITIONS[state]
            assert machine.state is state
            continue
        assert trigger in TRANSITIONS[state]
        assert machine.state in AlarmState
        if event is None:
            assert machine.state is state
            continue
        assert event.from_state is previous
        assert event.to_state is machine.state is not state
        assert event.time >= last_time
        previous, last_time = event.to_state, event.time
