"""The alarm engine: readings in, ISA-18.2 alarm transitions out, operator actions in between.

::

    engine = AlarmEngine.from_scene(load_scene("huangpu").spec, clock=app_clock_now)
    engine.transitions.connect(store_recorder(store.alarms))   # persist the history
    engine.transitions.connect(alarm_dock.on_transitions)      # show it
    engine.process(readings)          # as readings arrive
    engine.tick()                     # about once a second: stale data, shelve expiry
    engine.acknowledge("HPK-WL-01/warning", user="duty-officer")

Alarms are named by their key ``"SENSOR/alarm"`` (``alarm`` is a threshold id, ``rate_of_rise``,
``stale`` or ``bad_quality``).  Every call that changes states returns its events and emits them,
as one tuple, on :attr:`AlarmEngine.transitions`.  The engine is thread-safe: readings may come
from an ingest thread while the GUI thread acknowledges; listeners run on the calling thread,
under the engine's lock, in transition order (they must not wait on another thread that uses
the engine; a Qt view connects with ``thread=`` to be called on the GUI thread).  Connect the
store first: if a listener raises, the later ones miss that batch and the call raises
:class:`AlarmListenerError` carrying the batch, after the states have changed.  Time comes only
from the injected clock and the readings' own times.
"""

from __future__ import annotations

import difflib
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from psygnal import EmitLoopError, Signal

from twin_app.core.clock import utc_now
from twin_app.core.readings import Quality, Reading
from twin_app.core.scene import LocalizedText, Scene
from twin_app.telemetry.alarms.checks import CheckOutcome, is_check_source
from twin_app.telemetry.alarms.conditions import SensorWatch
from twin_app.telemetry.alarms.config import AlarmConfig
from twin_app.telemetry.alarms.definitions import AlarmDefinition, definitions_from_scene
from twin_app.telemetry.alarms.errors import AlarmListenerError, UnknownAlarmError
from twin_app.telemetry.alarms.operator import operator_name, require_reason, shelve_expiry
from twin_app.telemetry.alarms.state import AlarmEvent, AlarmState, AlarmStateMachine, Trigger
from twin_app.telemetry.alarms.status import AlarmStatus, HistoryEvent

logger = logging.getLogger(__name__)

DEFAULT_MAX_SHELVE = timedelta(hours=12)


class AlarmEngine:
    """Evaluates readings against alarm definitions and keeps every alarm's state.

    Parameters
    ----------
    definitions : iterable of AlarmDefinition
        The alarms (see :func:`~twin_app.telemetry.alarms.definitions.definitions_from_scene`).
    clock : callable, optional
        Returns the current time, timezone-aware (the app clock in the app, a fake in tests).
    max_shelve : timedelta
        The longest an operator may shelve an alarm.

    Raises
    ------
    AlarmDefinitionError
        If two definitions share a key or one sensor's alarms disagree on its unit.
    """

    transitions = Signal(tuple)
    """Emitted with a tuple of :class:`AlarmEvent` whenever states change."""

    def __init__(self, definitions: Iterable[AlarmDefinition],
                 clock: Callable[[], datetime] = utc_now, *,
                 max_shelve: timedelta = DEFAULT_MAX_SHELVE) -> None:
        self._clock = clock
        self._max_shelve = max_shelve
        self._lock = threading.RLock()
        self._watches = SensorWatch.build(definitions, start=clock().timestamp())
        self._machines: dict[str, AlarmStateMachine] = {}
        self._definitions: dict[str, AlarmDefinition] = {}
        for watch in self._watches.values():
            for check in watch.checks():
                self._machines[check.definition.key] = check.machine
                self._definitions[check.definition.key] = check.definition
        self._listed: set[str] = set()
        self._shelved: set[str] = set()
        self._counts: Counter[str] = Counter()
        self._reported: set[tuple[str, str]] = set()

    @classmethod
    def from_scene(cls, scene: Scene, config: AlarmConfig | None = None,
                   clock: Callable[[], datetime] = utc_now) -> AlarmEngine:
        """Return an engine with the alarms of a scene (and the config's shelving limit)."""
        config = config or AlarmConfig()
        return cls(definitions_from_scene(scene, config), clock,
                   max_shelve=timedelta(hours=config.shelving.max_hours))

    # -- inputs ---------------------------------------------------------------------------------

    def process(self, readings: Iterable[Reading]) -> list[AlarmEvent]:
        """Evaluate readings (any order; each sensor's are taken in time order).

        A reading older than its sensor's newest is counted as ``out_of_order`` and not judged;
        one of an unknown sensor is counted as ``unknown_sensor``; one in the wrong unit raises
        the sensor's bad-quality alarm.  Readings of quality BAD or MISSING are not judged
        against levels or rates.

        Parameters
        ----------
        readings : iterable of Reading
            New readings.

        Returns
        -------
        list of AlarmEvent
            The transitions, in order.
        """
        batch = sorted(readings, key=_reading_time)
        with self._lock:
            now = self._clock()
            events: list[AlarmEvent] = []
            self._expire_shelves(now, events)
            now_ts = now.timestamp()
            for reading in batch:
                watch = self._watches.get(reading.sensor_id)
                if watch is None:
                    self._note("unknown_sensor", reading.sensor_id, "readings of sensor %s, "
                               "which has no alarms, are ignored")
                    continue
                self._evaluate(watch, reading, now, now_ts, events)
            self._counts["readings"] += len(batch)
            return self._publish(events)

    def tick(self, now: datetime | None = None) -> list[AlarmEvent]:
        """Check stale data and shelve expiry at ``now`` (the clock's time if omitted).

        Returns
        -------
        list of AlarmEvent
            The transitions, in order.
        """
        with self._lock:
            now = now or self._clock()
            events: list[AlarmEvent] = []
            self._expire_shelves(now, events)
            now_ts = now.timestamp()
            for watch in self._watches.values():
                if watch.stale is not None:
                    _add(events, watch.stale.update(now, now_ts, watch.last_seen, watch.value))
            return self._publish(events)

    def post_checks(self, outcomes: Iterable[CheckOutcome], time: datetime | None = None
                    ) -> list[AlarmEvent]:
        """Raise (failed) or clear (passed) the alarms of engineering checks, at ``time``.

        A check's alarm is created when it first fails (see :mod:`.checks`); returns the
        transitions, in order.
        """
        with self._lock:
            now = time or self._clock()
            events: list[AlarmEvent] = []
            for outcome in outcomes:
                machine = (self._check_machine(outcome) if outcome.failed
                           else self._machines.get(outcome.key))
                if machine is not None:
                    trigger = Trigger.ACTIVATE if outcome.failed else Trigger.CLEAR
                    _add(events, machine.fire(trigger, now, value=outcome.value,
                                              comment=outcome.text))
            return self._publish(events)

    def _check_machine(self, outcome: CheckOutcome) -> AlarmStateMachine:
        """Return the state machine of a check's alarm, creating or renaming it."""
        self._definitions[outcome.key] = outcome.definition()
        machine = self._machines.setdefault(outcome.key, AlarmStateMachine(
            outcome.source, outcome.check_id, int(outcome.severity)))
        machine.severity = int(outcome.severity)
        return machine

    # -- operator actions -----------------------------------------------------------------------

    def acknowledge(self, key: str, user: str, comment: str = "") -> AlarmEvent:
        """Acknowledge an unacknowledged alarm (active, or returned to normal).

        Raises
        ------
        UnknownAlarmError
            If there is no such alarm.
        IllegalTransitionError
            If the alarm is not awaiting acknowledgement.
        OperatorInputError
            If ``user`` is empty.
        """
        return self._operate(key, Trigger.ACKNOWLEDGE, operator_name(user), comment)

    def shelve(self, key: str, until: datetime | timedelta, user: str, comment: str
               ) -> AlarmEvent:
        """Shelve an alarm until a time (or for a duration); it resumes by itself then.

        Raises
        ------
        OperatorInputError
            If ``user`` or ``comment`` (the reason) is empty, or ``until`` is not in the future
            or lies beyond the longest allowed shelve.
        UnknownAlarmError, IllegalTransitionError
            As for :meth:`acknowledge`.
        """
        user, reason = operator_name(user), require_reason(comment, "shelving")
        with self._lock:
            expiry = shelve_expiry(key, until, self._clock(), self._max_shelve)
            return self._operate(key, Trigger.SHELVE, user, reason, shelved_until=expiry)

    def unshelve(self, key: str, user: str, comment: str = "") -> AlarmEvent:
        """End a shelve now: the alarm shows its condition again (unacknowledged if active)."""
        return self._operate(key, Trigger.UNSHELVE, operator_name(user), comment)

    def suppress(self, key: str, reason: str) -> AlarmEvent:
        """Suppress an alarm by design (plant logic, not an operator), e.g. while a gate is shut."""
        return self._operate(key, Trigger.SUPPRESS, "", require_reason(reason, "suppressing"))

    def unsuppress(self, key: str, reason: str) -> AlarmEvent:
        """End a suppression by design."""
        return self._operate(key, Trigger.UNSUPPRESS, "", require_reason(reason, "unsuppressing"))

    def remove_from_service(self, key: str, user: str, comment: str) -> AlarmEvent:
        """Take an alarm out of service (maintenance), with no time limit."""
        return self._operate(key, Trigger.REMOVE_FROM_SERVICE, operator_name(user),
                             require_reason(comment, "taking an alarm out of service"))

    def return_to_service(self, key: str, user: str, comment: str = "") -> AlarmEvent:
        """Return an out-of-service alarm to service."""
        return self._operate(key, Trigger.RETURN_TO_SERVICE, operator_name(user), comment)

    # -- queries --------------------------------------------------------------------------------

    def state(self, key: str) -> AlarmState:
        """Return an alarm's state."""
        with self._lock:
            return self._machine(key).state

    def status(self, key: str) -> AlarmStatus:
        """Return a snapshot of one alarm."""
        with self._lock:
            return AlarmStatus.of(self._definitions[self._machine(key).key], self._machines[key])

    def active(self, *, newest_first: bool = True) -> list[AlarmStatus]:
        """Return the alarm list: unacknowledged, acknowledged and returned-unacknowledged alarms.

        Sorted by severity (most severe first), then by when each was raised (newest first
        unless ``newest_first`` is false), then by key.
        """
        with self._lock:
            listed = [AlarmStatus.of(self._definitions[key], self._machines[key])
                      for key in self._listed]
        return AlarmStatus.sort(listed, newest_first=newest_first)

    def shelved(self) -> list[AlarmStatus]:
        """Return the shelved alarms, soonest expiry first."""
        with self._lock:
            shelved = [AlarmStatus.of(self._definitions[key], self._machines[key])
                       for key in self._shelved]
        return sorted(shelved, key=lambda status: (status.shelved_until, status.key))

    def statuses(self) -> list[AlarmStatus]:
        """Return a snapshot of every alarm, in definition order."""
        with self._lock:
            return [AlarmStatus.of(self._definitions[key], machine)
                    for key, machine in self._machines.items()]

    def definition(self, key: str) -> AlarmDefinition:
        """Return an alarm's definition."""
        return self._definitions[self._machine(key).key]

    @property
    def keys(self) -> list[str]:
        """Every alarm's key, in definition order."""
        return list(self._machines)

    def counts(self) -> dict[str, int]:
        """Return counters: ``readings``, ``unknown_sensor``, ``out_of_order``, ``wrong_unit``."""
        with self._lock:
            return dict(self._counts)

    # -- restart --------------------------------------------------------------------------------

    def restore(self, events: Iterable[HistoryEvent]) -> int:
        """Resume alarm states from each alarm's last recorded transition (no events emitted).

        A shelved alarm without a recorded expiry is shelved until its shelve time plus the
        longest allowed shelve.  Alarms the engine does not know are skipped with a warning.

        Parameters
        ----------
        events : iterable
            The last transition of each alarm, e.g. ``store.alarms.current().values()``.

        Returns
        -------
        int
            How many alarms were restored.
        """
        restored = 0
        with self._lock:
            for event in events:
                restored += self._restore_one(event)
        logger.info("restored the state of %d alarm(s) from the history", restored)
        return restored

    # -- internals ------------------------------------------------------------------------------

    def _evaluate(self, watch: SensorWatch, reading: Reading, now: datetime, now_ts: float,
                  events: list[AlarmEvent]) -> None:
        ts = reading.time.timestamp()
        if ts > watch.last_seen:
            watch.last_seen = ts
        if ts < watch.last_ts:
            self._counts["out_of_order"] += 1
            return
        watch.last_ts = ts
        time, value = reading.time, reading.value
        wrong_unit = reading.unit != watch.unit
        if wrong_unit:
            self._note("wrong_unit", reading.sensor_id, "readings of %s come in the wrong unit; "
                       "its bad-quality alarm is raised and levels are not judged")
        if watch.quality is not None:
            _add(events, watch.quality.update(time, ts, reading.quality, reading.unit, value))
        if not wrong_unit and reading.quality < Quality.BAD:
            watch.value = value
            for check in watch.levels:
                _add(events, check.update(time, ts, value))
            if watch.rate is not None:
                _add(events, watch.rate.update(time, ts, value))
        if watch.stale is not None:
            _add(events, watch.stale.update(now, now_ts, watch.last_seen, watch.value))

    def _expire_shelves(self, now: datetime, events: list[AlarmEvent]) -> None:
        for key in sorted(self._shelved):
            machine = self._machines[key]
            until = machine.shelved_until
            if until is not None and until <= now:
                _add(events, machine.fire(Trigger.SHELVE_EXPIRED, until, comment="shelve expired"))

    def _operate(self, key: str, trigger: Trigger, user: str, comment: str,
                 shelved_until: datetime | None = None) -> AlarmEvent:
        with self._lock:
            machine = self._machine(key)
            event = machine.fire(trigger, self._clock(), user=user, comment=comment,
                                 shelved_until=shelved_until)
            if event is None:  # pragma: no cover - every allowed operator trigger moves the state
                raise RuntimeError(f"{trigger.value} of {key} left its state unchanged")
            self._publish([event])
            return event

    def _publish(self, events: list[AlarmEvent]) -> list[AlarmEvent]:
        for event in events:
            self._track(event.key, event.to_state)
            logger.info("alarm %s: %s -> %s at %s (%s%s)", event.key, event.from_state.value,
                        event.to_state.value, event.time.isoformat(), event.comment,
                        f"; by {event.user}" if event.user else "")
        if events:
            batch = tuple(events)
            try:
                self.transitions.emit(batch)
            except EmitLoopError as error:
                cause = error.__cause__ or error
                logger.error("alarm listener failed: %s", cause)
                raise AlarmListenerError(batch, cause) from cause
        return events

    def _track(self, key: str, state: AlarmState) -> None:
        """Keep the sets of listed and shelved alarms in step with ``key`` entering ``state``."""
        for member, keys in ((state.on_alarm_list, self._listed),
                             (state is AlarmState.SHELVED, self._shelved)):
            if member:
                keys.add(key)
            else:
                keys.discard(key)

    def _restore_one(self, event: HistoryEvent) -> int:
        key = f"{event.sensor_id}/{event.alarm_id}"
        machine = self._machines.get(key)
        try:
            state = AlarmState(str(event.to_state))
        except ValueError:
            state = None
        if machine is None and state is not None and is_check_source(event.sensor_id):
            # a check's alarm: known again from its history until the check is posted anew
            machine = self._check_machine(CheckOutcome(
                event.sensor_id, event.alarm_id,
                LocalizedText(zh=event.alarm_id, en=event.alarm_id), False, ""))
        if machine is None or state is None:
            logger.warning("alarm history: %s (state %s) is not an alarm of this engine; "
                           "skipped", key, event.to_state)
            return 0
        until = getattr(event, "shelved_until", None)
        if state is AlarmState.SHELVED and until is None:
            until = event.time + self._max_shelve
        machine.restore(state, event.time, event.value, until)
        self._track(key, state)
        return 1

    def _machine(self, key: str) -> AlarmStateMachine:
        machine = self._machines.get(key)
        if machine is None:
            close = difflib.get_close_matches(key, self._machines, n=3)
            hint = f"did you mean {', '.join(close)}?" if close else (
                "alarm keys look like 'SENSOR/alarm', e.g. 'HPK-WL-01/warning'")
            raise UnknownAlarmError(f"no alarm {key!r}", hint=hint)
        return machine

    def _note(self, counter: str, sensor_id: str, message: str) -> None:
        self._counts[counter] += 1
        if (counter, sensor_id) not in self._reported:
            self._reported.add((counter, sensor_id))
            logger.warning(message, sensor_id)


def _reading_time(reading: Reading) -> datetime:
    return reading.time


def _add(events: list[AlarmEvent], event: AlarmEvent | None) -> None:
    if event is not None:
        events.append(event)
