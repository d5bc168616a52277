"""Replay a scene's recorded event (``scenes/<scene>/events/<name>.csv``) as if it were live.

Readings come out in time order, re-timed so that the event's first instant maps to a wall-clock
``start`` and the event plays ``speed`` times faster than it happened: a reading recorded at
``t`` is emitted, and stamped, at ``start + (t - t0) / speed`` (plus the time spent paused).  Its
timestamp therefore is the moment it is delivered, which is what a live feed, the store's
far-future check and the stale-data alarms expect; rates of change (m/h) look ``speed`` times
steeper.  Readings of the same recorded instant are delivered together as one batch.

Drivers: :meth:`EventReplay.play` (blocking), :class:`ReplayPlayer` (a thread with pause, resume
and stop), :func:`play_async` (asyncio) and :func:`publish_replay` (to an MQTT broker).  All take
a clock, so tests run a 72-hour event in milliseconds with a fake one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import groupby
from pathlib import Path
from typing import Any, Protocol

from twin_app.core.errors import TwinAppError
from twin_app.core.readings import Reading
from twin_app.core.scene_loader import SceneDocument
from twin_app.io.timeseries import read_csv

logger = logging.getLogger(__name__)

EVENTS_FOLDER = "events"
PAUSE_POLL_S = 0.25
BatchCallback = Callable[[list[Reading]], Any]


class ReplayError(TwinAppError):
    """A recorded event that cannot be replayed."""


class Clock(Protocol):
    """Where a replay gets the time and how it waits."""

    def now(self) -> datetime:
        """Return the current time (timezone-aware)."""
        ...

    def wait(self, seconds: float, interrupt: threading.Event) -> None:
        """Return after ``seconds``, or earlier when ``interrupt`` is set."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)

    def wait(self, seconds: float, interrupt: threading.Event) -> None:
        """Sleep, interruptibly."""
        interrupt.wait(seconds)


@dataclass
class ReplayControl:
    """Pause and stop flags shared by a running replay and whoever controls it."""

    paused: bool = False
    stopped: bool = False
    wake: threading.Event = dataclasses.field(default_factory=threading.Event)

    def pause(self) -> None:
        """Hold the replay; time spent paused shifts the rest of the event."""
        self.paused = True

    def resume(self) -> None:
        """Continue after :meth:`pause`."""
        self.paused = False
        self.wake.set()

    def stop(self) -> None:
        """End the replay before the next batch."""
        self.stopped = True
        self.wake.set()


@dataclass(frozen=True)
class ReplayResult:
    """What a replay delivered."""

    readings: int
    batches: int
    stopped: bool
    last_event_time: datetime | None


def available_events(document: SceneDocument) -> list[str]:
    """Return the names of the scene's recorded events."""
    folder = document.folder / EVENTS_FOLDER
    return sorted(path.stem for path in folder.glob("*.csv")) if folder.is_dir() else []


def event_file(document: SceneDocument, event_name: str) -> Path:
    """Return the CSV file of a recorded event.

    Raises
    ------
    ReplayError
        If the scene has no such event; the message lists the ones it has.
    """
    path = document.folder / EVENTS_FOLDER / f"{event_name}.csv"
    if not path.is_file():
        have = ", ".join(available_events(document)) or "none"
        raise ReplayError(f"scene {document.spec.id!r} has no recorded event {event_name!r} "
                          f"(it has: {have})",
                          hint="run 'python scenes/make_events.py' to build the shipped events")
    return path


class EventReplay:
    """A recorded event of a scene, ready to be replayed.

    Parameters
    ----------
    scene_document : SceneDocument
        The scene (from :func:`twin_app.core.scene_loader.load_scene`).
    event_name : str
        The event file's name without ``.csv``.
    speed : float
        How many times faster than real time (60: an hour per minute).
    start : datetime, optional
        The wall-clock time the event's first instant maps to; the clock's time when the
        replay begins if not given.
    clock : Clock, optional
        The wall clock by default.
    source : str, optional
        :attr:`Reading.source` of the replayed readings; ``"replay:<event>"`` by default.
    """

    def __init__(self, scene_document: SceneDocument, event_name: str = "typhoon",
                 speed: float = 60.0, start: datetime | None = None, *,
                 clock: Clock | None = None, source: str | None = None) -> None:
        if not speed > 0:
            raise ReplayError(f"replay speed {speed} is not positive",
                              hint="use 1 for real time, 60 for an hour a minute")
        if start is not None and start.tzinfo is None:
            raise ReplayError(f"replay start {start} has no time zone", hint="give UTC")
        self.scene_id = scene_document.spec.id
        self.event_name = event_name
        self.speed = float(speed)
        self.start = start
        self.clock: Clock = clock or SystemClock()
        self.source = source or f"replay:{event_name}"
        self.readings = self._load(scene_document, event_file(scene_document, event_name))
        self.event_start = self.readings[0].utc
        self.event_end = self.readings[-1].utc

    @property
    def duration(self) -> timedelta:
        """How long the event lasted when it was recorded."""
        return self.event_end - self.event_start

    @property
    def wall_duration(self) -> timedelta:
        """How long the replay takes at its speed (without pauses)."""
        return self.duration / self.speed

    def retime(self, event_time: datetime, start: datetime) -> datetime:
        """Return the wall-clock time of a recorded time for a replay begun at ``start``."""
        return start + (event_time.astimezone(UTC) - self.event_start) / self.speed

    def __iter__(self) -> Iterator[Reading]:
        """Yield every reading re-timed (no waiting), for a replay starting now or at ``start``."""
        start = self.start or self.clock.now()
        for reading in self.readings:
            yield self._restamp(reading, self.retime(reading.time, start))

    def schedule(self, control: ReplayControl, start: datetime | None = None
                 ) -> Iterator[float | list[Reading]]:
        """Yield waits (seconds) and batches, in order; drivers sleep and deliver accordingly."""
        start = start or self.start or self.clock.now()
        paused_for = timedelta(0)
        for event_time, group in groupby(self.readings, key=lambda r: r.utc):
            batch = list(group)
            while True:
                if control.stopped:
                    return
                if control.paused:
                    began = self.clock.now()
                    yield PAUSE_POLL_S
                    paused_for += self.clock.now() - began
                    continue
                due = self.retime(event_time, start) + paused_for
                remaining = (due - self.clock.now()).total_seconds()
                if remaining <= 0:
                    break
                yield remaining
            yield [self._restamp(reading, due) for reading in batch]

    def play(self, callback: BatchCallback, *, control: ReplayControl | None = None,
             start: datetime | None = None) -> ReplayResult:
        """Replay in this thread, calling ``callback`` with each batch when it is due."""
        control = control or ReplayControl()
        readings = batches = 0
        last: datetime | None = None
        for step in self.schedule(control, start):
            if isinstance(step, float):
                control.wake.clear()
                if not control.stopped:
                    self.clock.wait(step, control.wake)
                continue
            callback(step)
            readings, batches = readings + len(step), batches + 1
            last = self.readings[readings - 1].time
        return ReplayResult(readings, batches, control.stopped, last)

    def _restamp(self, reading: Reading, time: datetime) -> Reading:
        return dataclasses.replace(reading, time=time, source=self.source)

    def _load(self, document: SceneDocument, path: Path) -> list[Reading]:
        result = read_csv(path, source_name=self.source)
        if result.errors:
            logger.warning("event %s: %d bad rows skipped, first: %s", path,
                           len(result.errors), result.errors[0])
        if not result.readings:
            raise ReplayError(f"event file {path} holds no readings",
                              hint="rebuild it with 'python scenes/make_events.py'")
        _warn_about_foreign_sensors(document, result.readings, path)
        return sorted(result.readings, key=lambda r: r.utc)  # stable: file order within a time


def _warn_about_foreign_sensors(document: SceneDocument, readings: list[Reading],
                                path: Path) -> None:
    units = {sensor.id: sensor.unit for sensor in document.spec.sensors}
    unknown = sorted({r.sensor_id for r in readings if r.sensor_id not in units})
    mismatched = sorted({r.sensor_id for r in readings
                         if r.sensor_id in units and units[r.sensor_id] != r.unit})
    if unknown or mismatched:
        logger.warning("event %s: sensors not in the scene: %s; units differing from the scene: "
                       "%s (the store will quarantine these readings; rebuild the event with "
                       "scenes/make_events.py)", path, ", ".join(unknown) or "none",
                       ", ".join(mismatched) or "none")


class ReplayPlayer:
    """Play an :class:`EventReplay` on a background thread, with pause, resume and stop.

    ``callback`` runs on the player's thread.  If it raises, the replay stops and the exception
    is kept in :attr:`error`.
    """

    def __init__(self, replay: EventReplay, callback: BatchCallback, *,
                 start: datetime | None = None) -> None:
        self.replay = replay
        self.control = ReplayControl()
        self.result: ReplayResult | None = None
        self.error: BaseException | None = None
        self._callback = callback
        self._start = start
        self._thread = threading.Thread(target=self._run, name=f"replay-{replay.scene_id}",
                                        daemon=True)

    def start(self) -> ReplayPlayer:
        """Begin playing."""
        self._thread.start()
        return self

    def pause(self) -> None:
        """Hold the replay."""
        self.control.pause()

    def resume(self) -> None:
        """Continue."""
        self.control.resume()

    def stop(self) -> None:
        """Stop before the next batch."""
        self.control.stop()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the end; return whether the replay has ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        """Whether the thread is still playing (or paused)."""
        return self._thread.is_alive()

    def _run(self) -> None:
        try:
            self.result = self.replay.play(self._callback, control=self.control,
                                           start=self._start)
        except Exception as error:
            logger.exception("replay of %s/%s stopped: the callback failed",
                             self.replay.scene_id, self.replay.event_name)
            self.error = error


async def play_async(replay: EventReplay, callback: BatchCallback, *,
                     control: ReplayControl | None = None, start: datetime | None = None,
                     sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> ReplayResult:
    """Replay in an asyncio task; ``callback`` may return an awaitable, which is awaited.

    ``sleep`` must advance ``replay.clock`` (the default, :func:`asyncio.sleep`, does so for the
    wall clock); waits are at most :data:`PAUSE_POLL_S` long so that pause and stop act soon.
    """
    control = control or ReplayControl()
    readings = batches = 0
    for step in replay.schedule(control, start):
        if isinstance(step, float):
            await sleep(min(step, PAUSE_POLL_S))
            continue
        outcome = callback(step)
        if isinstance(outcome, Awaitable):
            await outcome
        readings, batches = readings + len(step), batches + 1
    last = replay.readings[readings - 1].time if readings else None
    return ReplayResult(readings, batches, control.stopped, last)


def publish_replay(scene_document: SceneDocument, event_name: str = "typhoon",
                   speed: float = 60.0, mqtt_url: str = "mqtt://127.0.0.1:1883", *,
                   start: datetime | None = None, clock: Clock | None = None,
                   control: ReplayControl | None = None, flush_timeout: float = 30.0,
                   **mqtt_options: Any) -> ReplayResult:
    """Replay an event into an MQTT broker (batch topic of the scene); block until done.

    ``mqtt_options`` go to :class:`~twin_app.telemetry.mqtt.MqttPublisher` (``client_id``,
    ``username``, ``password``, ``tls``, ...).  Returns when the broker has acknowledged every
    message.
    """
    from twin_app.telemetry.mqtt import MqttPublisher

    replay = EventReplay(scene_document, event_name, speed, start, clock=clock)
    options = {"client_id": f"twin-replay-{scene_document.spec.id}", **mqtt_options}
    with MqttPublisher(mqtt_url, scene_document.spec.id, **options) as publisher:
        result = replay.play(publisher.publish_batch, control=control)
        publisher.flush(flush_timeout)
    logger.info("replayed %s/%s to %s: %d readings in %d batches", scene_document.spec.id,
                event_name, publisher.settings.describe(), result.readings, result.batches)
    return result
