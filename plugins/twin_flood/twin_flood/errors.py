"""Exceptions raised by the flood solver.

Every message says what is wrong and what to do about it.  All derive from :class:`FloodError`
so a host can catch the module's failures in one place.
"""

from __future__ import annotations

__all__ = [
    "FloodError",
    "FloodInputError",
    "FloodInstabilityError",
    "FloodParameterError",
    "FloodSeriesError",
    "FloodUnitsError",
]


class FloodError(Exception):
    """Base class of every error the flood module raises."""


class FloodInputError(FloodError, ValueError):
    """Bad input data: DEM, initial state, maps, points or lines outside the domain."""


class FloodParameterError(FloodInputError):
    """An unknown parameter name or a value outside its allowed range."""


class FloodUnitsError(FloodInputError):
    """A unit that is not known, or not valid for the quantity it is attached to."""


class FloodSeriesError(FloodInputError):
    """A boundary time series with gaps, NaNs, unsorted times or too short for the run."""


class FloodInstabilityError(FloodError, RuntimeError):
    """The run became numerically unstable and was stopped."""
