"""The ISA-18.2 alarm state machine of one alarm, and the events its transitions produce.

States (ISA-18.2 / IEC 62682) and transitions::

                       activate                       acknowledge
        NORMAL ───────────────────▶ UNACKNOWLEDGED ────────────────▶ ACKNOWLEDGED
          ▲  ▲                        │        ▲                          │
          │  │                  clear │        │ activate                 │ clear
          │  │                        ▼        │                          │
          │  └──── acknowledge ── RTN_UNACKNOWLEDGED                      │
          └───────────────────────────────────────────────────────────────┘

        NORMAL, UNACKNOWLEDGED, ACKNOWLEDGED, RTN_UNACKNOWLEDGED
            ── shelve (with an expiry) ──▶ SHELVED
            ── suppress (by design) ─────▶ SUPPRESSED     (also from SHELVED)
            ── remove_from_service ──────▶ OUT_OF_SERVICE (also from SHELVED, SUPPRESSED)
        SHELVED ── unshelve / expiry ──┐
        SUPPRESSED ── unsuppress ──────┼──▶ UNACKNOWLEDGED if the condition is active, else NORMAL
        OUT_OF_SERVICE ── return ──────┘

An acknowledged alarm whose condition clears returns to NORMAL; an unacknowledged one goes to
RTN_UNACKNOWLEDGED and stays on the alarm list until an operator acknowledges it.  While shelved,
suppressed or out of service the condition is still followed (so the alarm resumes in the right
state) but nothing is annunciated and no event is produced.  Every other change of state produces
one :class:`AlarmEvent`; each event's ``from_state`` is the previous event's ``to_state``.  Any
trigger not in :data:`TRANSITIONS` for the current state is refused with
:class:`~twin_app.telemetry.alarms.errors.IllegalTransitionError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from twin_app.telemetry.alarms.errors import IllegalTransitionError


class AlarmState(StrEnum):
    """The states of an alarm (the texts are what the store keeps)."""

    NORMAL = "normal"
    UNACKNOWLEDGED = "unacknowledged"
    ACKNOWLEDGED = "acknowledged"
    RTN_UNACKNOWLEDGED = "rtn_unacknowledged"
    SHELVED = "shelved"
    SUPPRESSED = "suppressed"
    OUT_OF_SERVICE = "out_of_service"

    @property
    def label(self) -> str:
        """The state in words, for messages."""
        return _LABELS[self]

    @property
    def on_alarm_list(self) -> bool:
        """Whether the alarm is annunciated (active or still awaiting acknowledgement)."""
        return self in _LISTED

    @property
    def hidden(self) -> bool:
        """Whether the alarm is shelved, suppressed or out of service."""
        return self in _HIDDEN


_LABELS = {
    AlarmState.NORMAL: "normal",
    AlarmState.UNACKNOWLEDGED: "active and unacknowledged",
    AlarmState.ACKNOWLEDGED: "active and acknowledged",
    AlarmState.RTN_UNACKNOWLEDGED: "returned to normal but unacknowledged",
    AlarmState.SHELVED: "shelved",
    AlarmState.SUPPRESSED: "suppressed by design",
    AlarmState.OUT_OF_SERVICE: "out of service",
}
_LISTED = frozenset({AlarmState.UNACKNOWLEDGED, AlarmState.ACKNOWLEDGED,
                     AlarmState.RTN_UNACKNOWLEDGED})
_HIDDEN = frozenset({AlarmState.SHELVED, AlarmState.SUPPRESSED, AlarmState.OUT_OF_SERVICE})


class Trigger(StrEnum):
    """What can move an alarm from one state to another."""

    ACTIVATE = "activate"
    CLEAR = "clear"
    ACKNOWLEDGE = "acknowledge"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    SHELVE_EXPIRED = "shelve_expired"
    SUPPRESS = "suppress"
    UNSUPPRESS = "unsuppress"
    REMOVE_FROM_SERVICE = "remove_from_service"
    RETURN_TO_SERVICE = "return_to_service"


class _Resume:
    """Target of leaving a hidden state: UNACKNOWLEDGED if the condition is active, else NORMAL."""

    def __repr__(self) -> str:
        return "RESUME"


RESUME = _Resume()
"""Placeholder target in :data:`TRANSITIONS` for leaving SHELVED, SUPPRESSED or OUT_OF_SERVICE."""

Target = AlarmState | _Resume | None

S, T = AlarmState, Trigger
_HIDING: dict[Trigger, Target] = {
    T.SHELVE: S.SHELVED, T.SUPPRESS: S.SUPPRESSED, T.REMOVE_FROM_SERVICE: S.OUT_OF_SERVICE,
}
TRANSITIONS: dict[AlarmState, dict[Trigger, Target]] = {
    S.NORMAL: {T.ACTIVATE: S.UNACKNOWLEDGED, T.CLEAR: None, **_HIDING},
    S.UNACKNOWLEDGED: {T.ACTIVATE: None, T.CLEAR: S.RTN_UNACKNOWLEDGED,
                       T.ACKNOWLEDGE: S.ACKNOWLEDGED, **_HIDING},
    S.ACKNOWLEDGED: {T.ACTIVATE: None, T.CLEAR: S.NORMAL, **_HIDING},
    S.RTN_UNACKNOWLEDGED: {T.ACTIVATE: S.UNACKNOWLEDGED, T.CLEAR: None,
                           T.ACKNOWLEDGE: S.NORMAL, **_HIDING},
    S.SHELVED: {T.ACTIVATE: None, T.CLEAR: None, T.UNSHELVE: RESUME, T.SHELVE_EXPIRED: RESUME,
                T.SUPPRESS: S.SUPPRESSED, T.REMOVE_FROM_SERVICE: S.OUT_OF_SERVICE},
    S.SUPPRESSED: {T.ACTIVATE: None, T.CLEAR: None, T.UNSUPPRESS: RESUME,
                   T.REMOVE_FROM_SERVICE: S.OUT_OF_SERVICE},
    S.OUT_OF_SERVICE: {T.ACTIVATE: None, T.CLEAR: None, T.RETURN_TO_SERVICE: RESUME},
}
"""For each state, the triggers it accepts and where they lead (``None``: stays, no event).

A trigger missing from a state's table is refused with :class:`IllegalTransitionError`.
"""
del S, T

_HINTS: dict[Trigger, str] = {
    Trigger.ACKNOWLEDGE: "only an unacknowledged alarm (active, or returned to normal) can be "
                         "acknowledged; refresh the alarm list",
    Trigger.SHELVE: "an alarm that is already shelved, suppressed or out of service cannot be "
                    "shelved; unshelve it first to shelve it again with a new expiry",
    Trigger.UNSHELVE: "only a shelved alarm can be unshelved",
    Trigger.SHELVE_EXPIRED: "only a shelved alarm can expire from shelving",
    Trigger.SUPPRESS: "the alarm is already suppressed or out of service",
    Trigger.UNSUPPRESS: "only a suppressed alarm can be unsuppressed",
    Trigger.REMOVE_FROM_SERVICE: "the alarm is already out of service",
    Trigger.RETURN_TO_SERVICE: "only an alarm that is out of service can be returned to service",
}


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """One state transition of one alarm, as the history keeps it.

    The first eight fields match :class:`twin_app.telemetry.store.AlarmEvent`, so the store can
    persist these events (see :mod:`twin_app.telemetry.alarms.history`).

    Attributes
    ----------
    sensor_id : str
        The sensor the alarm watches.
    alarm_id : str
        The alarm, unique per sensor: a threshold id, ``"rate_of_rise"``, ``"stale"`` or
        ``"bad_quality"``.
    time : datetime
        When the transition happened (never earlier than the alarm's previous transition).
    from_state, to_state : AlarmState
        The state before and after.
    user : str
        The operator who caused it; empty for the system.
    comment : str
        The operator's comment, or why the system made the transition.
    value : float or None
        The sensor's latest value at the transition, if there is one.
    trigger : Trigger
        What caused the transition.
    severity : int
        The alarm's severity (:class:`~twin_app.telemetry.alarms.definitions.Severity` value).
    shelved_until : datetime or None
        The shelve's expiry, on a transition into SHELVED.
    """

    sensor_id: str
    alarm_id: str
    time: datetime
    from_state: AlarmState
    to_state: AlarmState
    user: str = ""
    comment: str = ""
    value: float | None = None
    trigger: Trigger = Trigger.ACTIVATE
    severity: int = 0
    shelved_until: datetime | None = None

    @property
    def key(self) -> str:
        """The alarm's engine-wide key, ``"SENSOR/alarm"``."""
        return f"{self.sensor_id}/{self.alarm_id}"


class AlarmStateMachine:
    """The state of one alarm and the transitions it allows.

    Parameters
    ----------
    sensor_id, alarm_id : str
        Which alarm.
    severity : int
        Copied into each event.
    """

    __slots__ = ("alarm_id", "condition", "last_change", "raised_at", "sensor_id", "severity",
                 "shelved_until", "state", "user", "value")

    def __init__(self, sensor_id: str, alarm_id: str, severity: int = 0) -> None:
        self.sensor_id = sensor_id
        self.alarm_id = alarm_id
        self.severity = severity
        self.state = AlarmState.NORMAL
        self.condition = False
        self.value: float | None = None
        self.last_change: datetime | None = None
        self.raised_at: datetime | None = None
        self.shelved_until: datetime | None = None
        self.user = ""

    @property
    def key(self) -> str:
        """The alarm's engine-wide key, ``"SENSOR/alarm"``."""
        return f"{self.sensor_id}/{self.alarm_id}"

    def allows(self, trigger: Trigger) -> bool:
        """Return whether ``trigger`` is accepted in the current state."""
        return trigger in TRANSITIONS[self.state]

    def fire(self, trigger: Trigger, time: datetime, *, value: float | None = None,
             user: str = "", comment: str = "", shelved_until: datetime | None = None
             ) -> AlarmEvent | None:
        """Apply a trigger; return the event, or ``None`` if the state does not change.

        Parameters
        ----------
        trigger : Trigger
            What happened.  ``ACTIVATE`` and ``CLEAR`` also record the condition.
        time : datetime
            When; raised to the previous transition's time if earlier, so history stays ordered.
        value : float, optional
            The sensor's latest value (kept for later events when omitted).
        user, comment : str
            Who and why.
        shelved_until : datetime, optional
            The expiry, required with ``SHELVE``.

        Returns
        -------
        AlarmEvent or None
            The transition, if the state changed.

        Raises
        ------
        IllegalTransitionError
            If the current state does not accept ``trigger``.
        ValueError
            If ``SHELVE`` comes without ``shelved_until``.
        """
        table = TRANSITIONS[self.state]
        if trigger is Trigger.SHELVE and shelved_until is None:
            raise ValueError(f"shelving {self.key} needs shelved_until (the expiry)")
        if trigger not in table:
            raise IllegalTransitionError(self.key, self.state.label, trigger.value,
                                         _HINTS.get(trigger, "see the alarm state diagram"))
        if value is not None and math.isfinite(value):
            self.value = value
        if trigger is Trigger.ACTIVATE or trigger is Trigger.CLEAR:
            self.condition = trigger is Trigger.ACTIVATE
        target = table[trigger]
        if target is None:
            return None
        if isinstance(target, _Resume):
            target = AlarmState.UNACKNOWLEDGED if self.condition else AlarmState.NORMAL
        return self._move(target, trigger, time, user, comment, shelved_until)

    def restore(self, state: AlarmState, time: datetime, value: float | None,
                shelved_until: datetime | None) -> None:
        """Put the machine back in a state read from the history (no event is produced).

        The condition is taken to be active in the active states and clear otherwise; the next
        reading corrects it.
        """
        self.state = state
        self.condition = state in (AlarmState.UNACKNOWLEDGED, AlarmState.ACKNOWLEDGED)
        self.last_change = time
        self.raised_at = time if state.on_alarm_list else None
        self.shelved_until = shelved_until if state is AlarmState.SHELVED else None
        if value is not None and math.isfinite(value):
            self.value = value

    def _move(self, target: AlarmState, trigger: Trigger, time: datetime, user: str,
              comment: str, shelved_until: datetime | None) -> AlarmEvent:
        if self.last_change is not None and time < self.last_change:
            time = self.last_change
        if target is AlarmState.UNACKNOWLEDGED:
            self.raised_at = time
        elif target is AlarmState.NORMAL or target.hidden:
            self.raised_at = None
        self.shelved_until = shelved_until if target is AlarmState.SHELVED else None
        event = AlarmEvent(self.sensor_id, self.alarm_id, time, self.state, target, user,
                           comment, self.value, trigger, self.severity, self.shelved_until)
        self.state = target
        self.last_change = time
        self.user = user
        return event
