"""Time series for boundary conditions and structure operation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from twin_flood.errors import FloodSeriesError
from twin_flood.units import KINDS, to_si

__all__ = ["TimeSeries"]


class TimeSeries:
    """A piecewise-linear series of values at times (seconds from the start of the run).

    Parameters
    ----------
    times : sequence of float
        Strictly increasing times, in ``time_units`` from the model's t = 0.
    values : sequence of float
        Values at those times, in ``units``.  NaN is a gap and is refused.
    units : str
        Unit of the values (``"m"``, ``"m3/s"``, ``"mm/h"`` ...); converted to SI.
    kind : str
        Quantity kind (a key of :data:`twin_flood.units.KINDS`) the units must belong to.
    time_units : str, default "s"
        Unit of the times: ``"s"``, ``"min"``, ``"h"`` or ``"d"``.
    max_gap : float, optional
        Largest allowed spacing between samples, in ``time_units``; a wider spacing is a gap.
    name : str, default "series"
        Name used in messages.

    Raises
    ------
    FloodSeriesError
        On NaNs, unsorted or repeated times, mismatched lengths, or gaps wider than ``max_gap``.
    FloodUnitsError
        On a unit that does not fit ``kind``.

    Notes
    -----
    Between samples the value is interpolated linearly; it is never extrapolated: asking for a
    time outside ``[times[0], times[-1]]`` raises, so a series must cover the whole run (see
    :meth:`check_covers`).  A single sample is a constant.
    """

    def __init__(self, times: Sequence[float] | np.ndarray, values: Sequence[float] | np.ndarray,
                 units: str, kind: str, time_units: str = "s", max_gap: float | None = None,
                 name: str = "series") -> None:
        self.name = name
        self.kind = kind
        t = np.asarray(times, dtype=np.float64).ravel()
        v = np.asarray(values, dtype=np.float64).ravel()
        if t.size == 0 or t.size != v.size:
            raise FloodSeriesError(f"series {name!r}: {t.size} times but {v.size} values; "
                                   "give one value per time")
        if kind not in KINDS:
            raise FloodSeriesError(f"series {name!r}: unknown quantity kind {kind!r}")
        factor_t = to_si(1.0, time_units, "time")
        factor_v = to_si(1.0, units, kind)
        bad = np.flatnonzero(~np.isfinite(v))
        if bad.size:
            raise FloodSeriesError(
                f"series {name!r} has a gap (NaN or inf) at t = {t[bad[0]]:g} {time_units} "
                f"({bad.size} missing values); fill the gap or drop those samples")
        if not np.all(np.isfinite(t)):
            raise FloodSeriesError(f"series {name!r}: a time is NaN or infinite")
        steps = np.diff(t)
        if np.any(steps <= 0):
            k = int(np.flatnonzero(steps <= 0)[0])
            raise FloodSeriesError(f"series {name!r}: times must increase strictly; "
                                   f"t[{k + 1}] = {t[k + 1]:g} follows t[{k}] = {t[k]:g}")
        if max_gap is not None and steps.size and np.max(steps) > max_gap:
            k = int(np.argmax(steps))
            raise FloodSeriesError(
                f"series {name!r} has a gap of {steps[k]:g} {time_units} between t = {t[k]:g} and "
                f"t = {t[k + 1]:g} (more than max_gap = {max_gap:g}); fill it before the run")
        self.times = t * factor_t
        self.values = v * factor_v

    @classmethod
    def constant(cls, value: float, units: str, kind: str, name: str = "constant"
                 ) -> TimeSeries:
        """Return a series with one value for all times.

        Parameters
        ----------
        value : float
            The value, in ``units``.
        units : str
            Its unit.
        kind : str
            Quantity kind.
        name : str, default "constant"
            Name used in messages.

        Returns
        -------
        TimeSeries
            A constant series.
        """
        return cls([0.0], [value], units, kind, name=name)

    @property
    def is_constant(self) -> bool:
        """Whether the series has a single sample (a constant for all times)."""
        return self.times.size == 1

    def check_covers(self, start: float, end: float) -> None:
        """Raise :class:`FloodSeriesError` unless the series covers ``[start, end]`` (seconds).

        Parameters
        ----------
        start, end : float
            The run's time span in seconds.
        """
        if self.is_constant:
            return
        if self.times[0] > start + 1e-9 or self.times[-1] < end - 1e-9:
            raise FloodSeriesError(
                f"series {self.name!r} covers t = {self.times[0]:g} to {self.times[-1]:g} s but "
                f"the run needs {start:g} to {end:g} s; extend the series to cover the run")

    def __call__(self, t: float) -> float:
        """Return the value (SI units) at time ``t`` seconds.

        Parameters
        ----------
        t : float
            Time in seconds.

        Returns
        -------
        float
            The interpolated value.
        """
        if self.is_constant:
            return float(self.values[0])
        if t < self.times[0] - 1e-9 or t > self.times[-1] + 1e-9:
            raise FloodSeriesError(f"series {self.name!r} has no value at t = {t:g} s "
                                   f"(it covers {self.times[0]:g} to {self.times[-1]:g} s)")
        return float(np.interp(t, self.times, self.values))

    def __repr__(self) -> str:
        return (f"TimeSeries({self.name!r}, {self.times.size} samples, "
                f"{self.times[0]:g}..{self.times[-1]:g} s, kind={self.kind})")
