"""The flood model: state, lifecycle and outputs of a local-inertial run."""

from __future__ import annotations

import logging
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from twin_flood import kernels
from twin_flood.errors import FloodInputError, FloodInstabilityError
from twin_flood.features import Feature
from twin_flood.forcing import Forcing
from twin_flood.grid import RasterGrid
from twin_flood.massbalance import MassBalance, VolumeAccount
from twin_flood.params import FloodParameters
from twin_flood.stability import StabilityMonitor
from twin_flood.validate import check_dem, check_depth, check_manning

__all__ = ["VARIABLES", "FloodModel"]

log = logging.getLogger(__name__)

#: Ground level given to no-data cells: far above any water, so no face around them carries flow.
INACTIVE_Z = 1.0e6

#: Output variables: name -> (units, where the value lives, description).
VARIABLES: dict[str, tuple[str, str, str]] = {
    "depth": ("m", "cell", "water depth"),
    "water_level": ("m", "cell", "water surface level, ground + depth (NaN off the domain)"),
    "elevation": ("m", "cell", "ground level (NaN off the domain)"),
    "qx": ("m2/s", "x-face", "unit discharge across x-faces, positive east; (ny, nx + 1)"),
    "qy": ("m2/s", "y-face", "unit discharge across y-faces, positive south; (ny + 1, nx)"),
    "velocity_east": ("m/s", "cell", "depth-averaged velocity, east component"),
    "velocity_north": ("m/s", "cell", "depth-averaged velocity, north component"),
    "max_depth": ("m", "cell", "largest depth so far"),
    "arrival_time": ("s", "cell", "first time depth >= wet_depth (NaN: never)"),
    "duration_wet": ("s", "cell", "time spent with depth >= wet_depth"),
    "manning": ("s m-1/3", "cell", "Manning's n"),
}


class FloodModel:
    """A local-inertial shallow-water model on a uniform raster.

    Parameters
    ----------
    dem : array_like
        Ground level [m], shape ``(ny, nx)``, row 0 north (see :mod:`twin_flood.grid`).
    dx : float
        Cell size [m].
    origin : tuple of float, default (0, 0)
        Map coordinates ``(x_west, y_north)`` [m] of the DEM's outer top-left corner.
    parameters : FloodParameters or Mapping, optional
        Numerical parameters; a mapping is read by :meth:`FloodParameters.from_mapping`.
    manning : float or array_like, optional
        Manning's n [s m^-1/3], scalar or map of the DEM's shape (default: ``parameters.manning``).
    initial_depth : float or array_like, optional
        Initial depth [m] (>= 0).  Exclusive with ``initial_level``.
    initial_level : float or array_like, optional
        Initial water level [m]; depth = max(level - ground, 0).
    features : iterable of Feature, optional
        Rainfall, inflows, water-level boundaries, walls, gates and pumps.
    nodata : {"error", "inactive"}, default "error"
        What a NaN in the DEM means: an error, or a cell outside the model domain.
    extent : sequence of float, optional
        ``(xmin, ymin, xmax, ymax)`` [m] the DEM must cover (e.g. the scenario's area).

    Raises
    ------
    FloodInputError
        On bad input (its subclasses name the kind), before any step runs.
    """

    def __init__(self, dem: Any, dx: float, origin: Sequence[float] = (0.0, 0.0),
                 parameters: FloodParameters | Mapping[str, Any] | None = None,
                 manning: float | Any | None = None, initial_depth: Any | None = None,
                 initial_level: Any | None = None, features: Iterable[Feature] = (),
                 nodata: str = "error", extent: Sequence[float] | None = None) -> None:
        if parameters is None:
            parameters = FloodParameters()
        elif not isinstance(parameters, FloodParameters):
            parameters = FloodParameters.from_mapping(parameters)
        self.parameters = p = parameters
        if not (isinstance(dx, numbers.Real) and math.isfinite(dx) and dx > 0):
            raise FloodInputError(f"cell size dx = {dx!r} m; give a positive number of metres")
        if len(origin) != 2 or not all(math.isfinite(float(v)) for v in origin):
            raise FloodInputError(f"origin = {origin!r}; give (x_west, y_north) in map metres")
        z, active = check_dem(dem, nodata)
        self.grid = RasterGrid(z.shape, float(dx), (float(origin[0]), float(origin[1])))
        if extent is not None and not self.grid.covers(extent):
            raise FloodInputError(
                f"the DEM covers {tuple(round(v, 3) for v in self.grid.extent)} but the domain "
                f"needs {tuple(extent)}; use a DEM that covers the whole domain")
        dtype = np.dtype(p.dtype)
        self.active = active
        self._z64 = np.where(active, z, INACTIVE_Z)
        self._z = self._z64.astype(dtype)
        self._n = check_manning(p.manning if manning is None else manning, z.shape, active)
        self._n2 = (self._n * self._n).astype(dtype)
        h = check_depth(initial_depth, initial_level, z, active)
        ny, nx = z.shape
        self._h = h.astype(dtype)
        self._qx = [np.zeros((ny, nx + 1), dtype), np.zeros((ny, nx + 1), dtype)]
        self._qy = [np.zeros((ny + 1, nx), dtype), np.zeros((ny + 1, nx), dtype)]
        self._max_depth = self._h.copy()
        self._arrival = np.where(self._h >= p.wet_depth, 0.0, -1.0).astype(dtype)
        self._duration = np.zeros((ny, nx), dtype)
        self.forcing = Forcing(self.grid, active, p.g)
        for feature in features:
            self.forcing.add(feature)
        self._qs = np.zeros(self.forcing.faces["axis"].size)
        self._pattern: np.ndarray | None = None
        self._ones = np.ones((1, nx), dtype)
        self._refresh_pattern()
        self.time = 0.0
        self.dt = 0.0
        self.steps = 0
        self._hmax = float(self._h.max())
        self._failed: str | None = None
        self._monitor = StabilityMonitor(p)
        self.account = VolumeAccount(initial=self._stored())

    # -- set-up ----------------------------------------------------------------------------------
    def add_feature(self, feature: Feature) -> None:
        """Add a rainfall, inflow, water-level boundary, wall, gate or pump (between steps)."""
        self.forcing.add(feature)
        self._qs = np.zeros(self.forcing.faces["axis"].size)
        self._refresh_pattern()

    def _refresh_pattern(self) -> None:
        rain = self.forcing.rain
        if rain is None and bool(self.active.all()):
            self._pattern = None
            return
        pattern = np.ones(self.grid.shape) if rain is None or rain.pattern is None \
            else rain.pattern
        self._pattern = np.where(self.active, pattern, 0.0).astype(self._h.dtype)

    def set_value(self, name: str, value: float) -> None:
        """Hold feature ``name`` at ``value`` (SI units) from now on, overriding its series.

        Units: rainfall m/s, inflow and pump m3/s, water-level boundary m, gate opening m.
        """
        feature = self._feature(name)
        if not math.isfinite(value) or (value < 0 and feature.value_kind != "level"):
            raise FloodInputError(f"{name!r}: value {value!r} must be finite"
                                  + ("" if feature.value_kind == "level" else " and >= 0"))
        if feature.value_kind == "level" and not hasattr(feature, "series"):
            raise FloodInputError(f"{name!r} is a wall: it has no value to set")
        self.forcing.overrides[name] = float(value)

    def clear_value(self, name: str) -> None:
        """Let feature ``name`` follow its series again."""
        self._feature(name)
        self.forcing.overrides.pop(name, None)

    def _feature(self, name: str) -> Feature:
        try:
            return self.forcing.features[name]
        except KeyError:
            known = ", ".join(self.forcing.features) or "none"
            raise FloodInputError(f"no feature named {name!r} (known: {known})") from None

    def set_depth(self, depth: Any) -> None:
        """Replace the depth [m] (e.g. a start from observed levels); counted as initial water."""
        h = check_depth(depth, None, self._z64, self.active)
        before = self._stored()
        self._h[...] = h
        self.account.initial += self._stored() - before
        self._hmax = float(self._h.max())

    # -- running ---------------------------------------------------------------------------------
    def check(self, until: float) -> None:
        """Check before running to ``until`` seconds that every series covers the run.

        Raises
        ------
        FloodSeriesError
            If a boundary or structure series ends before ``until``.
        """
        self.forcing.check_covers(self.time, until)

    def advance_to(self, t: float) -> int:
        """Run adaptive steps until the model time is exactly ``t`` seconds.

        Returns
        -------
        int
            Number of steps taken.

        Raises
        ------
        FloodSeriesError
            If a series does not cover the run (checked before any step).
        FloodInstabilityError
            If the run goes unstable; the message says what to change.
        """
        if t < self.time - 1e-9:
            raise FloodInputError(f"cannot go back in time from {self.time:g} s to {t:g} s")
        self.check(t)
        taken = 0
        while t - self.time > 1e-9 * max(1.0, abs(t)):
            self.step(until=t)
            taken += 1
        self.time = max(self.time, float(t))
        return taken

    def _stable_dt(self) -> float:
        p = self.parameters
        if self._hmax <= p.depth_threshold:
            return p.max_dt
        return min(p.alpha * self.grid.dx / math.sqrt(p.g * self._hmax), p.max_dt)

    def step(self, until: float | None = None) -> float:
        """Take one adaptive time step (not past ``until``, if given) and return its length [s]."""
        if self._failed:
            raise FloodInstabilityError(self._failed)
        p = self.parameters
        area = self.grid.cell_area
        hflat = self._h.reshape(-1)
        zflat = self._z64.reshape(-1)
        if self.steps == 0:
            self._hmax = max(self._hmax, self.forcing.apply_boundaries(
                hflat, zflat, self.time, area, self.account))
        dt = self._stable_dt()
        if dt < p.min_dt:
            self._fail(f"the time step fell to {dt:.3g} s (min_dt = {p.min_dt:g} s) because the "
                       f"largest depth reached {self._hmax:.4g} m")
        if until is not None:
            dt = min(dt, until - self.time)
        t_mid = self.time + 0.5 * dt
        t_new = self.time + dt
        dtdx = dt / self.grid.dx
        qx0, qx1 = self._qx
        qy0, qy1 = self._qy
        f = self.forcing.faces
        structures = f["axis"].size > 0
        if structures:  # structure fluxes come from the levels at the start of the step
            self.forcing.update_gates(t_mid)
            kernels.structure_fluxes(self._z64, self._h, f["axis"], f["row"], f["col"],
                                     f["kind"], f["level"], f["opening"], f["top"], f["cw"],
                                     f["cd"], p.g, self._qs)
            cells = self.forcing.face_cells
            saved = [a.reshape(-1)[cells].copy()
                     for a in (self._max_depth, self._arrival, self._duration)]
        rain_rate = self.forcing.value(self.forcing.rain, t_mid) if self.forcing.rain else 0.0
        use_pattern = self._pattern is not None
        pattern = self._pattern if use_pattern else self._ones
        worst, flips, wet, hmax_bits, sign_bits = kernels.step_fields(
            self._z, self._h, qx0, qy0, qx1, qy1, self._n2, dt, self.grid.dx, p.g, p.theta,
            p.depth_threshold, p.max_velocity, p.froude_limit, rain_rate * dt, pattern,
            use_pattern, self._max_depth, self._arrival, self._duration, t_new, p.wet_depth)
        if worst > 0:
            self._fail(self._monitor.velocity_report(self._h, qx1, qy1))
        oscillating = self._monitor.oscillation(flips, wet)
        if oscillating:
            self._fail(oscillating)
        if rain_rate:
            ncells = float(pattern.sum(dtype=np.float64)) if use_pattern else hflat.size
            self.account.rain += rain_rate * dt * area * ncells
        hmax = float(np.int32(hmax_bits).view(np.float32))
        if structures:
            lowest = kernels.impose_structure_fluxes(self._h, qx1, qy1, f["axis"], f["row"],
                                                     f["col"], self._qs, dtdx)
            if lowest < 0.0:
                sign_bits = -1
            self._restat(cells, saved, t_new, dt)
            hmax = max(hmax, float(hflat[cells].max()))
        if not hmax <= p.max_depth_limit or (self.steps % 64 == 0
                                             and not math.isfinite(self._stored())):
            self._fail(self._monitor.depth_report(self._h))
        if sign_bits < 0:
            self.account.clipped += kernels.fix_negative_depths(self._h, qx1, qy1, dtdx) * area
        touched = self.forcing.apply_sources(hflat, zflat, t_mid, dt, area, self.account)
        self._hmax = float(hmax)
        mflat = self._max_depth.reshape(-1)
        for idx in touched:
            mflat[idx] = np.maximum(mflat[idx], hflat[idx])
            self._hmax = max(self._hmax, float(hflat[idx].max()))
        # water-level boundary cells end the step at their level: outputs show the tide itself
        self._hmax = max(self._hmax, self.forcing.apply_boundaries(
            hflat, zflat, self.time + dt, area, self.account))
        self._qx.reverse()
        self._qy.reverse()
        self.time += dt
        self.dt = dt
        self.steps += 1
        return dt

    # -- instability -----------------------------------------------------------------------------
    def _fail(self, what: str) -> None:
        self._failed = self._monitor.message(self.time, self.steps, what)
        log.error("%s", self._failed)
        raise FloodInstabilityError(self._failed)

    def _restat(self, cells: np.ndarray, saved: list[np.ndarray], t_new: float,
                dt: float) -> None:
        """Redo the flood statistics of ``cells`` from their values before the step."""
        h = self._h.reshape(-1)[cells]
        wet = h >= self.parameters.wet_depth
        self._max_depth.reshape(-1)[cells] = np.maximum(saved[0], h)
        self._arrival.reshape(-1)[cells] = np.where(wet & (saved[1] < 0), t_new, saved[1])
        self._duration.reshape(-1)[cells] = saved[2] + np.where(wet, dt, 0.0)

    # -- outputs ---------------------------------------------------------------------------------
    def _stored(self) -> float:
        return float(self._h.sum(dtype=np.float64)) * self.grid.cell_area

    def mass_balance(self) -> MassBalance:
        """Return the volumes in, out and stored since the start, and the balance error."""
        return self.account.snapshot(self._stored())

    @property
    def depth(self) -> np.ndarray:
        """Water depth [m], ``(ny, nx)`` (a read-only view of the state)."""
        view = self._h.view()
        view.flags.writeable = False
        return view

    def get_value(self, name: str) -> np.ndarray:
        """Return a copy of output variable ``name`` (see :data:`VARIABLES`), in float64.

        Raises
        ------
        FloodInputError
            If ``name`` is not a variable.
        """
        if name not in VARIABLES:
            raise FloodInputError(f"no variable {name!r}; known: {', '.join(VARIABLES)}")
        h = self._h.astype(np.float64)
        nan_off = np.where(self.active, 0.0, np.nan)
        if name == "depth":
            return h
        if name == "water_level":
            return self._z64 + h + nan_off
        if name == "elevation":
            return self._z64 + nan_off
        if name in ("qx", "qy"):
            return (self._qx if name == "qx" else self._qy)[0].astype(np.float64)
        if name.startswith("velocity"):
            wet = h > self.parameters.depth_threshold
            if name == "velocity_east":
                q = 0.5 * (self._qx[0][:, :-1] + self._qx[0][:, 1:])
            else:
                q = -0.5 * (self._qy[0][:-1, :] + self._qy[0][1:, :])
            return np.where(wet, q / np.where(wet, h, 1.0), 0.0)
        if name == "max_depth":
            return self._max_depth.astype(np.float64)
        if name == "arrival_time":
            a = self._arrival.astype(np.float64)
            return np.where(a < 0, np.nan, a)
        if name == "duration_wet":
            return self._duration.astype(np.float64)
        return self._n.copy()

    def memory_bytes(self) -> int:
        """Bytes held by the state arrays (what a cell costs, times the cell count)."""
        arrays = [self._z, self._z64, self._n, self._n2, self._h, *self._qx, *self._qy,
                  self._max_depth, self._arrival, self._duration]
        if self._pattern is not None:
            arrays.append(self._pattern)
        return int(sum(a.nbytes for a in arrays))
