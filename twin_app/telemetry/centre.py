"""Several clients, one set of alarms: a command centre sharing one store (PostgreSQL).

In a command centre one ingest service (``twin-app telemetry serve``) judges the readings and
records every alarm transition in the shared store; the clients (the wall, workstations) do not
judge readings themselves, they follow the store.  Each process keeps an
:class:`~twin_app.telemetry.alarms.engine.AlarmEngine` in step with what the others recorded
through :class:`AlarmSync`, so an alarm raised by the service shows on every client, and an
acknowledgement made on one client is recorded once and holds for all, the service included
(its engine then returns the alarm to normal, not to "returned, unacknowledged").

::

    shared = SharedAlarms(scene, store, user="wall-1")   # a client
    shared.refresh()                   # from a timer, about once a second
    shared.active()                    # the same list on every client
    shared.acknowledge("HPK-WL-01/warning")   # None if someone already did

Two clients acknowledging in the same instant both record an acknowledgement (the second is
harmless: the state is the same); one that refreshes first sees the alarm acknowledged and
records nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from psygnal import Signal

from twin_app.core.clock import utc_now
from twin_app.core.scene import Scene
from twin_app.telemetry.alarms.engine import AlarmEngine
from twin_app.telemetry.alarms.history import store_recorder
from twin_app.telemetry.alarms.state import AlarmEvent, AlarmState
from twin_app.telemetry.alarms.status import AlarmStatus
from twin_app.telemetry.store.alarms import AlarmEvent as StoredAlarmEvent
from twin_app.telemetry.store.alarms import AlarmLog
from twin_app.telemetry.store.base import TelemetryStore

logger = logging.getLogger(__name__)

ACKNOWLEDGEABLE = (AlarmState.UNACKNOWLEDGED, AlarmState.RTN_UNACKNOWLEDGED)


class AlarmSync:
    """Apply to an engine the transitions other processes recorded in a shared alarm log.

    Parameters
    ----------
    engine : AlarmEngine
        The engine to keep in step (its own transitions are recorded by the caller).
    history : AlarmLog
        The shared store's ``store.alarms``.
    """

    def __init__(self, engine: AlarmEngine, history: AlarmLog) -> None:
        self.engine = engine
        self.history = history
        self.last_id = 0
        self.pull()

    def pull(self) -> list[StoredAlarmEvent]:
        """Apply every transition recorded since the last call; return them."""
        new = self.history.after(self.last_id)
        if not new:
            return []
        self.last_id = max(e.event_id or 0 for e in new)
        newest: dict[tuple[str, str], StoredAlarmEvent] = {}
        for event in new:
            newest[(event.sensor_id, event.alarm_id)] = event
        known = set(self.engine.keys)
        self.engine.restore(e for e in newest.values() if f"{e.sensor_id}/{e.alarm_id}" in known)
        return new


class SharedAlarms:
    """A client's alarms in a command centre: the shared store's, followed and acknowledged.

    Parameters
    ----------
    scene : Scene
        The scene whose alarms are shown.
    store : TelemetryStore
        The centre's store (PostgreSQL in practice).
    user : str
        Who acknowledges from this client.
    clock : callable
        The time acknowledgements are stamped with.
    """

    changed = Signal(list)
    """Emitted with the keys of alarms whose state changed at a :meth:`refresh`."""

    def __init__(self, scene: Scene, store: TelemetryStore, *, user: str,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.user = user
        self.store = store
        self.engine = AlarmEngine.from_scene(scene, clock=clock)
        self.engine.transitions.connect(store_recorder(store.alarms))
        self.sync = AlarmSync(self.engine, store.alarms)

    def refresh(self) -> list[str]:
        """Take what the service and the other clients recorded; return the changed keys."""
        keys = sorted({f"{e.sensor_id}/{e.alarm_id}" for e in self.sync.pull()})
        if keys:
            self.changed.emit(keys)
        return keys

    def active(self) -> list[AlarmStatus]:
        """Return the alarms on the alarm list, newest first."""
        return self.engine.active()

    def state(self, key: str) -> AlarmState:
        """Return an alarm's state."""
        return self.engine.state(key)

    def acknowledge(self, key: str, comment: str = "") -> AlarmEvent | None:
        """Acknowledge for the whole centre; ``None`` if it no longer awaits acknowledgement."""
        self.refresh()
        if self.engine.state(key) not in ACKNOWLEDGEABLE:
            logger.info("%s is %s already; nothing to acknowledge", key,
                        self.engine.state(key).value)
            return None
        event = self.engine.acknowledge(key, self.user, comment)
        self.sync.pull()  # our own record: skip it next time
        return event
