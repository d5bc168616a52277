"""Replaying a scene's recorded event on the wall, optionally in a loop (a demonstration wall).

The replay follows the wall across scene switches: after a switch the same event starts in the
new scene if that scene has it (otherwise the status tile says so).  The readings of an event
are read once per scene and kept, so a loop that runs for days does not re-read the file.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from twin_app.core.errors import TwinAppError
from twin_app.core.readings import Reading
from twin_app.io.timeseries import read_csv

if TYPE_CHECKING:
    from twin_app.qt.wall.window import WallWindow

logger = logging.getLogger(__name__)

DEFAULT_SPEED = 600.0


class WallReplay:
    """Plays ``events/<name>.csv`` of the open scene into the wall's session.

    Parameters
    ----------
    wall : WallWindow
        The wall whose session and clock play the event.
    """

    def __init__(self, wall: WallWindow) -> None:
        self.wall = wall
        self.event: str | None = None
        self.speed = DEFAULT_SPEED
        self.loop = False
        self.loops = 0
        """How many times the event has started over."""
        self._cache: tuple[str, str, list[Reading]] | None = None
        self._end = None
        self._held = False

    def events(self) -> list[str]:
        """Return the recorded events of the open scene."""
        document = self.wall.workspace.document
        if document is None:
            return []
        return sorted(path.stem for path in (document.folder / "events").glob("*.csv"))

    def start(self, event: str, speed: float = DEFAULT_SPEED, loop: bool = False) -> None:
        """Play ``event`` at ``speed`` times real time (again from its start when ``loop``).

        Raises
        ------
        KeyError
            If the open scene has no such event.
        TwinAppError
            If the event's file cannot be read.
        """
        self.event, self.speed, self.loop = event, float(speed), loop
        if self.wall.session is None:
            return  # starts when the scene is shown
        self._play()

    def stop(self) -> None:
        """Stop replaying (the clock stays where it is)."""
        self.event = None
        self.loop = False
        self.wall.workspace.clock.pause()

    def _play(self) -> None:
        document = self.wall.workspace.document
        session = self.wall.session
        if document is None or session is None or self.event is None:
            return
        path = document.folder / "events" / f"{self.event}.csv"
        if not path.is_file():
            raise KeyError(f"scene {document.spec.id!r} has no recorded event {self.event!r}; "
                           f"it has: {', '.join(self.events()) or 'none'}")
        key = (str(document.folder), self.event)
        if self._cache is None or self._cache[:2] != key:
            readings = read_csv(path, source_name="replay").readings
            self._cache = (*key, readings)
        span = session.load_replay(self._cache[2])
        if span is None:
            return
        self._end = span[1].utc
        self._held = False
        self.wall.workspace.clock.play(self.speed)
        logger.info("wall: replaying %s at %gx%s", self.event, self.speed,
                    " in a loop" if self.loop else "")

    def scene_opened(self) -> None:
        """Start the requested event in the scene just opened, if it has it."""
        if self.event is None:
            return
        self._cache = None
        try:
            self._play()
        except (KeyError, TwinAppError) as error:
            self.wall.report(str(error.args[0] if isinstance(error, KeyError) else error))

    def tick(self) -> None:
        """Call before the session advances: end the event at its last reading, or loop.

        The clock is never let run past the event's end (the wall would see every sensor go
        stale); once the last readings are released there, the event starts over (loop) or the
        wall holds its last moment.
        """
        session = self.wall.session
        clock = self.wall.workspace.clock
        if self.event is None or session is None or self._end is None or self._held:
            return
        if clock.mode != "history" or clock.time < self._end:
            return
        if clock.time > self._end:
            clock.set_time(self._end)  # pauses; the session releases the rest at the end
        if session.pending():
            return
        if self.loop:
            self.loops += 1
            self._play()
        else:
            self._held = True
            logger.info("wall: replay of %s ended", self.event)

    @property
    def replaying(self) -> str | None:
        """The event being replayed, or ``None``."""
        clock = self.wall.workspace.clock
        return self.event if self.event and clock.mode == "history" else None

    def status(self) -> dict[str, Any]:
        """Return the replay's state (JSON-ready)."""
        session = self.wall.session
        return {"event": self.event, "speed": self.speed, "loop": self.loop, "loops": self.loops,
                "pending": session.pending() if session is not None else 0}
