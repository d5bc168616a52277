"""A rehearsal's water on the 3D scene: the surface coloured by depth, or a result map draped.

The grid of the run (scene CRS) becomes a structured surface in the scene's local frame.  Only wet
nodes are drawn: a threshold on the depth array feeds the mapper through a live VTK pipeline, so a
new frame is a change of two arrays (heights and depths), not a new actor.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pyvista as pv
from numpy.typing import NDArray
from vtkmodules.vtkCommonDataModel import vtkDataObject
from vtkmodules.vtkFiltersCore import vtkThreshold
from vtkmodules.vtkFiltersGeometry import vtkGeometryFilter

from twin_app.core.geo import SceneFrame
from twin_app.sim.sdk import GridInfo

logger = logging.getLogger(__name__)

ACTOR_NAME = "rehearsal"
SHOWN = "shown"
"""Point array the threshold keeps (1) or drops (0)."""
DEPTH_CMAP = "Blues"
MAP_STYLES = {
    "depth": ("depth_m", DEPTH_CMAP),
    "max_depth": ("max_depth_m", DEPTH_CMAP),
    "arrival": ("arrival_h", "plasma_r"),
    "difference": ("difference_m", "RdBu_r"),
    "probability": ("probability", "YlOrRd"),
}
LIFT_M = 0.03
"""Water drawn this far above the ground where the model's level equals it (no z-fighting)."""


class FloodLayer:
    """Draws one rehearsal's grid in a :class:`~twin_app.render.view.SceneView`'s plotter.

    Parameters
    ----------
    plotter : pyvista.BasePlotter
        Where to draw.
    grid : GridInfo
        The run's grid (must be in the scene CRS).
    frame : SceneFrame
        The scene's local frame.
    ground : ndarray, optional
        Ground heights on the nodes (scene datum); flat at 0 if not known.
    name : str
        The actor's name (one layer per name).
    """

    def __init__(self, plotter: Any, grid: GridInfo, frame: SceneFrame,
                 ground: NDArray[np.float64] | None = None, name: str = ACTOR_NAME) -> None:
        self.plotter = plotter
        self.name = name
        self.grid = grid
        rows, cols = grid.shape
        east = grid.origin[1] + np.arange(cols) * grid.spacing[1]
        north = grid.origin[0] + np.arange(rows) * grid.spacing[0]
        # (columns, rows) arrays, which pyvista ravels in Fortran order: x fastest, as VTK and
        # as a C-order ravel of the (rows, columns) node arrays
        x, y = np.meshgrid(east - frame.origin[0], north - frame.origin[1], indexing="ij")
        self._z0 = frame.origin[2]
        self.ground = np.zeros(grid.shape) if ground is None else np.asarray(ground, float)
        self.mesh = pv.StructuredGrid(x, y, (self.ground - self._z0).T)
        self.mesh.point_data.set_array(np.zeros(self.mesh.n_points, np.uint8), SHOWN)
        self.mode = "depth"
        self.clim: tuple[float, float] = (0.0, 1.0)
        threshold = vtkThreshold()
        threshold.SetInputData(self.mesh)
        threshold.SetInputArrayToProcess(0, 0, 0, vtkDataObject.FIELD_ASSOCIATION_POINTS, SHOWN)
        threshold.SetUpperThreshold(0.5)
        threshold.SetThresholdFunction(vtkThreshold.THRESHOLD_UPPER)
        threshold.SetAllScalars(False)  # a cell shows when any of its nodes is wet
        surface = vtkGeometryFilter()
        surface.SetInputConnection(threshold.GetOutputPort())
        self._pipeline = surface
        self.actor = None
        self._bar_title: str | None = None

    def _remove_bar(self) -> None:
        bars = getattr(self.plotter, "scalar_bars", None)
        if self._bar_title is not None and bars is not None and self._bar_title in bars:
            self.plotter.remove_scalar_bar(self._bar_title, render=False)
        self._bar_title = None

    def _draw(self, array: str, cmap: str, clim: tuple[float, float], title: str) -> None:
        self._remove_bar()
        self.plotter.remove_actor(self.name, render=False)
        self._pipeline.Update()
        shown = pv.wrap(self._pipeline.GetOutput())
        if shown.n_cells == 0 or array not in shown.point_data:
            self.actor = None  # nothing wet (yet): drawn once something is
            return
        self.actor = self.plotter.add_mesh(
            shown, name=self.name, scalars=array, cmap=cmap, clim=clim, opacity=0.85,
            pickable=False, reset_camera=False, render=False, show_scalar_bar=True,
            scalar_bar_args={"title": title, "vertical": True, "n_labels": 5,
                             "position_x": 0.84, "position_y": 0.08, "height": 0.4,
                             "width": 0.06})
        self._bar_title = title
        self.actor.GetMapper().SetInputConnection(self._pipeline.GetOutputPort())
        self.actor.GetMapper().SetScalarModeToUsePointFieldData()
        self.actor.GetMapper().SelectColorArray(array)

    def show_depth(self, depth: NDArray[np.float64], level: NDArray[np.float64] | None,
                   wet_threshold_m: float, max_depth_m: float, title: str = "depth (m)") -> None:
        """Show one frame: the water surface where depth >= ``wet_threshold_m``."""
        depth = np.asarray(depth, dtype=np.float64)
        surface = level if level is not None else self.ground + depth
        z = np.maximum(surface, self.ground + LIFT_M) - self._z0
        self.mesh.points[:, 2] = z.ravel()
        self._set(depth, depth >= wet_threshold_m, "depth_m")
        if self.mode != "depth" or self.actor is None or max_depth_m > self.clim[1] + 1e-9:
            self.mode = "depth"
            self.clim = (0.0, max(max_depth_m, 0.1))
            self._draw("depth_m", DEPTH_CMAP, self.clim, title)

    def show_map(self, mode: str, values: NDArray[np.float64], title: str,
                 clim: tuple[float, float] | None = None) -> None:
        """Drape a result map (``max_depth``, ``arrival`` or ``difference``) on the ground."""
        array, cmap = MAP_STYLES[mode]
        values = np.asarray(values, dtype=np.float64)
        self.mesh.points[:, 2] = (self.ground + LIFT_M - self._z0).ravel()
        shown = np.isfinite(values)
        if mode != "arrival":  # a node wet from the start arrives at 0 h; depths of 0 are dry
            shown &= np.abs(np.nan_to_num(values)) > 1e-6
        self._set(np.nan_to_num(values), shown, array)
        if clim is None:
            finite = values[shown]
            low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
            if mode == "difference":
                bound = max(abs(low), abs(high), 0.01)
                low, high = -bound, bound
            clim = (low, high if high > low else low + 1.0)
        self.mode, self.clim = mode, clim
        self._draw(array, cmap, clim, title)

    def hide(self) -> None:
        """Draw no water (e.g. the clock is before the run's first frame)."""
        self._set(np.zeros(self.grid.shape), np.zeros(self.grid.shape, dtype=bool), "depth_m")
        self.mode = "hidden"
        self._remove_bar()
        self.plotter.remove_actor(self.name, render=False)
        self.actor = None

    def _set(self, values: NDArray[np.float64], shown: NDArray[np.bool_], array: str) -> None:
        self.mesh.point_data.set_array(values.ravel(order="C").astype(np.float32), array)
        self.mesh.point_data.set_array(shown.ravel(order="C").astype(np.uint8), SHOWN)
        self.mesh.Modified()

    def visible_cells(self) -> int:
        """Return the number of cells drawn now (for tests)."""
        self._pipeline.Update()
        return self._pipeline.GetOutput().GetNumberOfCells()

    def remove(self) -> None:
        """Take the layer off the scene."""
        self._remove_bar()
        self.plotter.remove_actor(self.name, render=False)
        self.actor = None
