"""A full CSDMS BMI (:class:`bmipy.Bmi`, 41 methods) derived from a :class:`Simulation`'s tables.

The adapter follows Landlab's ``wrap_as_bmi``: grid 0 is the model's uniform rectilinear grid
(variables on ``node`` and ``face``), grid 1 the probe points (``point``, grid type ``points``),
grid 2 a single value (``scalar``).  ``initialize`` reads a :class:`RunConfig` JSON file (what the
host writes as ``run_config.json``).  Time is in seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from bmipy import Bmi
from numpy.typing import NDArray

from twin_app.sim.config import RunConfig
from twin_app.sim.sdk import Simulation, SimulationError
from twin_app.sim.tables import VarInfo

GRID_NODES, GRID_POINTS, GRID_SCALAR = 0, 1, 2
_GRID_OF = {"node": GRID_NODES, "face": GRID_NODES, "point": GRID_POINTS, "scalar": GRID_SCALAR}


class BmiAdapter(Bmi):
    """Expose a :class:`Simulation` subclass as a :class:`bmipy.Bmi`.

    Parameters
    ----------
    model_class : type of Simulation
        The plugin's model class.
    """

    def __init__(self, model_class: type[Simulation]) -> None:
        self.model_class = model_class
        self.model = model_class()

    # -- control -------------------------------------------------------------------------------
    def initialize(self, config_file: str) -> None:
        """Initialize from a :class:`RunConfig` JSON file, or from a case TOML file.

        A case file (:mod:`twin_app.sim.scenario`) is checked against the tables first; its run
        folder is the folder the file is in.
        """
        if str(config_file).lower().endswith(".toml"):
            from twin_app.sim.scenario import load_case  # the case loader needs discovery

            path = Path(config_file)
            config = load_case(path, out_dir=path.resolve().parent).config
        else:
            config = RunConfig.from_file(config_file)
        self.initialize_config(config)

    def initialize_config(self, config: RunConfig) -> None:
        """Initialize the model from a :class:`RunConfig` already in memory."""
        self.model.config = config
        self.model.end_time = config.duration_s
        self.model.points = [(p.id, p.x, p.y) for p in config.points]
        self.model.initialize(config)

    def update(self) -> None:
        """Advance by one model time step."""
        self.model.update()

    def update_until(self, time: float) -> None:
        """Advance to ``time`` seconds."""
        self.model.update_until(time)

    def finalize(self) -> None:
        """Let the model release what it holds."""
        self.model.finalize()

    # -- model information ---------------------------------------------------------------------
    def get_component_name(self) -> str:
        """Return the model's name."""
        return self.model_class.name

    def _names(self, intents: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.name for v in self.model_class.tables.variables if v.intent in intents)

    def get_input_item_count(self) -> int:
        """Return how many variables the caller may set."""
        return len(self.get_input_var_names())

    def get_output_item_count(self) -> int:
        """Return how many variables the caller may read."""
        return len(self.get_output_var_names())

    def get_input_var_names(self) -> tuple[str, ...]:
        """Return the names of the ``in`` and ``inout`` variables."""
        return self._names(("in", "inout"))

    def get_output_var_names(self) -> tuple[str, ...]:
        """Return the names of the ``out`` and ``inout`` variables."""
        return self._names(("out", "inout"))

    # -- variable information ------------------------------------------------------------------
    def _info(self, name: str) -> VarInfo:
        return self.model_class.tables.variable(name)

    def get_var_grid(self, name: str) -> int:
        """Return the id of the grid the variable lives on."""
        return _GRID_OF[self._info(name).location]

    def get_var_type(self, name: str) -> str:
        """Return the numpy dtype name of the variable."""
        return self._info(name).dtype

    def get_var_units(self, name: str) -> str:
        """Return the variable's UDUNITS units."""
        return self._info(name).units

    def get_var_itemsize(self, name: str) -> int:
        """Return bytes per item."""
        return self._info(name).itemsize

    def get_var_nbytes(self, name: str) -> int:
        """Return the variable's total size in bytes."""
        return int(self.model.get_value(name).nbytes)

    def get_var_location(self, name: str) -> str:
        """Return ``node`` or ``face`` (points and scalars count as nodes of their grid)."""
        location = self._info(name).location
        return "face" if location == "face" else "node"

    # -- time ----------------------------------------------------------------------------------
    def get_current_time(self) -> float:
        """Return the model's time in seconds."""
        return float(self.model.time)

    def get_start_time(self) -> float:
        """Return 0: runs start at time 0 s."""
        return 0.0

    def get_end_time(self) -> float:
        """Return the run's duration in seconds."""
        return float(self.model.end_time)

    def get_time_units(self) -> str:
        """Return ``"s"``."""
        return "s"

    def get_time_step(self) -> float:
        """Return the model's current time step in seconds."""
        return float(self.model.time_step)

    # -- values --------------------------------------------------------------------------------
    def get_value_ptr(self, name: str) -> NDArray[Any]:
        """Return a flat view of the model's own array (no copy where the array is contiguous)."""
        value = self.model.get_value(name)
        if not value.flags.c_contiguous:
            raise SimulationError(f"{name} is not contiguous; no pointer can be given")
        return value.reshape(-1)

    def get_value(self, name: str, dest: NDArray[Any]) -> NDArray[Any]:
        """Copy the flattened values into ``dest`` and return it."""
        dest[:] = self.model.get_value(name).reshape(-1)
        return dest

    def get_value_at_indices(self, name: str, dest: NDArray[Any],
                             inds: NDArray[np.int_]) -> NDArray[Any]:
        """Copy the values at flat indices ``inds`` into ``dest`` and return it."""
        dest[:] = self.model.get_value(name).reshape(-1)[inds]
        return dest

    def set_value(self, name: str, src: NDArray[Any]) -> None:
        """Overwrite the variable with ``src`` (flat or shaped)."""
        self.model.set_value(name, src)

    def set_value_at_indices(self, name: str, inds: NDArray[np.int_], src: NDArray[Any]) -> None:
        """Overwrite the variable at flat indices ``inds``."""
        flat = self.model.get_value(name).reshape(-1).copy()
        flat[inds] = src
        self.model.set_value(name, flat)

    # -- grid ----------------------------------------------------------------------------------
    def _grid(self) -> Any:
        if self.model.grid is None:
            raise SimulationError(f"{self.model_class.name} has no grid before initialize()")
        return self.model.grid

    def get_grid_rank(self, grid: int) -> int:
        """Return 2 for the model grid, 1 for the points, 0 for the scalar grid."""
        return {GRID_NODES: 2, GRID_POINTS: 1, GRID_SCALAR: 0}[grid]

    def get_grid_size(self, grid: int) -> int:
        """Return the number of nodes of the grid."""
        if grid == GRID_NODES:
            return int(self._grid().size)
        return len(self.model.points) if grid == GRID_POINTS else 1

    def get_grid_type(self, grid: int) -> str:
        """Return ``uniform_rectilinear``, ``points`` or ``scalar``."""
        return {GRID_NODES: "uniform_rectilinear", GRID_POINTS: "points",
                GRID_SCALAR: "scalar"}[grid]

    def get_grid_shape(self, grid: int, shape: NDArray[np.int_]) -> NDArray[np.int_]:
        """Fill ``shape`` with (rows, columns) of nodes."""
        shape[:] = self._grid().shape
        return shape

    def get_grid_spacing(self, grid: int, spacing: NDArray[np.float64]) -> NDArray[np.float64]:
        """Fill ``spacing`` with (dy, dx) in metres."""
        spacing[:] = self._grid().spacing
        return spacing

    def get_grid_origin(self, grid: int, origin: NDArray[np.float64]) -> NDArray[np.float64]:
        """Fill ``origin`` with (y, x) of node (0, 0) in the scene CRS."""
        origin[:] = self._grid().origin
        return origin

    def get_grid_x(self, grid: int, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Fill ``x`` with the eastings of the columns (or of the points)."""
        if grid == GRID_POINTS:
            x[:] = [p[1] for p in self.model.points]
        else:
            x[:] = self._grid().x() if grid == GRID_NODES else 0.0
        return x

    def get_grid_y(self, grid: int, y: NDArray[np.float64]) -> NDArray[np.float64]:
        """Fill ``y`` with the northings of the rows (or of the points)."""
        if grid == GRID_POINTS:
            y[:] = [p[2] for p in self.model.points]
        else:
            y[:] = self._grid().y() if grid == GRID_NODES else 0.0
        return y

    def get_grid_z(self, grid: int, z: NDArray[np.float64]) -> NDArray[np.float64]:
        """Raise: the grids are two-dimensional and have no z coordinates."""
        raise NotImplementedError("twin_app grids are 2-D; heights are a variable, not a grid axis")

    def get_grid_node_count(self, grid: int) -> int:
        """Return the number of nodes."""
        return self.get_grid_size(grid)

    def get_grid_edge_count(self, grid: int) -> int:
        """Return the number of edges between neighbouring nodes."""
        if grid != GRID_NODES:
            return 0
        rows, cols = self._grid().shape
        return rows * (cols - 1) + cols * (rows - 1)

    def get_grid_face_count(self, grid: int) -> int:
        """Return the number of faces (cells between four nodes)."""
        if grid != GRID_NODES:
            return 0
        rows, cols = self._grid().face_shape
        return rows * cols

    def get_grid_edge_nodes(self, grid: int, edge_nodes: NDArray[np.int_]) -> NDArray[np.int_]:
        """Fill ``edge_nodes`` with node pairs: horizontal edges first, then vertical ones."""
        rows, cols = self._grid().shape
        ids = np.arange(rows * cols).reshape(rows, cols)
        pairs = np.concatenate([
            np.column_stack((ids[:, :-1].ravel(), ids[:, 1:].ravel())),
            np.column_stack((ids[:-1, :].ravel(), ids[1:, :].ravel())),
        ])
        edge_nodes[:] = pairs.ravel()
        return edge_nodes

    def get_grid_face_edges(self, grid: int, face_edges: NDArray[np.int_]) -> NDArray[np.int_]:
        """Fill ``face_edges`` with the four edges of each face (south, east, north, west)."""
        rows, cols = self._grid().shape
        horizontal = np.arange(rows * (cols - 1)).reshape(rows, cols - 1)
        vertical = rows * (cols - 1) + np.arange((rows - 1) * cols).reshape(rows - 1, cols)
        faces = np.stack([horizontal[:-1, :], vertical[:, 1:], horizontal[1:, :],
                          vertical[:, :-1]], axis=-1)
        face_edges[:] = faces.reshape(-1)
        return face_edges

    def get_grid_face_nodes(self, grid: int, face_nodes: NDArray[np.int_]) -> NDArray[np.int_]:
        """Fill ``face_nodes`` with the four corner nodes of each face, anticlockwise."""
        rows, cols = self._grid().shape
        ids = np.arange(rows * cols).reshape(rows, cols)
        faces = np.stack([ids[:-1, :-1], ids[:-1, 1:], ids[1:, 1:], ids[1:, :-1]], axis=-1)
        face_nodes[:] = faces.reshape(-1)
        return face_nodes

    def get_grid_nodes_per_face(self, grid: int,
                                nodes_per_face: NDArray[np.int_]) -> NDArray[np.int_]:
        """Fill ``nodes_per_face`` with 4 for every face."""
        nodes_per_face[:] = 4
        return nodes_per_face
