"""A seepage section drawn in the 3D scene at its place, animated through a tide.

The section's finite-element mesh becomes a vertical slice along its map line (river end to
land end) in the scene's local frame, coloured by total head (or pore pressure), with head
contours, flow arrows (direction of the Darcy velocity, length growing with its logarithm) and
the phreatic line; walls are drawn grey and sheet piles dark.  :meth:`SectionLayer.show` moves to
another frame by changing arrays of the same actors, so a tide plays smoothly.

The slice lies below the terrain; :meth:`SectionLayer.cut` returns the plane that opens the scene
along it (for :attr:`twin_app.core.workspace.Workspace.section`, which the BIM tools apply to the
terrain and the models but not to this layer).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pyvista as pv
from numpy.typing import NDArray

from twin_app.core.geo import SceneFrame
from twin_app.core.workspace import SectionState
from twin_app.io.section_frames import SectionFrames, contour_segments

logger = logging.getLogger(__name__)

PREFIX = "seepage-section"
HEAD_CMAP, PRESSURE_CMAP = "viridis", "coolwarm"
ARROW_SPACING_M = 3.0
"""Flow arrows are drawn at about this spacing (one element per cell of a grid this size)."""


class SectionLayer:
    """Draws one :class:`~twin_app.io.section_frames.SectionFrames` in a plotter.

    Parameters
    ----------
    plotter : pyvista.BasePlotter
        Where to draw.
    frames : SectionFrames
        The section and its frames; it must have a map ``line``.
    frame : SceneFrame
        The scene's local frame.
    z_scale : float
        The view's vertical exaggeration.
    contours : int
        Number of head contours.
    """

    def __init__(self, plotter: Any, frames: SectionFrames, frame: SceneFrame, *,
                 z_scale: float = 1.0, contours: int = 12) -> None:
        if frames.line is None:
            raise ValueError(f"section {frames.id} has no map placement; it cannot be drawn "
                             "in the scene")
        self.plotter = plotter
        self.frames = frames
        self.z_scale = z_scale
        x0, y0, x1, y1 = frames.line
        self.origin = np.array([x0 - frame.origin[0], y0 - frame.origin[1], -frame.origin[2]])
        along = np.array([x1 - x0, y1 - y0])
        self.along = np.append(along / np.linalg.norm(along), 0.0)
        self.name = f"{PREFIX}-{frames.id}"
        self.field = "head"
        self.index = 0
        low, high = frames.head_range()
        self.head_levels = np.linspace(low, high, contours + 2)[1:-1]
        self.surface = pv.PolyData(self.to_3d(frames.nodes),
                                   np.hstack([np.full((len(frames.triangles), 1), 3),
                                              frames.triangles]).ravel())
        self.arrow_cells = self._arrow_cells()
        self.actors: dict[str, Any] = {}
        self._bar: str | None = None
        self._build()
        self.show(0)

    # -- geometry -------------------------------------------------------------------------------

    def to_3d(self, points: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return section points ``(x, z)`` in the scene's local frame (n, 3)."""
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        out = self.origin + pts[:, :1] * self.along
        out[:, 2] = pts[:, 1] + self.origin[2]
        return out

    def _arrow_cells(self) -> NDArray[np.int64]:
        centres = self.frames.nodes[self.frames.triangles].mean(axis=1)
        keys = np.floor(centres / ARROW_SPACING_M).astype(np.int64)
        _, first = np.unique(keys, axis=0, return_index=True)
        return np.sort(first)

    def _segments(self, segments: NDArray[np.float64]) -> pv.PolyData:
        if len(segments) == 0:
            return pv.PolyData()
        points = self.to_3d(segments.reshape(-1, 2))
        count = len(segments)
        lines = np.column_stack([np.full(count, 2), 2 * np.arange(count),
                                 2 * np.arange(count) + 1]).ravel()
        return pv.PolyData(points, lines=lines)

    def _add(self, key: str, mesh: pv.PolyData, **style: Any) -> None:
        name = f"{self.name}-{key}"
        if mesh.n_points == 0:
            self.plotter.remove_actor(name, render=False)
            self.actors.pop(key, None)
            return
        actor = self.plotter.add_mesh(mesh, name=name, pickable=False, reset_camera=False,
                                      render=False, **style)
        actor.SetScale(1.0, 1.0, self.z_scale)
        self.actors[key] = actor

    def _build(self) -> None:
        for number, wall in enumerate(self.frames.walls):
            face = pv.PolyData(self.to_3d(wall), [len(wall), *range(len(wall))]).triangulate()
            self._add(f"wall{number}", face, color="#9e9e9e", lighting=False)
        for number, pile in enumerate(self.frames.piles):
            self._add(f"pile{number}", pv.lines_from_points(self.to_3d(pile)),
                      color="#263238", line_width=5, lighting=False)
        outline = [np.stack([poly, np.roll(poly, -1, axis=0)], axis=1)
                   for _, poly in self.frames.layers]
        self._add("layers", self._segments(np.concatenate(outline)), color="#5d4037",
                  line_width=1, lighting=False, opacity=0.6)

    # -- frames ---------------------------------------------------------------------------------

    def values(self, index: int) -> tuple[NDArray[np.float64], str, tuple[float, float], str]:
        """Return (nodal values, colour map, range, title) of the shown field in a frame."""
        if self.field == "pressure":
            every = [self.frames.pressure(i) for i in range(self.frames.count)]
            limit = float(max(abs(np.min(every)), abs(np.max(every)), 1.0))
            return every[index], PRESSURE_CMAP, (-limit, limit), "pore pressure (kPa)"
        low, high = self.frames.head_range()
        return self.frames.head[index], HEAD_CMAP, (low, max(high, low + 0.01)), "total head (m)"

    def show(self, index: int, field: str | None = None) -> None:
        """Show frame ``index`` (clamped), colouring by ``field`` (``head`` or ``pressure``)."""
        frames = self.frames
        self.index = int(np.clip(index, 0, frames.count - 1))
        changed = field is not None and field != self.field
        if field is not None:
            self.field = field
        values, cmap, clim, title = self.values(self.index)
        self.surface.point_data["value"] = values
        if "surface" in self.actors and not changed:
            mapper = self.actors["surface"].GetMapper()
            mapper.Update()  # its input may come from an algorithm not run yet (the main window)
            drawn = pv.wrap(mapper.GetInput())  # add_mesh's copy
            drawn.point_data["value"] = values
            drawn.Modified()
        else:
            self._remove_bar()
            self._add("surface", self.surface, scalars="value", cmap=cmap, clim=clim,
                      lighting=False, show_scalar_bar=True,
                      scalar_bar_args={"title": title, "vertical": True, "n_labels": 5,
                                       "position_x": 0.86, "position_y": 0.08,
                                       "height": 0.4, "width": 0.06})
            self._bar = title
        head = frames.head[self.index]
        contours = [contour_segments(frames.nodes, frames.triangles, head, level)
                    for level in self.head_levels]
        joined = np.concatenate([c for c in contours if len(c)] or [np.empty((0, 2, 2))])
        self._add("contours", self._segments(joined), color="white", line_width=1,
                  lighting=False, opacity=0.8)
        self._add("phreatic", self._segments(frames.phreatic[self.index]), color="#00e5ff",
                  line_width=4, lighting=False)
        self._add("arrows", self._arrows(), color="#fff176", lighting=False)

    def _arrows(self) -> pv.PolyData:
        frames = self.frames
        cells = self.arrow_cells
        velocity = frames.velocity[self.index][cells]
        speed = np.hypot(velocity[:, 0], velocity[:, 1])
        moving = speed > 0
        if not moving.any():
            return pv.PolyData()
        cells, velocity, speed = cells[moving], velocity[moving], speed[moving]
        logs = np.log10(speed)
        span = max(float(logs.max() - logs.min()), 1e-9)
        length = ARROW_SPACING_M * (0.25 + 0.6 * (logs - logs.min()) / span)
        centres = self.to_3d(frames.nodes[frames.triangles[cells]].mean(axis=1))
        direction = velocity[:, :1] * self.along + np.column_stack(
            [np.zeros(len(cells)), np.zeros(len(cells)), velocity[:, 1]])
        direction /= speed[:, None]
        points = pv.PolyData(centres - 0.5 * direction * length[:, None])
        points["vectors"] = direction * length[:, None]
        return points.glyph(orient="vectors", scale=False, factor=1.0,
                            geom=pv.Arrow(tip_length=0.35, tip_radius=0.12, shaft_radius=0.04))

    def set_visible(self, visible: bool) -> None:
        """Show or hide every actor of the section."""
        for actor in self.actors.values():
            actor.SetVisibility(visible)

    def remove(self) -> None:
        """Take the section out of the plotter."""
        for key in list(self.actors):
            self.plotter.remove_actor(f"{self.name}-{key}", render=False)
        self.actors.clear()
        self._remove_bar()

    def _remove_bar(self) -> None:
        bars = getattr(self.plotter, "scalar_bars", None)
        if self._bar is not None and bars is not None and self._bar in bars:
            self.plotter.remove_scalar_bar(self._bar, render=False)
        self._bar = None

    # -- cut and camera -------------------------------------------------------------------------

    def cut(self, camera_position: tuple[float, float, float] | None = None,
            gap_m: float = 0.05) -> SectionState:
        """Return the plane that opens the scene along the section (keeps the far side).

        ``camera_position`` (local frame) picks the side facing away from the camera; the plane
        lies ``gap_m`` behind the slice so the slice stays visible.
        """
        normal = np.array([-self.along[1], self.along[0], 0.0])
        if camera_position is not None and np.dot(np.asarray(camera_position) - self.origin,
                                                  normal) > 0:
            normal = -normal
        origin = self.origin + normal * gap_m
        origin[2] = 0.0
        return SectionState(kind="plane", origin=tuple(float(v) for v in origin),
                            normal=tuple(float(v) for v in normal))

    def look_at(self) -> None:
        """Aim the camera square at the section, from its open side."""
        bounds = np.array(self.surface.bounds).reshape(3, 2)
        centre = bounds.mean(axis=1) * np.array([1.0, 1.0, self.z_scale])
        size = float(np.ptp(bounds[:2], axis=1).max())
        normal = np.array([-self.along[1], self.along[0], 0.0])
        camera = self.plotter.camera
        camera.focal_point = tuple(centre)
        camera.position = tuple(centre - normal * size * 1.1 + np.array([0.0, 0.0, size * 0.15]))
        camera.up = (0.0, 0.0, 1.0)
        self.plotter.renderer.ResetCameraClippingRange()
