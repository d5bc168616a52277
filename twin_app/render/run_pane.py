"""One side of two rehearsals shown side by side: a run's water in one view, at the clock's time.

Both sides draw the water depth of the frame their run shows at the app clock's time, on one
colour scale (the deeper run's peak so far), so equal colours mean equal depths left and right.
The water is the only actor a side owns (named :data:`PANE_LAYER`); the scene around it is the
view's own or mirrored (:mod:`twin_app.render.linked_views`).  No Qt here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.core.geo import SceneFrame
from twin_app.render.flood_layer import FloodLayer
from twin_app.sim.playback import Playback, WetSummary
from twin_app.sim.sdk import GridInfo

logger = logging.getLogger(__name__)

PANE_LAYER = "side-by-side"
"""Name of a side's water actor in its plotter."""


def common_peak(playbacks: list[Playback]) -> float:
    """Return the top of the runs' shared depth colour scale (see ``Playback.depth_scale_top``)."""
    return max([0.1, *(playback.depth_scale_top() for playback in playbacks)])


class RunPane:
    """Draws one run's water depth in one plotter at a given time.

    Parameters
    ----------
    plotter : pyvista.BasePlotter
        The side's view.
    frame : SceneFrame
        The scene's local frame.
    ground_for : callable
        Returns the scene DEM's heights at a grid's nodes (used when the run's frames carry no
        ground).
    """

    def __init__(self, plotter: Any, frame: SceneFrame,
                 ground_for: Callable[[GridInfo], NDArray[np.float64] | None]) -> None:
        self.plotter = plotter
        self.frame = frame
        self.ground_for = ground_for
        self.layer: FloodLayer | None = None
        self.playback: Playback | None = None
        self.index: int | None = None
        """The frame drawn (``None``: no water, the time is before the run)."""
        self.summary: WetSummary | None = None
        """Peak depth and flooded area of the frame drawn."""
        self._drawn: tuple[Any, ...] | None = None

    def show(self, playback: Playback, moment: datetime, peak_m: float) -> bool:
        """Draw ``playback``'s frame at ``moment``, coloured 0..``peak_m``; return if it changed."""
        if playback is not self.playback:
            self.clear()
            self.playback = playback
        index = playback.index_at(moment) if playback.frames else None
        wanted = (index, len(playback.frames), peak_m)
        if wanted == self._drawn:
            return False
        self._drawn = wanted
        self.index = index
        if index is None:
            self.summary = None
            if self.layer is not None:
                self.layer.hide()
            return True
        layer = self._layer(playback)
        layer.show_depth(playback.depth(index), playback.level(index), playback.wet_threshold_m,
                         peak_m)
        self.summary = playback.wet_summary(index)
        return True

    def _layer(self, playback: Playback) -> FloodLayer:
        if self.layer is None:
            playback.arrays(0)  # the model's ground comes with its first frame
            ground = playback.ground if playback.ground is not None else self.ground_for(
                playback.grid)
            self.layer = FloodLayer(self.plotter, playback.grid, self.frame, ground,
                                    name=PANE_LAYER)
        return self.layer

    def shown_depth(self) -> NDArray[np.float64] | None:
        """Return the depth the drawn water carries on the grid nodes (``None``: none drawn)."""
        if self.layer is None or self.layer.actor is None:
            return None
        values = self.layer.mesh.point_data["depth_m"]
        return np.asarray(values, dtype=np.float64).reshape(self.layer.grid.shape)

    def clear(self) -> None:
        """Take the water off the view and forget the run."""
        if self.layer is not None:
            self.layer.remove()
        self.layer, self.playback, self.index, self.summary, self._drawn = (None,) * 5
