"""One clock for the whole app: live, or a moment in history that everything follows.

Views never ask the system time; they read :attr:`AppClock.time` and listen to its events.  In
live mode the clock follows the wall clock (the app calls :meth:`AppClock.tick`); scrubbing or
playing back history switches it to history mode until :meth:`AppClock.go_live`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Literal

from psygnal import EventedModel
from pydantic import ConfigDict, Field, field_validator


def utc_now() -> datetime:
    """Return the current time in UTC (the default wall clock)."""
    return datetime.now(UTC)


class AppClock(EventedModel):
    """The time everything shows.

    Attributes
    ----------
    mode : {"live", "history"}
        Live follows the wall clock; history stays where it is put (or plays at ``speed``).
    time : datetime
        The time shown, timezone-aware UTC.
    speed : float
        Seconds of history per wall-clock second while playing.
    playing : bool
        Whether history advances with the wall clock.
    """

    model_config = ConfigDict(validate_assignment=True)

    mode: Literal["live", "history"] = "live"
    time: datetime = Field(default_factory=utc_now)
    speed: float = Field(default=60.0, gt=0, le=1e6)
    playing: bool = False

    @field_validator("time")
    @classmethod
    def _aware_utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware time (UTC)")
        return value.astimezone(UTC)

    def set_time(self, time: datetime) -> None:
        """Show ``time`` (switches to history mode and pauses)."""
        self.playing = False
        self.mode = "history"
        self.time = time

    def go_live(self, wall_clock: Callable[[], datetime] = utc_now) -> None:
        """Follow the wall clock again."""
        self.playing = False
        self.mode = "live"
        self.time = wall_clock()

    def play(self, speed: float | None = None) -> None:
        """Play history forward at ``speed`` (the current speed if omitted)."""
        if speed is not None:
            self.speed = speed
        self.mode = "history"
        self.playing = True

    def pause(self) -> None:
        """Stop playing history (the time stays)."""
        self.playing = False

    def tick(self, wall_elapsed_s: float, wall_clock: Callable[[], datetime] = utc_now) -> None:
        """Advance: to the wall clock when live, by ``speed * wall_elapsed_s`` when playing."""
        if self.mode == "live":
            self.time = wall_clock()
        elif self.playing:
            self.time = self.time + timedelta(seconds=self.speed * wall_elapsed_s)
