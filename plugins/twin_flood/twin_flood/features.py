"""Boundary conditions, sources and structures, as plain validated specifications.

All coordinates are map metres (the DEM's CRS); all levels are in the DEM's vertical datum.
Each feature has a unique ``name``; :meth:`twin_flood.FloodModel.set_value` overrides its
series with a constant between steps (the way a host or an operator drives it live).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from twin_flood.errors import FloodInputError
from twin_flood.series import TimeSeries

__all__ = ["Feature", "Gate", "Inflow", "Pump", "Rainfall", "Wall", "WaterLevelBoundary"]

Point = tuple[float, float]
EDGES = ("north", "south", "east", "west")


def _check_series(owner: str, series: TimeSeries, kind: str) -> None:
    if not isinstance(series, TimeSeries):
        raise FloodInputError(f"{owner}: expected a TimeSeries, got {type(series).__name__}")
    if series.kind != kind:
        raise FloodInputError(f"{owner}: the series holds {series.kind} values but a {kind} "
                              "series is needed; build it with the right kind and units")


@dataclass
class Feature:
    """Base of every feature: a unique name."""

    name: str

    #: quantity kind of the value set by ``set_value`` (units in SI)
    value_kind: str = field(default="", init=False, repr=False)


@dataclass
class Rainfall(Feature):
    """Rain on the whole domain: a rate series times an optional spatial pattern.

    Parameters
    ----------
    name : str
        Feature name, e.g. ``"rain"``.
    series : TimeSeries
        Rain rate (kind ``"rain_rate"``, e.g. units ``"mm/h"``).
    pattern : numpy.ndarray, optional
        Dimensionless multiplier per cell, shape of the DEM, >= 0 (e.g. a radar-derived map
        normalised to the gauge).  Default: uniform 1.
    """

    series: TimeSeries = None  # type: ignore[assignment]
    pattern: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.value_kind = "rain_rate"
        _check_series(f"rainfall {self.name!r}", self.series, "rain_rate")
        if np.any(self.series.values < 0):
            raise FloodInputError(f"rainfall {self.name!r}: negative rain rate; rain is >= 0")
        if self.pattern is not None:
            p = np.asarray(self.pattern, dtype=np.float64)
            if not np.all(np.isfinite(p)) or np.any(p < 0):
                raise FloodInputError(f"rainfall {self.name!r}: the pattern must be finite and "
                                      ">= 0 everywhere")
            self.pattern = p


@dataclass
class Inflow(Feature):
    """An inflow hydrograph entering at one or more points (shared equally between them).

    Parameters
    ----------
    name : str
        Feature name.
    points : sequence of (x, y)
        Map points [m]; the discharge is split equally between the distinct cells they hit.
    series : TimeSeries
        Discharge (kind ``"discharge"``, units e.g. ``"m3/s"``), >= 0.
    """

    points: Sequence[Point] = ()
    series: TimeSeries = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.value_kind = "discharge"
        _check_series(f"inflow {self.name!r}", self.series, "discharge")
        if len(self.points) == 0:
            raise FloodInputError(f"inflow {self.name!r}: give at least one point")
        if np.any(self.series.values < 0):
            raise FloodInputError(f"inflow {self.name!r}: negative discharge; an inflow is "
                                  ">= 0 (use a Pump to take water out)")


@dataclass
class WaterLevelBoundary(Feature):
    """Cells held at a water level from a series (a tide, a river stage).

    Give the cells as one of ``edge`` (a whole outer edge), ``points`` or ``mask``.  At the start
    of every step their depth is set to ``max(level - z, 0)``; the water that takes is counted
    as boundary inflow or outflow in the mass balance.

    Parameters
    ----------
    name : str
        Feature name.
    series : TimeSeries
        Water level (kind ``"level"``, units ``"m"``), in the DEM's datum.
    edge : str, optional
        ``"north"``, ``"south"``, ``"east"`` or ``"west"``.
    points : sequence of (x, y), optional
        Map points [m] whose cells are boundary cells.
    mask : numpy.ndarray, optional
        Boolean array of the DEM's shape.
    """

    series: TimeSeries = None  # type: ignore[assignment]
    edge: str | None = None
    points: Sequence[Point] | None = None
    mask: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.value_kind = "level"
        _check_series(f"water-level boundary {self.name!r}", self.series, "level")
        given = [x is not None for x in (self.edge, self.points, self.mask)]
        if sum(given) != 1:
            raise FloodInputError(f"water-level boundary {self.name!r}: give exactly one of "
                                  "edge, points or mask")
        if self.edge is not None and self.edge not in EDGES:
            raise FloodInputError(f"water-level boundary {self.name!r}: edge {self.edge!r} is "
                                  f"not one of {', '.join(EDGES)}")


@dataclass
class Wall(Feature):
    """A flood wall or embankment crest along a line of cell faces; water passes only over it.

    Flow over the crest follows the broad-crested weir law per metre of crest,
    ``q = c * Cw * H**1.5`` with ``Cw = (2/3)**1.5 * sqrt(g)`` (= 1.705 m^0.5/s, critical flow),
    ``H`` the upstream head above the crest, reduced for a drowned crest by Villemonte's factor
    ``(1 - (Hd/H)**1.5)**0.385``.

    Parameters
    ----------
    name : str
        Feature name.
    line : sequence of (x, y)
        Map polyline [m] along the wall.
    crest : float or sequence of float
        Crest level [m]: one value, or one per vertex (interpolated along the line).  Where the
        ground is higher than the crest, the ground counts.
    coefficient : float, default 1.0
        Dimensionless discharge coefficient ``c`` multiplying ``Cw``.
    """

    line: Sequence[Point] = ()
    crest: float | Sequence[float] = 0.0
    coefficient: float = 1.0

    def __post_init__(self) -> None:
        self.value_kind = "level"
        crest = np.atleast_1d(np.asarray(self.crest, dtype=np.float64))
        if crest.size not in (1, len(self.line)) or not np.all(np.isfinite(crest)):
            raise FloodInputError(f"wall {self.name!r}: give one finite crest level, or one per "
                                  f"vertex ({len(self.line)})")
        if not 0.0 < self.coefficient <= 2.0:
            raise FloodInputError(f"wall {self.name!r}: coefficient {self.coefficient} must be in "
                                  "(0, 2]")


@dataclass
class Gate(Feature):
    """A gate across a line of faces: sill level, time-varying opening height, optional top.

    Flow per metre of gate: with the upstream head ``H`` above the sill not more than the
    opening ``a``, the weir law of :class:`Wall` (crest = sill); otherwise the orifice law
    ``q = cd * a * sqrt(2 g (eta_up - max(eta_down, sill + a/2)))``.  Water above ``top``
    also overtops the leaf as a weir.  Opening 0 shuts the gate.

    Parameters
    ----------
    name : str
        Feature name.
    line : sequence of (x, y)
        Map polyline [m] across the gate opening.
    sill : float
        Sill level [m].
    opening : TimeSeries
        Opening height above the sill (kind ``"length"``, units ``"m"``), >= 0.
    top : float, default inf
        Level of the top of the leaf [m] (overtopping); inf for none.
    discharge_coefficient : float, default 0.61
        Orifice coefficient ``cd``.
    weir_coefficient : float, default 1.0
        Multiplier of the critical-flow weir coefficient, as for :class:`Wall`.
    """

    line: Sequence[Point] = ()
    sill: float = 0.0
    opening: TimeSeries = None  # type: ignore[assignment]
    top: float = float("inf")
    discharge_coefficient: float = 0.61
    weir_coefficient: float = 1.0

    def __post_init__(self) -> None:
        self.value_kind = "length"
        _check_series(f"gate {self.name!r}", self.opening, "length")
        if np.any(self.opening.values < 0):
            raise FloodInputError(f"gate {self.name!r}: a negative opening; openings are >= 0 m")
        if not np.isfinite(self.sill) or not self.top > self.sill:
            raise FloodInputError(f"gate {self.name!r}: the sill must be finite and below top")


@dataclass
class Pump(Feature):
    """A pump taking water from a sump (a set of cells) to an outlet cell or out of the domain.

    The pump delivers ``rate(t)`` while it runs, limited to the water above ``stop_level`` in the
    sump.  It stops when the mean sump level falls to ``stop_level`` and restarts when it rises
    to ``start_level``.

    Parameters
    ----------
    name : str
        Feature name.
    sump : sequence of (x, y)
        Map points [m] whose cells form the sump.
    rate : TimeSeries
        Pump discharge (kind ``"discharge"``), >= 0.
    stop_level : float
        Water level [m] at which the pump stops.
    start_level : float, optional
        Level [m] at which a stopped pump restarts (default ``stop_level``).
    outlet : (x, y), optional
        Map point [m] of the outlet cell; None sends the water out of the domain (counted as
        pumped out in the mass balance).
    """

    sump: Sequence[Point] = ()
    rate: TimeSeries = None  # type: ignore[assignment]
    stop_level: float = 0.0
    start_level: float | None = None
    outlet: Point | None = None

    def __post_init__(self) -> None:
        self.value_kind = "discharge"
        _check_series(f"pump {self.name!r}", self.rate, "discharge")
        if np.any(self.rate.values < 0):
            raise FloodInputError(f"pump {self.name!r}: negative rate; pump rates are >= 0")
        if len(self.sump) == 0:
            raise FloodInputError(f"pump {self.name!r}: give at least one sump point")
        if self.start_level is None:
            self.start_level = self.stop_level
        if self.start_level < self.stop_level:
            raise FloodInputError(f"pump {self.name!r}: start_level below stop_level")
