"""The monitoring side of an open scene: readings into the shown values, the alarms and the store.

A :class:`MonitoringSession` is what every feed hands its readings to (MQTT, SL 651 stations,
a replayed event).  It keeps the scene's :class:`~twin_app.core.live.LiveValues` current, runs the
:class:`~twin_app.telemetry.alarms.engine.AlarmEngine` on the app clock, and, when given a store,
writes readings and alarm history durably.  A replayed event is released into the session as the
app clock passes each reading's time, so playing, pausing and speeding up the clock is the replay.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta

from psygnal import Signal

from twin_app.core.clock import AppClock
from twin_app.core.live import LiveValues
from twin_app.core.readings import Reading
from twin_app.core.scene import Scene
from twin_app.telemetry.alarms.checks import CheckOutcome
from twin_app.telemetry.alarms.engine import AlarmEngine
from twin_app.telemetry.alarms.history import resume_from, store_recorder
from twin_app.telemetry.alarms.state import AlarmEvent
from twin_app.telemetry.store.base import TelemetryStore

logger = logging.getLogger(__name__)

REPLAY_STEP = timedelta(minutes=5)
"""When the clock jumps over replayed readings, they are judged in steps of this length."""


class MonitoringSession:
    """Readings, alarms and storage for one scene.

    Listeners connect to :attr:`transitions` (not to the engine, which a replay replaces).

    Parameters
    ----------
    scene : Scene
        The scene whose sensors are watched.
    live : LiveValues
        The values the views show (the workspace's).
    clock : AppClock
        The app clock; alarms are judged at its time.
    store : TelemetryStore, optional
        Where readings and alarm history are kept durably.
    """

    def __init__(self, scene: Scene, live: LiveValues, clock: AppClock,
                 store: TelemetryStore | None = None) -> None:
        self.scene = scene
        self.live = live
        self.clock = clock
        self.store: TelemetryStore | None = None
        self._judging_at: datetime | None = None
        self.engine = self._new_engine()
        if store is not None:
            self.attach_store(store)
        self._lock = threading.Lock()
        self._pending: list[Reading] = []
        self._pending_times: list[float] = []

    def attach_store(self, store: TelemetryStore) -> None:
        """Keep readings and alarm history in ``store`` from now on (alarm states resume)."""
        self.store = store
        resume_from(self.engine, store.alarms)
        self.engine.transitions.connect(store_recorder(store.alarms))

    def _judging_time(self) -> datetime:
        """Return the time alarms are judged at: the clock's, or a replay step's."""
        return self._judging_at or self.clock.time

    transitions = Signal(tuple)
    """Emitted with each batch of alarm transitions (from the thread that caused them)."""

    def _new_engine(self) -> AlarmEngine:
        engine = AlarmEngine.from_scene(self.scene, clock=self._judging_time)
        engine.transitions.connect(self._forward_transitions)
        return engine

    def _forward_transitions(self, events: tuple) -> None:
        # a named slot: connecting ``self.transitions.emit`` directly made psygnal add an argument
        self.transitions.emit(events)

    def ingest(self, readings: Sequence[Reading]) -> list[AlarmEvent]:
        """Take readings from a feed (any thread); return the alarm transitions they caused."""
        if not readings:
            return []
        if self.store is not None:
            result = self.store.append(readings)
            if result.rejected:
                logger.warning("store quarantined %d of %d readings", result.rejected,
                               len(readings))
        self.live.ingest(readings)
        return self.engine.process(readings)

    def post_checks(self, outcomes: Iterable[CheckOutcome]) -> list[AlarmEvent]:
        """Put the outcomes of engineering checks (seepage, ...) into the alarm list.

        Judged at the clock's time, like the readings; see
        :meth:`~twin_app.telemetry.alarms.engine.AlarmEngine.post_checks`.
        """
        return self.engine.post_checks(outcomes, self._judging_time())

    def load_replay(self, readings: Iterable[Reading]) -> tuple[Reading, Reading] | None:
        """Play a recorded event: released into the session as the clock passes each reading.

        The clock is put at the event's first reading (history mode, paused) and the alarms
        start afresh on the event's timeline; a replay never writes to the store.

        Returns
        -------
        tuple or None
            The first and last readings of the event, or ``None`` if it is empty.
        """
        ordered = sorted(readings, key=lambda r: r.utc)
        if not ordered:
            return None
        with self._lock:
            self._pending = ordered
            self._pending_times = [r.utc.timestamp() for r in ordered]
        self.store = None
        self.clock.set_time(ordered[0].utc)
        self.engine.transitions.disconnect(self._forward_transitions)
        self.engine = self._new_engine()
        self.transitions.emit(())
        return ordered[0], ordered[-1]

    def pending(self) -> int:
        """How many replayed readings the clock has not reached yet."""
        with self._lock:
            return len(self._pending)

    def advance(self) -> list[AlarmEvent]:
        """Release the replayed readings up to the clock's time and judge stale data."""
        cut = self.clock.time.timestamp()
        with self._lock:
            index = bisect.bisect_right(self._pending_times, cut)
            released = self._pending[:index]
            del self._pending[:index]
            del self._pending_times[:index]
        events: list[AlarmEvent] = []
        for step_end, step in _steps(released, REPLAY_STEP):
            # catching up over a long jump: judge each step at its own time, as if played
            self._judging_at = step_end
            try:
                events += self.ingest(step)
                events += self.engine.tick(step_end)
            finally:
                self._judging_at = None
        return events + self.engine.tick(self.clock.time)


def _steps(readings: list[Reading], step: timedelta) -> Iterator[tuple[datetime, list[Reading]]]:
    """Yield time-ordered readings in groups spanning at most ``step``, with each group's end."""
    group: list[Reading] = []
    for reading in readings:
        if group and reading.utc - group[0].utc > step:
            yield group[-1].utc, group
            group = []
        group.append(reading)
    if group:
        yield group[-1].utc, group
