"""Sensor labels with a budget: which labels to draw when a scene has more than can be read.

Drawing a text label costs time on every frame (on a 2-core llvmpipe machine about 70 µs a label
at 1920x1080, plus a fixed ~30 ms for the label pass), and a screen of 2,000 overlapping labels
is unreadable anyway.  So a label layer shows at most :data:`LABEL_BUDGET` labels: those of the
selected sensor and of sensors in alarm or warning first, then those nearest the camera among the
ones in view.  Scenes with fewer sensors than the budget show every label, as before.  The
markers (coloured by state) are always all drawn.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.render.fonts import find_cjk_font
from twin_app.render.geometry import LayerGeometry

logger = logging.getLogger(__name__)

LABEL_BUDGET = 100
"""Most labels drawn at once."""

LABEL_OFFSET_M = 3.0


def choose_labels(
    points: NDArray[np.float64],
    world_to_clip: NDArray[np.float64],
    ranks: NDArray[np.int_],
    budget: int,
    shown: NDArray[np.intp] | None = None,
) -> NDArray[np.intp]:
    """Return the indices of the labels to draw, in ascending order.

    Parameters
    ----------
    points : ndarray, shape (n, 3)
        Label anchors in world coordinates (as drawn, exaggeration included).
    world_to_clip : ndarray, shape (4, 4)
        The camera's composite projection (world to clip coordinates).
    ranks : ndarray of int, shape (n,)
        Importance: higher first (e.g. 3 selected, 2 alarm, 1 warning, 0 normal).  Ranked labels
        are drawn even when outside the view; the rest only when in view.
    budget : int
        Most labels to return.
    shown : ndarray of int, optional
        The labels drawn now: among labels of equal rank they stay while in view, so that small
        camera moves do not make labels flicker; the rest are filled in nearest first.

    Returns
    -------
    ndarray of int
        At most ``budget`` indices: the highest ranks, then the labels already drawn that are
        still in view, then the nearest to the camera in view.
    """
    count = len(points)
    if count <= budget:
        return np.arange(count)
    homogeneous = np.column_stack((points, np.ones(count)))
    clip = homogeneous @ world_to_clip.T
    w = clip[:, 3]
    with np.errstate(divide="ignore", invalid="ignore"):
        ndc = clip[:, :3] / w[:, None]
    in_view = (w > 0) & np.all(np.abs(ndc) <= 1.0, axis=1)
    depth = np.where(in_view, ndc[:, 2], np.inf)
    eligible = in_view | (ranks > 0)
    kept = np.zeros(count, dtype=bool)
    if shown is not None:
        kept[shown] = True
    # np.lexsort sorts by its last key first: rank descending, kept first, then nearest
    order = np.lexsort((depth, ~kept, -ranks))
    chosen = order[eligible[order]][:budget]
    return np.sort(chosen)


class LabelLayer:
    """One label layer of a :class:`~twin_app.render.view.SceneView`, drawn within a budget.

    Parameters
    ----------
    plotter : pyvista.BasePlotter
        Where the labels are drawn.
    layer : LayerGeometry
        The label anchors (local frame) and texts per language.
    language : callable
        Returns the language labels are drawn in now.
    exaggeration : float
        The view's vertical exaggeration (anchors are drawn at z times this).
    budget : int
        Most labels drawn at once.
    """

    def __init__(self, plotter: Any, layer: LayerGeometry, language: Callable[[], str],
                 exaggeration: float, budget: int = LABEL_BUDGET) -> None:
        self.plotter = plotter
        self.layer = layer
        self.language = language
        self.exaggeration = exaggeration
        self.budget = budget
        self.suffixes: dict[str, list[str]] = {}
        self.ranks = np.zeros(layer.mesh.n_points, dtype=np.int_)
        self.shown = self._choose()
        self.actor = self._build()

    @property
    def count(self) -> int:
        """Number of labels in the layer (drawn or not)."""
        return self.layer.mesh.n_points

    def texts(self) -> list[str]:
        """Return every label's full text (name and live value) in the current language."""
        language = self.language()
        labels = self.layer.labels.get(language) or self.layer.labels["en"]
        suffixes = self.suffixes.get(language)
        if suffixes is None or len(suffixes) != len(labels):
            return list(labels)
        return [f"{label}{suffix}" for label, suffix in zip(labels, suffixes, strict=True)]

    def _world_points(self) -> NDArray[np.float64]:
        points = np.array(self.layer.mesh.points, dtype=np.float64)
        points[:, 2] *= self.exaggeration
        return points

    def _choose(self) -> NDArray[np.intp]:
        if self.count <= self.budget:
            return np.arange(self.count)
        camera = self.plotter.renderer.GetActiveCamera()
        width, height = self.plotter.window_size
        matrix = camera.GetCompositeProjectionTransformMatrix(width / max(height, 1), -1, 1)
        world_to_clip = np.array([[matrix.GetElement(i, j) for j in range(4)] for i in range(4)])
        shown = getattr(self, "shown", None)
        return choose_labels(self._world_points(), world_to_clip, self.ranks, self.budget, shown)

    def _build(self) -> Any:
        import pyvista as pv

        font = find_cjk_font()
        texts = self.texts()
        points = np.array(self.layer.mesh.points)[self.shown]
        shown_texts = [texts[i] for i in self.shown] or [""]
        anchors = pv.PolyData(points if len(points) else np.zeros((1, 3)))
        return self.plotter.add_point_labels(
            anchors, shown_texts, name=self.layer.layer_id, font_size=13,
            text_color="white", font_file=str(font) if font else None, shape_color="#102030",
            shape_opacity=0.6, show_points=False, always_visible=True, render=False,
            reset_camera=False, pickable=False, bold=False,
        )

    def rebuild(self) -> Any:
        """Draw the layer anew (e.g. in another language); return the new actor."""
        visible = bool(self.actor.GetVisibility())
        self.actor = self._build()
        self.actor.SetVisibility(visible)
        return self.actor

    def set_ranks(self, ranks: Mapping[int, int]) -> None:
        """Set the importance of labels by index (unlisted labels get 0)."""
        self.ranks = np.zeros(self.count, dtype=np.int_)
        for index, rank in ranks.items():
            self.ranks[index] = rank

    def update_subset(self) -> bool:
        """Choose the labels to draw for the current camera and ranks; return whether it changed.

        A change rebuilds the actor (a few ms); otherwise the texts are updated in place.
        """
        chosen = self._choose()
        if np.array_equal(chosen, self.shown):
            return False
        self.shown = chosen
        self.rebuild()
        return True

    def _label_array(self) -> tuple[Any, Any]:
        hierarchy = self.actor.GetMapper().GetInputAlgorithm()
        points = hierarchy.GetInput()
        return points, points.GetPointData().GetAbstractArray(hierarchy.GetLabelArrayName())

    def shown_texts(self) -> list[str]:
        """Return the texts drawn now, in label order."""
        if not len(self.shown):
            return []
        _, array = self._label_array()
        return [array.GetValue(i) for i in range(array.GetNumberOfTuples())]

    def set_suffixes(self, suffixes: dict[str, list[str]]) -> bool:
        """Append live text (values) to each label, per language; updates the texts in place.

        Returns whether a drawn text changed (only then is the label layout redone).
        """
        self.suffixes = suffixes
        if not len(self.shown):
            return False
        texts = self.texts()
        points, array = self._label_array()
        changed = False
        for slot, index in enumerate(self.shown):
            if array.GetValue(slot) != texts[index]:
                array.SetValue(slot, texts[index])
                changed = True
        if changed:  # same texts: no new label layout, no new frame
            array.Modified()
            points.Modified()
        return changed
