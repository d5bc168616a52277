"""A :class:`SceneView` for the video wall: labels in type big enough to read across a room.

The workstation view draws its sensor labels at 13 points; on a 2160-pixel-high wall that is a
smudge.  :class:`WallSceneView` sets every label layer's font size after each time the labels
are (re)built, before the frame is drawn, and counts the frames it asks for.
"""

from __future__ import annotations

import logging
from typing import Any

from twin_app.core.workspace import Workspace
from twin_app.render.geometry import SceneGeometry
from twin_app.render.view import SceneView

logger = logging.getLogger(__name__)

WORKSTATION_LABEL_PT = 13


def wall_label_size(body_px: int) -> int:
    """Return the label font size for a wall whose body text is ``body_px`` pixels high.

    VTK sizes text in points at 72 dpi, so points are pixels here: labels as big as the wall's
    body text (45 on a 2160-pixel wall), never below the workstation's 13.
    """
    return max(WORKSTATION_LABEL_PT, body_px)


class WallSceneView(SceneView):
    """A scene view whose labels are drawn at ``label_font_size``.

    Parameters
    ----------
    plotter, geometry, workspace
        As for :class:`SceneView`.
    label_font_size : int
        Font size of the sensor labels (see :func:`wall_label_size`).
    """

    def __init__(self, plotter: Any, geometry: SceneGeometry, workspace: Workspace,
                 label_font_size: int = WORKSTATION_LABEL_PT) -> None:
        self.label_font_size = label_font_size
        super().__init__(plotter, geometry, workspace)

    def set_label_font_size(self, size: int) -> None:
        """Draw the labels at ``size`` from the next frame on."""
        self.label_font_size = size
        self._scale_labels()

    def update_labels(self, ranks: dict[int, int] | None = None,
                      layer_id: str = "labels") -> bool:
        """Choose the labels to draw (as :meth:`SceneView.update_labels`) at the wall's size."""
        changed = super().update_labels(ranks, layer_id)
        self._scale_labels()
        return changed

    def _relabel(self, language: str) -> None:
        for layer_id, labels in self.label_layers.items():
            self.actors[layer_id] = [labels.rebuild()]
        self._scale_labels()
        self.plotter.render()

    def _scale_labels(self) -> None:
        for labels in self.label_layers.values():
            hierarchy = labels.actor.GetMapper().GetInputAlgorithm()
            prop = hierarchy.GetTextProperty()
            if prop is not None and prop.GetFontSize() != self.label_font_size:
                prop.SetFontSize(self.label_font_size)
                hierarchy.Modified()
