"""Put a scene's geometry into a PyVista plotter and keep it in step with the workspace.

:class:`SceneView` works with any PyVista plotter: the off-screen ``pv.Plotter`` of the CLI and
tests, or the ``QtInteractor`` of the main window.  It owns the actors, not the state: layer
visibility comes from :class:`~twin_app.core.workspace.Workspace` events.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonDataModel import vtkStaticCellLocator
from vtkmodules.vtkRenderingCore import vtkCellPicker, vtkProp

from twin_app.core.scene import ViewpointSpec
from twin_app.core.workspace import LayerState, Workspace
from twin_app.render.colours import hex_to_rgb
from twin_app.render.fonts import find_cjk_font
from twin_app.render.geometry import ITEM_INDEX, LayerGeometry, SceneGeometry
from twin_app.render.labels import LabelLayer

logger = logging.getLogger(__name__)


class PickResult:
    """What lies under a screen position.

    Attributes
    ----------
    local : ndarray
        The picked point in the scene's local frame (z without vertical exaggeration).
    item : str or None
        The selectable item hit (a model element or a sensor), if any.
    layer_id : str or None
        The layer hit.
    """

    def __init__(self, local: np.ndarray, item: str | None, layer_id: str | None) -> None:
        self.local = local
        self.item = item
        self.layer_id = layer_id


class SceneView:
    """The actors of one scene in one plotter.

    Parameters
    ----------
    plotter : pyvista.BasePlotter
        Where to draw (off-screen ``pv.Plotter`` or ``pyvistaqt.QtInteractor``).
    geometry : SceneGeometry
        The scene's meshes.
    workspace : Workspace
        The state to follow (layer visibility).
    """

    def __init__(self, plotter: Any, geometry: SceneGeometry, workspace: Workspace) -> None:
        self.plotter = plotter
        self.geometry = geometry
        self.workspace = workspace
        self.actors: dict[str, list[vtkProp]] = {}
        self._pick_layers: dict[int, LayerGeometry] = {}
        self.label_layers: dict[str, LabelLayer] = {}
        self._camera_mtime = 0
        spec = geometry.document.spec
        plotter.set_background(spec.display.background, top="#4a6f94")
        self.exaggeration = spec.display.vertical_exaggeration
        for layer in geometry.layers:
            self.actors[layer.layer_id] = self._add_layer(layer)
        plotter.set_scale(zscale=self.exaggeration, reset_camera=False, render=False)
        self._picker = self._make_picker()
        for state in workspace.layers:
            self._follow(state)
        workspace.events.language.connect(self._relabel)
        self.apply_viewpoint(spec.viewpoint())
        self.update_labels()

    def _add_layer(self, layer: LayerGeometry) -> list[vtkProp]:
        if layer.labels:
            return self._add_labels(layer)
        style = dict(layer.style)
        position = style.pop("position", None)
        actor = self.plotter.add_mesh(
            layer.mesh, name=layer.layer_id, reset_camera=False, render=False,
            pickable=bool(layer.items) or layer.layer_id == "terrain", **style,
        )
        if position is not None:
            self._place(actor, position[2])
        if layer.items or layer.layer_id == "terrain":
            self._pick_layers[id(actor)] = layer
        return [actor]

    def _label_language(self) -> str:
        return self.workspace.language if find_cjk_font() else "en"

    def _add_labels(self, layer: LayerGeometry) -> list[vtkProp]:
        labels = LabelLayer(self.plotter, layer, self._label_language, self.exaggeration)
        self.label_layers[layer.layer_id] = labels
        return [labels.actor]

    def _place(self, actor: vtkProp, z_local: float) -> None:
        actor.SetPosition(0.0, 0.0, z_local * self.exaggeration)

    def set_layer_height(self, layer_id: str, height: float) -> bool:
        """Stand a layer (a water surface) at ``height`` in the scene datum; return if it moved."""
        z_local = height - self.geometry.frame.origin[2]
        moved = False
        for actor in self.actors.get(layer_id, []):
            if actor.GetPosition()[2] != z_local * self.exaggeration:
                self._place(actor, z_local)
                moved = True
        return moved

    def layer_height(self, layer_id: str) -> float:
        """Return the height (scene datum) a layer stands at."""
        actor = self.actors[layer_id][0]
        return actor.GetPosition()[2] / self.exaggeration + self.geometry.frame.origin[2]

    def _relabel(self, language: str) -> None:
        """Redraw the label layers in ``language`` (keeping their visibility)."""
        for layer_id, labels in self.label_layers.items():
            self.actors[layer_id] = [labels.rebuild()]
        self.plotter.render()

    def label_texts(self, layer_id: str = "labels") -> list[str]:
        """Return the texts the label layer draws now (for tests and reports)."""
        return self.label_layers[layer_id].shown_texts()

    def set_label_suffixes(self, suffixes: dict[str, list[str]], layer_id: str = "labels") -> bool:
        """Append live text (values) to each label, per language; return if a drawn one changed."""
        labels = self.label_layers.get(layer_id)
        return labels is not None and labels.set_suffixes(suffixes)

    def update_labels(self, ranks: dict[int, int] | None = None,
                      layer_id: str = "labels") -> bool:
        """Re-choose which labels to draw (camera moved, states changed); return if it changed.

        Parameters
        ----------
        ranks : dict of int to int, optional
            Importance of labels by index (higher first); kept from the last call if ``None``.
        layer_id : str
            The label layer.
        """
        labels = self.label_layers.get(layer_id)
        if labels is None:
            return False
        if ranks is not None:
            labels.set_ranks(ranks)
        changed = labels.update_subset()
        if changed:
            self.actors[layer_id] = [labels.actor]
        self._camera_mtime = self.plotter.camera.GetMTime()
        return changed

    def camera_moved(self) -> bool:
        """Return whether the camera moved since labels were last chosen."""
        return self.plotter.camera.GetMTime() != self._camera_mtime

    def _make_picker(self) -> vtkCellPicker:
        picker = vtkCellPicker()
        picker.SetTolerance(0.004)  # about 8 px: enough to hit a sensor marker
        picker.PickFromListOn()
        for layer_id, actors in self.actors.items():
            layer = next(g for g in self.geometry.layers if g.layer_id == layer_id)
            for actor in actors:
                if id(actor) in self._pick_layers:
                    picker.AddPickList(actor)
                    locator = vtkStaticCellLocator()
                    locator.SetDataSet(layer.mesh)
                    locator.BuildLocator()
                    picker.AddLocator(locator)
        return picker

    def _follow(self, state: LayerState) -> None:
        def apply(visible: bool) -> None:
            for actor in self.actors.get(state.id, []):
                actor.SetVisibility(visible)
            self.plotter.render()

        for actor in self.actors.get(state.id, []):
            actor.SetVisibility(state.visible)
        state.events.visible.connect(apply)

    def disconnect(self) -> None:
        """Stop following the workspace (before the view is dropped)."""
        for state in self.workspace.layers:
            state.events.visible.disconnect()
        self.workspace.events.language.disconnect(self._relabel)

    def apply_viewpoint(self, viewpoint: ViewpointSpec | None) -> None:
        """Move the camera to ``viewpoint`` (map coordinates), or fit the scene if ``None``."""
        if viewpoint is None:
            self.reset_view()
            return
        frame = self.geometry.frame
        scale = np.array([1.0, 1.0, self.exaggeration])
        camera = self.plotter.camera
        camera.position = tuple(frame.map_to_local(viewpoint.position) * scale)
        camera.focal_point = tuple(frame.map_to_local(viewpoint.focal_point) * scale)
        camera.up = viewpoint.up
        camera.view_angle = viewpoint.view_angle_deg
        self.plotter.renderer.ResetCameraClippingRange()

    def reset_view(self) -> None:
        """Look at the whole scene from the south-west, above."""
        xmin, xmax, ymin, ymax, zmin, zmax = self.geometry.local_bounds()
        centre = np.array([(xmin + xmax) / 2, (ymin + ymax) / 2, (zmin + zmax) / 2])
        span = max(xmax - xmin, ymax - ymin, 1.0)
        camera = self.plotter.camera
        camera.focal_point = tuple(centre)
        camera.position = tuple(centre + np.array([-0.55, -0.85, 0.75]) * span)
        camera.up = (0.0, 0.0, 1.0)
        camera.view_angle = 30.0
        self.plotter.renderer.ResetCameraClippingRange()

    def pick(self, x: float, y: float) -> PickResult | None:
        """Return what is under display position (x, y) (VTK convention: origin bottom left).

        Models, sensors and the single terrain mesh are picked by ray against their cells; where
        the ray meets none of them (the terrain drawn as tiles is not in the picker), the point
        where it meets the DEM is returned.
        """
        if not self._picker.Pick(x, y, 0.0, self.plotter.renderer):
            return self._pick_terrain(x, y)
        actor = self._picker.GetActor()
        layer = self._pick_layers.get(id(actor)) if actor is not None else None
        position = np.array(self._picker.GetPickPosition(), dtype=np.float64)
        position[2] /= self.exaggeration
        item = None
        cell = self._picker.GetCellId()
        # the picked data set: the layer's mesh, or what a filter (hidden elements) left of it
        dataset = self._picker.GetDataSet()
        indices = dataset.GetCellData().GetArray(ITEM_INDEX) if dataset is not None else None
        if layer is not None and layer.items and indices is not None and cell >= 0:
            item = layer.items[int(indices.GetValue(cell))]
        return PickResult(position, item, layer.layer_id if layer else None)

    def _pick_terrain(self, x: float, y: float) -> PickResult | None:
        dem = self.geometry.dem
        if dem is None or not any(layer.id == "terrain" and layer.visible
                                  for layer in self.workspace.layers):
            return None
        from twin_app.render.terrain_pick import terrain_point_at

        hit = terrain_point_at(self.plotter.renderer, dem, self.geometry.frame, x, y,
                               self.exaggeration)
        if hit is None:
            return None
        return PickResult(self.geometry.frame.map_to_local(np.asarray(hit)), None, "terrain")

    def highlight(self, item: str | None) -> None:
        """Outline the selected item (or clear the outline with ``None``)."""
        self.plotter.remove_actor("selection", render=False)
        if item is None:
            self.plotter.render()
            return
        for layer in self.geometry.layers:
            if item in layer.items:
                index = layer.items.index(item)
                selected = layer.mesh.extract_cells(
                    np.flatnonzero(layer.mesh.cell_data[ITEM_INDEX] == index)
                )
                style = {"color": hex_to_rgb("#ffee00"), "lighting": False, "pickable": False,
                         "reset_camera": False, "render": False, "name": "selection"}
                edges = selected.extract_feature_edges()
                if edges.n_points:
                    self.plotter.add_mesh(edges, line_width=4, **style)
                else:  # a sensor marker: a larger ring of colour round the point
                    self.plotter.add_mesh(selected, style="points", point_size=24,
                                          render_points_as_spheres=True, **style)
                break
        self.plotter.render()


def add_scene_title(plotter: Any, text: str, fallback: str, font_size: int = 14) -> None:
    """Write ``text`` (Chinese allowed) in the upper left corner.

    ``fallback`` (Latin text) is written instead when the system has no CJK font.
    """
    font = find_cjk_font()
    if font is None:
        text = fallback
    plotter.add_text(
        text, position="upper_left", font_size=font_size, color="white", name="title",
        font_file=str(font) if font else None,
    )


def offscreen_plotter(width: int, height: int) -> pv.Plotter:
    """Return an off-screen plotter (VTK's EGL path where there is no display).

    With no X display, VTK is told to make an EGL window straight away rather than try X first
    and log a warning when that fails.
    """
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    return pv.Plotter(off_screen=True, window_size=(width, height), lighting="three lights")
