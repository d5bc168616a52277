"""Show the rehearsal session's active run on the scene, at the app clock's time.

Follows :class:`~twin_app.sim.session.RehearsalSession` (which run, which display) and
:class:`~twin_app.core.clock.AppClock` (which frame); owns only the drawing (the result maps are
kept, and extended as frames arrive, by the runs' playbacks).
"""

from __future__ import annotations

import logging

import numpy as np
from numpy.typing import NDArray

from twin_app.core.clock import AppClock
from twin_app.render.flood_layer import FloodLayer
from twin_app.render.view import SceneView
from twin_app.sim.playback import Playback
from twin_app.sim.sdk import GridInfo
from twin_app.sim.session import RehearsalEntry, RehearsalSession

logger = logging.getLogger(__name__)


class RehearsalOverlay:
    """Draws the session's active rehearsal in a scene view.

    Parameters
    ----------
    view : SceneView
        The scene's actors and plotter.
    session : RehearsalSession
        The runs and what to show.
    clock : AppClock
        The time shown.
    """

    def __init__(self, view: SceneView, session: RehearsalSession, clock: AppClock) -> None:
        self.view = view
        self.session = session
        self.clock = clock
        self.layer: FloodLayer | None = None
        self._layer_of: Playback | None = None
        self.shown_index: int | None = None
        self.colour_limit_m: float | None = None
        """Top of the depth colour scale; ``None``: the run's largest depth.  (A run that
        includes a river or the sea reaches 15 m and more there, which leaves half a metre
        of flooding on land almost white; the wall caps the scale near the flooding's depth.)"""

    def _ground(self, playback: Playback) -> NDArray[np.float64] | None:
        if playback.ground is not None:
            return playback.ground
        return self.ground_for(playback.grid)

    def ground_for(self, grid: GridInfo) -> NDArray[np.float64] | None:
        """Return the scene DEM's heights at a grid's nodes (``None`` without a DEM)."""
        dem = self.view.geometry.dem
        if dem is None:
            return None
        rows, cols = grid.shape
        east = grid.origin[1] + np.arange(cols) * grid.spacing[1]
        north = grid.origin[0] + np.arange(rows) * grid.spacing[0]
        x, y = np.meshgrid(east, north)
        return np.nan_to_num(dem.heights_at(x, y), nan=0.0)

    def _layer_for(self, playback: Playback) -> FloodLayer:
        if self.layer is None or self._layer_of is not playback:
            if self.layer is not None:
                self.layer.remove()
            if playback.frames:
                playback.arrays(0)  # learn the model's ground from the first frame
            self.layer = FloodLayer(self.view.plotter, playback.grid, self.view.geometry.frame,
                                    self._ground(playback))
            self._layer_of = playback
        return self.layer

    def _map(self, index: int, entry: RehearsalEntry, kind: str) -> NDArray[np.float64]:
        """Return a run's result map (the playback keeps it, adding frames as they arrive)."""
        playback = entry.playback
        assert playback is not None
        return playback.max_depth() if kind == "max_depth" else playback.arrival_time_h()

    def clear(self) -> None:
        """Take the water off the scene."""
        if self.layer is not None:
            self.layer.remove()
        self.layer, self._layer_of, self.shown_index = None, None, None

    def refresh(self) -> None:
        """Draw what the session asks for at the clock's time."""
        entry = self.session.current
        playback = entry.playback if entry is not None else None
        if playback is None or self.session.display == "off" or not playback.frames:
            if self.layer is not None:  # something was drawn: take it away (else nothing to do)
                self.clear()
                self.view.plotter.render()
            return
        index = self.session.active
        assert entry is not None
        assert index is not None
        layer = self._layer_for(playback)
        display = self.session.display
        if display == "depth":
            frame = playback.index_at(self.clock.time)
            self.shown_index = frame
            if frame is None:
                layer.hide()
            else:
                layer.show_depth(playback.depth(frame), playback.level(frame),
                                 playback.wet_threshold_m, self._peak(index, entry))
        elif display in ("max_depth", "arrival"):
            title = "max depth (m)" if display == "max_depth" else "arrival (h)"
            layer.show_map(display, self._map(index, entry, display), title)
        elif display == "difference":
            self._show_difference(index, entry, layer)
        self.view.plotter.render()

    def _peak(self, index: int, entry: RehearsalEntry) -> float:
        if self.colour_limit_m is not None:
            return self.colour_limit_m
        if entry.running or entry.playback is None:
            return 1.0
        return entry.playback.depth_scale_top()

    def _show_difference(self, index: int, entry: RehearsalEntry, layer: FloodLayer) -> None:
        other_index = self.session.compare_with
        if other_index is None or other_index == index:
            layer.show_map("max_depth", self._map(index, entry, "max_depth"), "max depth (m)")
            return
        other = self.session.entries[other_index]
        if other.playback is None or other.playback.grid != entry.playback.grid:
            logger.warning("rehearsals %s and %s are on different grids: no difference map",
                           entry.label, other.label)
            return
        difference = (self._map(index, entry, "max_depth")
                      - self._map(other_index, other, "max_depth"))
        layer.show_map("difference", difference, f"max depth − {other.label} (m)")
