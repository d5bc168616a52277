"""Time series of river stage or measured piezometric head."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from twin_seepage.errors import StageSeriesError


def _as_seconds(times: ArrayLike) -> tuple[np.ndarray, np.datetime64 | None]:
    array = np.asarray(times)
    if np.issubdtype(array.dtype, np.datetime64):
        epoch = array[0].astype("datetime64[s]") if array.size else np.datetime64(0, "s")
        seconds = (array.astype("datetime64[ms]") - epoch).astype(np.float64) / 1000.0
        return seconds, epoch
    return array.astype(np.float64), None


@dataclass(frozen=True)
class TimeSeries:
    """A series of values (m) at increasing times.

    Parameters
    ----------
    times : array
        ``datetime64`` values, or seconds (float) from any origin.
    values : array
        Water level or head (m); NaN marks a missing value.
    name : str
        What the series is (used in messages), e.g. ``"river stage"`` or a piezometer id.
    """

    times: np.ndarray
    values: np.ndarray
    name: str = "river stage"

    def __post_init__(self) -> None:
        object.__setattr__(self, "times", np.asarray(self.times))
        object.__setattr__(self, "values", np.asarray(self.values, dtype=np.float64))

    @property
    def seconds(self) -> np.ndarray:
        """Return the times as float seconds (from the first time if they are datetimes)."""
        return _as_seconds(self.times)[0]

    def _label(self, index: int) -> str:
        return str(self.times[index])

    def validate(self, max_gap: float | None = None) -> None:
        """Raise :class:`StageSeriesError` on a gap, a missing value or a time going back.

        Parameters
        ----------
        max_gap : float, optional
            Largest allowed interval between samples (s). Defaults to 1.5 times the median
            interval.
        """
        if self.times.shape != self.values.shape or self.times.ndim != 1:
            raise StageSeriesError(f"{self.name}: times and values must be 1-D arrays of the "
                                   f"same length ({self.times.shape} vs {self.values.shape})")
        if self.times.size < 2:
            raise StageSeriesError(f"{self.name}: needs at least two samples")
        missing = np.flatnonzero(~np.isfinite(self.values))
        if missing.size:
            raise StageSeriesError(
                f"{self.name}: {missing.size} missing value(s), first at {self._label(missing[0])}"
                "; fill or cut the gap before running")
        seconds = self.seconds
        steps = np.diff(seconds)
        back = np.flatnonzero(steps <= 0)
        if back.size:
            i = back[0]
            raise StageSeriesError(f"{self.name}: time does not increase at sample {i + 1} "
                                   f"({self._label(i)} -> {self._label(i + 1)})")
        limit = 1.5 * float(np.median(steps)) if max_gap is None else float(max_gap)
        gaps = np.flatnonzero(steps > limit * (1 + 1e-9))
        if gaps.size:
            i = gaps[0]
            raise StageSeriesError(
                f"{self.name}: {gaps.size} gap(s) longer than {limit:g} s; the first runs from "
                f"{self._label(i)} to {self._label(i + 1)} ({steps[i]:g} s)")

    def at(self, seconds: ArrayLike) -> np.ndarray:
        """Interpolate linearly at times given in the series' seconds."""
        return np.interp(np.asarray(seconds, dtype=np.float64), self.seconds, self.values)
