"""Solver parameters with units, defaults and bounds."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from twin_flood.errors import FloodParameterError
from twin_flood.units import parse_quantity

__all__ = ["PARAMETER_TABLE", "FloodParameters"]

log = logging.getLogger(__name__)

#: name -> (quantity kind, SI unit, lower bound, upper bound, doc)
PARAMETER_TABLE: dict[str, tuple[str, str, float, float, str]] = {
    "alpha": ("dimensionless", "1", 1e-3, 5.0,
              "CFL coefficient: dt = alpha dx / sqrt(g h_max); 0.2-0.5 is safe"),
    "theta": ("dimensionless", "1", 0.0, 1.0,
              "de Almeida flux weighting; 1 = Bates 2010, 0.8-0.9 damps oscillations"),
    "manning": ("manning", "s/m^(1/3)", 0.0, 1.0,
                "Manning's n where no map is given"),
    "g": ("acceleration", "m/s2", 9.7, 9.9, "gravity"),
    "depth_threshold": ("length", "m", 1e-6, 0.1,
                        "face flow depth below which a face carries no flow"),
    "wet_depth": ("length", "m", 1e-4, 10.0,
                  "depth that counts as flooded for arrival time and duration"),
    "max_dt": ("time", "s", 1e-3, 3600.0, "largest time step (also the step when dry)"),
    "min_dt": ("time", "s", 1e-9, 10.0, "smallest time step before the run is stopped"),
    "froude_limit": ("dimensionless", "1", 0.1, 100.0,
                     "cap on the face Froude number |q| / (h sqrt(g h))"),
    "max_velocity": ("velocity", "m/s", 1.0, 1000.0,
                     "face velocity taken as a sign of instability"),
    "max_depth_limit": ("length", "m", 1.0, 1e5,
                        "depth taken as a sign of instability"),
}


@dataclass(frozen=True)
class FloodParameters:
    """Numerical parameters of the local-inertial solver (SI units).

    Attributes
    ----------
    alpha : float
        CFL coefficient in dt = alpha dx / sqrt(g h_max).  Default 0.5 (as SFINCS): with
        theta < 1, alpha = 0.7 (Landlab's default) grew a 2-D checkerboard in slow, shallow
        flow (EA Test 4 after the inflow stops); 0.5 did not.
    theta : float
        de Almeida et al. (2012) weighting of the face flux against its two collinear
        neighbours; 1 recovers Bates et al. (2010).  Default 0.8 (Landlab).
    manning : float
        Manning's n [s m^-1/3] used where no map is given (default 0.03).
    g : float
        Gravity [m/s2].
    depth_threshold : float
        Face flow depth [m] below which a face is dry (default 1e-3, LISFLOOD-FP).
    wet_depth : float
        Depth [m] at which a cell counts as flooded for arrival time and duration (default 0.01).
    max_dt : float
        Largest time step [s]; also the step on a dry domain (default 10).
    min_dt : float
        If the CFL step falls below this [s] the run is stopped as unstable (default 1e-4).
    froude_limit : float
        Cap on the face Froude number, ``|q| <= froude_limit * h_f * sqrt(g h_f)`` (default 3):
        keeps thin films on slopes stable; the local-inertial scheme is not meant for
        supercritical flow anyway.
    max_velocity : float
        A face velocity [m/s] above this stops the run as unstable (default 50).
    max_depth_limit : float
        A depth [m] above this stops the run as unstable (default 1e4).
    dtype : str
        ``"float32"`` (default; fast) or ``"float64"`` (mass balance to 1e-12).
    """

    alpha: float = 0.5
    theta: float = 0.8
    manning: float = 0.03
    g: float = 9.81
    depth_threshold: float = 1e-3
    wet_depth: float = 0.01
    max_dt: float = 10.0
    min_dt: float = 1e-4
    froude_limit: float = 3.0
    max_velocity: float = 50.0
    max_depth_limit: float = 1e4
    dtype: str = "float32"

    DTYPES: ClassVar[tuple[str, ...]] = ("float32", "float64")

    def __post_init__(self) -> None:
        for name, (_kind, unit, low, high, doc) in PARAMETER_TABLE.items():
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise FloodParameterError(f"parameter {name!r} must be a number in {unit}, "
                                          f"got {value!r}")
            if not low <= value <= high:
                raise FloodParameterError(
                    f"parameter {name!r} = {value!r} {unit} is outside [{low:g}, {high:g}] "
                    f"({doc}); choose a value inside that range")
        if self.dtype not in self.DTYPES:
            raise FloodParameterError(f"parameter 'dtype' = {self.dtype!r}; use 'float32' "
                                      "or 'float64'")
        if self.min_dt >= self.max_dt:
            raise FloodParameterError(f"min_dt ({self.min_dt:g} s) must be below max_dt "
                                      f"({self.max_dt:g} s)")
        if self.alpha > 0.9:
            log.warning("alpha = %g is above the stable range (<= 0.7); the run may go unstable",
                        self.alpha)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> FloodParameters:
        """Build parameters from a mapping, e.g. a scenario's TOML table.

        Values are numbers in SI units or strings with a unit (``"30 s"``, ``"5 mm"``).

        Parameters
        ----------
        values : Mapping[str, Any]
            Parameter names and values; names not given keep their defaults.

        Returns
        -------
        FloodParameters
            The validated parameters.

        Raises
        ------
        FloodParameterError
            On an unknown name (with the nearest known names) or a value out of range.
        FloodUnitsError
            On a unit that does not fit the parameter.
        """
        known = [f.name for f in fields(cls)]
        converted: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                near = difflib.get_close_matches(name, known, n=2)
                hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
                raise FloodParameterError(f"unknown parameter {name!r}{hint} "
                                          f"(known: {', '.join(known)})")
            if name == "dtype":
                converted[name] = str(value)
            else:
                converted[name] = parse_quantity(value, PARAMETER_TABLE[name][0], name)
        return cls(**converted)
