"""The ISA-18.2 state machine of one alarm: every transition, every refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.telemetry.alarms.helpers import T0
from twin_app.telemetry.alarms import (
    AlarmState,
    AlarmStateMachine,
    IllegalTransitionError,
    Trigger,
)
from twin_app.telemetry.alarms.state import RESUME, TRANSITIONS

S, T = AlarmState, Trigger

# Every state reached from NORMAL by a path of triggers, with the condition each leaves behind.
PATHS: dict[AlarmState, list[Trigger]] = {
    S.NORMAL: [],
    S.UNACKNOWLEDGED: [T.ACTIVATE],
    S.ACKNOWLEDGED: [T.ACTIVATE, T.ACKNOWLEDGE],
    S.RTN_UNACKNOWLEDGED: [T.ACTIVATE, T.CLEAR],
    S.SHELVED: [T.SHELVE],
    S.SUPPRESSED: [T.SUPPRESS],
    S.OUT_OF_SERVICE: [T.REMOVE_FROM_SERVICE],
}

EXPECTED: dict[tuple[AlarmState, Trigger], AlarmState | None] = {
    (S.NORMAL, T.ACTIVATE): S.UNACKNOWLEDGED,
    (S.NORMAL, T.CLEAR): None,
    (S.NORMAL, T.SHELVE): S.SHELVED,
    (S.NORMAL, T.SUPPRESS): S.SUPPRESSED,
    (S.NORMAL, T.REMOVE_FROM_SERVICE): S.OUT_OF_SERVICE,
    (S.UNACKNOWLEDGED, T.ACTIVATE): None,
    (S.UNACKNOWLEDGED, T.CLEAR): S.RTN_UNACKNOWLEDGED,
    (S.UNACKNOWLEDGED, T.ACKNOWLEDGE): S.ACKNOWLEDGED,
    (S.UNACKNOWLEDGED, T.SHELVE): S.SHELVED,
    (S.UNACKNOWLEDGED, T.SUPPRESS): S.SUPPRESSED,
    (S.UNACKNOWLEDGED, T.REMOVE_FROM_SERVICE): S.OUT_OF_SERVICE,
    (S.ACKNOWLEDGED, T.ACTIVATE): None,
    (S.ACKNOWLEDGED, T.CLEAR): S.NORMAL,
    (S.ACKNOWLEDGED, T.SHELVE): S.SHELVED,
    (S.ACKNOWLEDGED, T.SUPPRESS): S.SUPPRESSED,
    (S.ACKNOWLEDGED, T.REMOVE_FROM_SERVICE): S.OUT_OF_SERVICE,
    (S.RTN_UNACKNOWLEDGED, T.ACTIVATE): S.UNACKNOWLEDGED,
    (S.RTN_UNACKNOWLEDGED, T.CLEAR): None,
    (S.RTN_UNACKNOWLEDGED, T.ACKNOWLEDGE): S.NORMAL,
    (S.RTN_UNACKNOWLEDGED, T.SHELVE): S.SHELVED,
    (S.RTN_UNACKNOWLEDGED, T.SUPPRESS): S.SUPPRESSED,
    (S.RTN_UNACKNOWLEDGED, T.REMOVE_FROM_SERVICE): S.OUT_OF_SERVICE,
    (S.SHELVED, T.ACTIVATE): None,
    (S.SHELVED, T.CLEAR): None,
    (S.SHELVED, T.SUPPRESS): S.SUPPRESSED,
    (S.SHELVED, T.REMOVE_FROM_SERVICE): S.OUT_OF_SERVICE,
    (S.SUPPRESSED, T.ACTIVATE): None,
    (S.SUPPRESSED, T.CLEAR): None,
    (S.SUPPRESSED, T.REMOVE_FROM_SERVICE): S.OUT_OF_SERVICE,
    (S.OUT_OF_SERVICE, T.ACTIVATE): None,
    (S.OUT_OF_SERVICE, T.CLEAR): None,
}
"""The transitions whose target does not depend on the condition (None: no change)."""

RESUMING = {(S.SHELVED, T.UNSHELVE), (S.SHELVED, T.SHELVE_EXPIRED),
            (S.SUPPRESSED, T.UNSUPPRESS), (S.OUT_OF_SERVICE, T.RETURN_TO_SERVICE)}
"""Leaving a hidden state: UNACKNOWLEDGED if the condition is active, else NORMAL."""


def machine_in(state: AlarmState, *, condition: bool | None = None) -> AlarmStateMachine:
    machine = AlarmStateMachine("WL-1", "warning", severity=2)
    time = T0
    for trigger in PATHS[state]:
        time += timedelta(minutes=1)
        fire(machine, trigger, time)
    if condition is not None and condition != machine.condition:
        assert state.hidden, "only hidden states can have either condition"
        fire(machine, T.ACTIVATE if condition else T.CLEAR, time)
    assert machine.state is state
    return machine


def fire(machine: AlarmStateMachine, trigger: Trigger, time: datetime):
    until = time + timedelta(hours=1) if trigger is T.SHELVE else None
    user = "op" if trigger in (T.ACKNOWLEDGE, T.SHELVE) else ""
    return machine.fire(trigger, time, value=4.6, user=user, shelved_until=until)


def test_the_tables_agree():
    table = {(state, trigger): target for state, row in TRANSITIONS.items()
             for trigger, target in row.items()}
    assert set(table) == set(EXPECTED) | RESUMING
    assert all(table[pair] is RESUME for pair in RESUMING)
    assert set(TRANSITIONS) == set(AlarmState)


@pytest.mark.parametrize(("state", "trigger"), sorted(EXPECTED, key=str))
def test_each_transition(state, trigger):
    machine = machine_in(state)
    before = machine.last_change
    time = T0 + timedelta(hours=1)
    event = fire(machine, trigger, time)
    target = EXPECTED[state, trigger]
    if target is None:
        assert event is None
        assert machine.state is state
        assert machine.last_change == before
        return
    assert machine.state is target
    assert event is not None
    assert (event.from_state, event.to_state, event.trigger) == (state, target, trigger)
    assert event.time == time
    assert (event.sensor_id, event.alarm_id, event.key) == ("WL-1", "warning", "WL-1/warning")
    assert event.value == 4.6
    assert event.severity == 2


@pytest.mark.parametrize("condition", [True, False])
@pytest.mark.parametrize(("state", "trigger"), sorted(RESUMING, key=str))
def test_leaving_a_hidden_state_resumes_from_the_condition(state, trigger, condition):
    machine = machine_in(state, condition=condition)
    event = fire(machine, trigger, T0 + timedelta(hours=2))
    expected = S.UNACKNOWLEDGED if condition else S.NORMAL
    assert machine.state is expected
    assert (event.from_state, event.to_state) == (state, expected)


ILLEGAL = sorted(((state, trigger) for state in AlarmState for trigger in Trigger
                  if trigger not in TRANSITIONS[state]), key=str)


@pytest.mark.parametrize(("state", "trigger"), ILLEGAL)
def test_illegal_transitions_are_refused_and_change_nothing(state, trigger):
    machine = machine_in(state)
    snapshot = (machine.state, machine.condition, machine.last_change, machine.shelved_until)
    with pytest.raises(IllegalTransitionError) as caught:
        fire(machine, trigger, T0 + timedelta(hours=1))
    message = str(caught.value)
    assert f"cannot {trigger.value.replace('_', ' ')} alarm WL-1/warning" in message
    assert state.label in message
    assert caught.value.hint  # says what to do instead
    assert (machine.state, machine.condition, machine.last_change,
            machine.shelved_until) == snapshot


def test_there_are_illegal_transitions_of_each_operator_action():
    refused = {trigger for _, trigger in ILLEGAL}
    assert {T.ACKNOWLEDGE, T.SHELVE, T.UNSHELVE, T.UNSUPPRESS, T.RETURN_TO_SERVICE} <= refused
    assert (S.NORMAL, T.ACKNOWLEDGE) in ILLEGAL
    assert (S.ACKNOWLEDGED, T.ACKNOWLEDGE) in ILLEGAL
    assert (S.SHELVED, T.SHELVE) in ILLEGAL


def test_acknowledged_alarm_that_clears_returns_to_normal():
    machine = machine_in(S.ACKNOWLEDGED)
    assert fire(machine, T.CLEAR, T0 + timedelta(hours=1)).to_state is S.NORMAL


def test_unacknowledged_alarm_that_clears_waits_for_acknowledgement():
    machine = machine_in(S.UNACKNOWLEDGED)
    assert fire(machine, T.CLEAR, T0 + timedelta(hours=1)).to_state is S.RTN_UNACKNOWLEDGED
    assert machine.state.on_alarm_list
    event = fire(machine, T.ACKNOWLEDGE, T0 + timedelta(hours=2))
    assert (event.from_state, event.to_state, event.user) == (S.RTN_UNACKNOWLEDGED, S.NORMAL, "op")
    assert not machine.state.on_alarm_list


def test_condition_is_followed_while_hidden_without_events():
    machine = machine_in(S.SHELVED)
    assert fire(machine, T.ACTIVATE, T0 + timedelta(hours=1)) is None
    assert machine.condition
    assert fire(machine, T.CLEAR, T0 + timedelta(hours=1)) is None
    assert not machine.condition


def test_event_times_never_go_back_and_are_utc():
    machine = machine_in(S.UNACKNOWLEDGED)
    later = T0 + timedelta(hours=3)
    fire(machine, T.ACKNOWLEDGE, later)
    shanghai = timezone(timedelta(hours=8))
    early = (T0 + timedelta(hours=1)).astimezone(shanghai)
    event = fire(machine, T.CLEAR, early)
    assert event.time == later
    assert event.time.tzinfo == UTC


def test_shelve_records_its_expiry_and_leaving_forgets_it():
    machine = machine_in(S.UNACKNOWLEDGED)
    until = T0 + timedelta(hours=5)
    event = machine.fire(T.SHELVE, T0 + timedelta(hours=1), user="op", comment="chattering",
                         shelved_until=until)
    assert event.shelved_until == until == machine.shelved_until
    assert event.comment == "chattering"
    assert machine.raised_at is None
    machine.fire(T.UNSHELVE, T0 + timedelta(hours=2), user="op")
    assert machine.shelved_until is None
    assert machine.state is S.UNACKNOWLEDGED  # the condition is still active
    assert machine.raised_at == T0 + timedelta(hours=2)


def test_raise_time_is_kept_through_acknowledgement_and_renewed_on_realarm():
    machine = machine_in(S.NORMAL)
    fire(machine, T.ACTIVATE, T0)
    fire(machine, T.ACKNOWLEDGE, T0 + timedelta(minutes=5))
    assert machine.raised_at == T0
    fire(machine, T.CLEAR, T0 + timedelta(minutes=6))
    assert machine.raised_at is None
    fire(machine, T.ACTIVATE, T0 + timedelta(minutes=7))
    fire(machine, T.CLEAR, T0 + timedelta(minutes=8))
    assert machine.raised_at == T0 + timedelta(minutes=7)
    fire(machine, T.ACTIVATE, T0 + timedelta(minutes=9))
    assert machine.raised_at == T0 + timedelta(minutes=9)


def test_a_non_finite_value_keeps_the_last_good_one():
    machine = machine_in(S.NORMAL)
    fire(machine, T.ACTIVATE, T0)
    event = machine.fire(T.ACKNOWLEDGE, T0, value=float("inf"), user="op")
    assert event.value == 4.6


def test_shelving_needs_an_expiry():
    machine = machine_in(S.UNACKNOWLEDGED)
    with pytest.raises(ValueError, match="needs shelved_until"):
        machine.fire(T.SHELVE, T0, user="op")
    assert machine.state is S.UNACKNOWLEDGED
