"""What a simulation plugin implements: a table of variables and a small BMI-shaped lifecycle.

A plugin author subclasses :class:`Simulation`, declares its :class:`~twin_app.sim.tables.Tables`
and writes ``initialize``, ``update`` and (optionally) ``finalize``; values live in
:attr:`Simulation.fields`, the grid in :attr:`Simulation.grid` and the clock in
:attr:`Simulation.time`.  :class:`twin_app.sim.bmi.BmiAdapter` turns any such class into a full
CSDMS BMI (all 41 methods).  Example::

    class Bathtub(Simulation):
        tables = Tables(variables=[VarInfo(name="surface_water__depth", units="m",
                                           intent="out", doc="Depth of water on the ground")],
                        parameters=[ParamInfo(name="level_m", units="m", default=3.0,
                                              min=-5, max=10, doc="Water level")])

        def initialize(self, config: RunConfig) -> None:
            self.grid, self.ground = grid_from_dem(config.dem_path)
            self.level = config.parameters["level_m"]
            self.fields["surface_water__depth"] = np.maximum(self.level - self.ground, 0)

        def update(self) -> None:
            self.time += self.time_step

No Qt, no VTK: a plugin runs in a headless worker process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from twin_app.core.errors import TwinAppError
from twin_app.sim.config import RunConfig
from twin_app.sim.tables import Tables, VarInfo

logger = logging.getLogger(__name__)


class SimulationError(TwinAppError):
    """A model cannot go on (bad state, unstable, a value of the wrong shape).

    Say what went wrong and what to change (a smaller time step, another parameter value).
    """


@dataclass(frozen=True)
class GridInfo:
    """A uniform rectilinear grid in the scene CRS, in BMI's (row, column) = (y, x) order.

    Node ``(j, i)`` sits at ``x = origin[1] + i * spacing[1]``, ``y = origin[0] + j * spacing[0]``:
    row 0 is the southern edge and rows run north (spacings are positive).  Arrays on the nodes
    have shape :attr:`shape`; arrays on the faces (the cells between four nodes) one less in each
    direction.

    Attributes
    ----------
    shape : tuple of int
        ``(rows, columns)`` of nodes.
    spacing : tuple of float
        ``(dy, dx)`` in metres.
    origin : tuple of float
        ``(y, x)`` of node ``(0, 0)``: northing and easting in metres.
    crs : str
        The CRS, e.g. ``"EPSG:4549"``.
    plane : {"map", "section"}
        ``"map"`` (the default): a map grid as above.  ``"section"``: a grid in a vertical
        cross-section (a seepage section), where columns run along the section (``x`` = distance
        from its start, m) and rows upwards (``y`` = elevation in the scene datum, m); such a grid
        has no flood maps and is not drawn on the map.
    line : tuple of float, optional
        For a section grid placed in the scene: ``(x0, y0, x1, y1)``, the map points (scene CRS)
        of the section's start and end.
    """

    shape: tuple[int, int]
    spacing: tuple[float, float]
    origin: tuple[float, float]
    crs: str = "EPSG:4549"
    plane: str = "map"
    line: tuple[float, float, float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the grid as JSON-compatible values (what ``grid.json`` holds)."""
        data: dict[str, Any] = {"shape": list(self.shape), "spacing": list(self.spacing),
                                "origin": list(self.origin), "crs": self.crs}
        if self.plane != "map":
            data["plane"] = self.plane
            data["line"] = None if self.line is None else list(self.line)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GridInfo:
        """Return the grid written by :meth:`to_dict` (older files: a map grid)."""
        rows, cols = (int(v) for v in data["shape"])
        dy, dx = (float(v) for v in data["spacing"])
        y0, x0 = (float(v) for v in data["origin"])
        line = data.get("line")
        x_a, y_a, x_b, y_b = (float(v) for v in line) if line else (0.0, 0.0, 0.0, 0.0)
        return cls(shape=(rows, cols), spacing=(dy, dx), origin=(y0, x0),
                   crs=str(data.get("crs", "EPSG:4549")), plane=str(data.get("plane", "map")),
                   line=(x_a, y_a, x_b, y_b) if line else None)

    @property
    def size(self) -> int:
        """Number of nodes."""
        return self.shape[0] * self.shape[1]

    @property
    def face_shape(self) -> tuple[int, int]:
        """Shape of an array on the faces."""
        return (max(self.shape[0] - 1, 0), max(self.shape[1] - 1, 0))

    def x(self) -> NDArray[np.float64]:
        """Eastings of the node columns."""
        return self.origin[1] + self.spacing[1] * np.arange(self.shape[1], dtype=np.float64)

    def y(self) -> NDArray[np.float64]:
        """Northings of the node rows (south to north)."""
        return self.origin[0] + self.spacing[0] * np.arange(self.shape[0], dtype=np.float64)

    def node_of(self, x: float, y: float) -> tuple[int, int] | None:
        """Return the ``(row, column)`` of the node nearest a map point, or ``None`` if outside."""
        col = round((x - self.origin[1]) / self.spacing[1])
        row = round((y - self.origin[0]) / self.spacing[0])
        if 0 <= row < self.shape[0] and 0 <= col < self.shape[1]:
            return (row, col)
        return None


def grid_from_dem(dem_path: str | None, *, every: int = 1, crs: str | None = None
                  ) -> tuple[GridInfo, NDArray[np.float64]]:
    """Read a DEM GeoTIFF as a model grid: nodes at cell centres, rows south to north.

    Parameters
    ----------
    dem_path : str
        The GeoTIFF (:attr:`RunConfig.dem_path`).
    every : int, default: 1
        Keep every n-th cell in each direction (a coarser grid for a quick run).
    crs : str, optional
        The CRS to record when the file's own is not an EPSG code.

    Returns
    -------
    grid : GridInfo
        The grid.
    heights : ndarray of float64, shape grid.shape
        Ground heights (NaN where the DEM has no data), row 0 southernmost.

    Raises
    ------
    SimulationError
        If no DEM is given.
    """
    from twin_app.io.dem import read_dem  # only models on a DEM load rasterio

    if not dem_path:
        raise SimulationError("this model runs on a DEM and the run has none",
                              hint="give 'dem' in the case file or run a scene scenario")
    dem = read_dem(dem_path)  # type: ignore[arg-type]
    step = max(int(every), 1)
    heights = np.asarray(dem.heights, dtype=np.float64)[::step, ::step][::-1].copy()
    xs, ys = dem.cell_centres()
    xs, ys = xs[::step], ys[::step][::-1]
    dx, dy = abs(dem.transform.a) * step, abs(dem.transform.e) * step
    grid = GridInfo(shape=(heights.shape[0], heights.shape[1]), spacing=(dy, dx),
                    origin=(float(ys[0]), float(xs[0])),
                    crs=dem.crs if dem.crs.startswith("EPSG:") else (crs or dem.crs))
    return grid, heights


class Simulation:
    """Base class of every simulation model.

    Subclasses set :attr:`tables` and implement :meth:`initialize` and :meth:`update`;
    :meth:`update_until`, :meth:`finalize`, :meth:`get_value` and :meth:`set_value` have working
    defaults.  :meth:`mass_balance_error` may be overridden to report the run's relative mass
    balance error.

    Attributes
    ----------
    tables : Tables
        The model's variables, parameters and boundary inputs (class attribute).
    name : str
        A human-readable model name (class attribute; BMI ``get_component_name``).
    time : float
        The model's current time in seconds since the run start.
    time_step : float
        The model's (current) time step in seconds.
    grid : GridInfo or None
        The model's grid, set by :meth:`initialize`.
    fields : dict of str to ndarray
        The value of every variable, by name, on its location.
    points : list of tuple
        ``(id, x, y)`` of the probe points, for ``location = "point"`` variables.
    """

    tables: ClassVar[Tables] = Tables()
    name: ClassVar[str] = "simulation"

    def __init__(self) -> None:
        self.time: float = 0.0
        self.time_step: float = 60.0
        self.end_time: float = float("inf")
        self.grid: GridInfo | None = None
        self.fields: dict[str, NDArray[Any]] = {}
        self.points: list[tuple[str, float, float]] = []
        self.config: RunConfig | None = None
        self.on_checkpoint: Callable[[float], None] | None = None

    def initialize(self, config: RunConfig) -> None:
        """Set up the grid, the fields and the clock from a validated configuration.

        Parameters
        ----------
        config : RunConfig
            Parameters (checked against :attr:`tables`, defaults filled in), duration, DEM,
            boundary series, probe points.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement initialize(config)")

    def update(self) -> None:
        """Advance the model by one of its own time steps (and advance :attr:`time`)."""
        raise NotImplementedError(f"{type(self).__name__} must implement update()")

    def update_until(self, time: float) -> None:
        """Advance the model to ``time`` seconds, shortening the last step to land on it."""
        while self.time < time - 1e-9:
            full = self.time_step
            self.time_step = min(full, time - self.time)
            before = self.time
            self.update()
            self.time_step = full
            self.checkpoint()
            if self.time <= before:
                raise SimulationError(f"{self.name}: update() did not advance the time "
                                      f"(stuck at {before} s)", hint="update() must add to time")

    def checkpoint(self) -> None:
        """Report progress, and stop if the run was cancelled: call it between steps.

        The default :meth:`update_until` calls it after every :meth:`update`; a model that
        overrides :meth:`update_until` should call it too.  The host raises
        :class:`~twin_app.core.errors.OperationCancelledError` from it to cancel a run.
        """
        if self.on_checkpoint is not None:
            self.on_checkpoint(self.time)

    def finalize(self) -> None:
        """Release what the model holds; calling it twice is harmless."""

    def get_value(self, name: str) -> NDArray[Any]:
        """Return the array of variable ``name`` (the model's own array, not a copy)."""
        self.tables.variable(name)
        try:
            return self.fields[name]
        except KeyError:
            raise SimulationError(f"{self.name}: variable {name!r} has no value yet",
                                  hint="set it in initialize()") from None

    def set_value(self, name: str, values: NDArray[Any]) -> None:
        """Overwrite variable ``name`` in place with ``values`` (same number of items)."""
        info = self.tables.variable(name)
        target = self.fields.get(name)
        source = np.asarray(values, dtype=info.dtype)
        if target is None:
            self.fields[name] = source.reshape(self.shape_of(info)).copy()
            return
        if source.size != target.size:
            raise SimulationError(f"{self.name}: {name} takes {target.size} values, "
                                  f"got {source.size}")
        target.reshape(-1)[:] = source.reshape(-1)

    def shape_of(self, info: VarInfo) -> tuple[int, ...]:
        """Return the array shape of a variable at its location."""
        if info.location == "scalar":
            return (1,)
        if info.location == "point":
            return (len(self.points),)
        if self.grid is None:
            raise SimulationError(f"{self.name}: no grid yet", hint="set self.grid in initialize()")
        return self.grid.shape if info.location == "node" else self.grid.face_shape

    def mass_balance_error(self) -> float | None:
        """Return the relative mass balance error of the run so far, or ``None`` if unknown."""
        return None

    def boundary(self, name: str, time: float | None = None, default: float = 0.0) -> float:
        """Return boundary input ``name`` at ``time`` (default: now), else ``default``."""
        series = self.config.boundaries.get(name) if self.config else None
        if series is None:
            return default
        return series.at(self.time if time is None else time)
