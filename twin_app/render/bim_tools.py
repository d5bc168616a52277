"""BIM viewing tools on a :class:`~twin_app.render.view.SceneView`: hide, isolate, X-ray, tint.

The state lives in the workspace (``Workspace.hidden``, ``.xray``, ``.tints``, ``.section``);
this module only follows it.  Models are batched (one mesh per asset with an element index per
cell), so hiding an element cannot remove an actor: while anything of a model is hidden or
X-rayed, its actor draws the mesh through a threshold on a per-cell "drawn" flag (a live VTK
pipeline, so gate leaves the live data moves keep moving), and X-ray draws a see-through copy of
the chosen cells.  Tinted elements are drawn from a copy of the model's colour array with their
cells recoloured (the mapper draws that array while any element of the model is tinted, and the
model's own colours when none is).  A section cuts every actor except labels with the same
clipping planes, so BIM and terrain are cut together.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonDataModel import vtkDataObject, vtkPlane
from vtkmodules.vtkFiltersCore import vtkThreshold
from vtkmodules.vtkFiltersGeometry import vtkGeometryFilter

from twin_app.core.workspace import SectionState, Workspace
from twin_app.render.colours import hex_to_rgb8
from twin_app.render.geometry import ITEM_INDEX, LayerGeometry
from twin_app.render.view import SceneView

logger = logging.getLogger(__name__)

DRAWN = "twin_drawn"
"""Cell array: 1 where a model cell is drawn opaque, 0 where it is hidden or X-rayed."""
TINT = "twin_tint_rgb"
"""Cell array: the model's colours with tinted elements' cells recoloured."""
XRAY_OPACITY = 0.18
XRAY_COLOUR = "#9fc5e8"


def _model_layers(view: SceneView) -> list[LayerGeometry]:
    return [layer for layer in view.geometry.layers if layer.layer_id.startswith("asset:")]


def item_classes(view: SceneView) -> dict[str, str]:
    """Return ``{item id: IFC class}`` of every model element in the view."""
    classes: dict[str, str] = {}
    spec = view.geometry.document.spec
    for asset in spec.assets:
        for part in asset.parts:
            classes[f"part:{asset.id}:{part.id}"] = part.ifc_class
        model = view.geometry.models.get(asset.id)
        if model is not None:
            for element in model.elements:
                classes[f"part:{asset.id}:{element.global_id}"] = element.ifc_class
    return classes


class BimTools:
    """Applies the workspace's hidden / X-ray items and section to a scene view.

    Parameters
    ----------
    view : SceneView
        The actors to act on.
    workspace : Workspace
        Whose ``hidden``, ``xray`` and ``section`` are followed.
    """

    def __init__(self, view: SceneView, workspace: Workspace) -> None:
        self.view = view
        self.workspace = workspace
        self.classes = item_classes(view)
        self._layers = _model_layers(view)
        self._filters: dict[str, vtkGeometryFilter] = {}
        workspace.events.hidden.connect(self._apply_visibility)
        workspace.events.xray.connect(self._apply_visibility)
        workspace.events.tints.connect(self._apply_visibility)
        workspace.events.section.connect(self._apply_section)
        self._apply_visibility()
        self._apply_section(workspace.section)

    def disconnect(self) -> None:
        """Stop following the workspace."""
        self.workspace.events.hidden.disconnect(self._apply_visibility)
        self.workspace.events.xray.disconnect(self._apply_visibility)
        self.workspace.events.tints.disconnect(self._apply_visibility)
        self.workspace.events.section.disconnect(self._apply_section)

    # -- which items --------------------------------------------------------------------------

    def items_of_class(self, ifc_class: str) -> list[str]:
        """Return the model elements of one IFC class (and classes named after it).

        ``IfcWall`` also takes ``IfcWallStandardCase``.
        """
        return [item for item, cls in self.classes.items() if cls.startswith(ifc_class)]

    def model_items(self) -> list[str]:
        """Return every model element drawn in the view."""
        return [item for layer in self._layers for item in layer.items]

    def others(self, items: Iterable[str]) -> frozenset[str]:
        """Return every model element not in ``items`` (what "isolate" hides)."""
        keep = set(items)
        return frozenset(item for item in self.model_items() if item not in keep)

    # -- visibility ---------------------------------------------------------------------------

    def _cells_of(self, layer: LayerGeometry, items: frozenset[str]) -> np.ndarray:
        indices = [i for i, item in enumerate(layer.items) if item in items]
        if not indices:
            return np.zeros(layer.mesh.n_cells, dtype=bool)
        return np.isin(np.asarray(layer.mesh.cell_data[ITEM_INDEX]), indices)

    def _apply_visibility(self, *_: object) -> None:
        hidden, xray = self.workspace.hidden, self.workspace.xray
        for layer in self._layers:
            mesh = layer.mesh
            if mesh.n_cells == 0:
                continue
            hide = self._cells_of(layer, hidden)
            see_through = self._cells_of(layer, xray) & ~hide
            self._draw_only(layer, ~(hide | see_through))
            self._draw_xray(layer, see_through)
        self.view.plotter.render()

    def _draw_only(self, layer: LayerGeometry, drawn: np.ndarray) -> None:
        """Point the layer's actor at its mesh, or at a threshold of it keeping ``drawn``."""
        mapper = self.view.actors[layer.layer_id][0].GetMapper()
        mesh = layer.mesh
        if "rgb" in mesh.cell_data:  # colour by name: a filter's output has no active scalars
            mapper.SetScalarModeToUseCellFieldData()
            mapper.SelectColorArray(self._tint(layer))
        if drawn.all():
            mapper.SetInputData(mesh)
            return
        mesh.cell_data.set_array(drawn.astype(np.uint8), DRAWN)  # not the active scalars
        mesh.Modified()
        pipeline = self._filters.get(layer.layer_id)
        if pipeline is None:
            threshold = vtkThreshold()
            threshold.SetInputData(mesh)
            threshold.SetInputArrayToProcess(0, 0, 0, vtkDataObject.FIELD_ASSOCIATION_CELLS,
                                             DRAWN)
            threshold.SetUpperThreshold(0.5)  # UPPER keeps values >= the upper threshold
            threshold.SetThresholdFunction(vtkThreshold.THRESHOLD_UPPER)
            surface = vtkGeometryFilter()
            surface.SetInputConnection(threshold.GetOutputPort())
            pipeline = self._filters[layer.layer_id] = surface
        mapper.SetInputConnection(pipeline.GetOutputPort())

    def _tint(self, layer: LayerGeometry) -> str:
        """Recolour the layer's tinted elements; return the colour array to draw."""
        mesh = layer.mesh
        tints = self.workspace.tints
        colours = [tints.get(item) for item in layer.items]
        if not any(colours):
            if TINT in mesh.cell_data:
                mesh.cell_data.remove(TINT)
            return "rgb"
        tinted = np.array([colour is not None for colour in colours])
        table = hex_to_rgb8([colour or "#000000" for colour in colours])
        index = np.asarray(mesh.cell_data[ITEM_INDEX])
        cells = tinted[index]
        rgb = np.array(mesh.cell_data["rgb"], dtype=np.uint8, copy=True)
        rgb[cells] = table[index[cells]]
        mesh.cell_data.set_array(rgb, TINT)  # not the active scalars
        mesh.Modified()
        return TINT

    def tinted_colours(self, layer_id: str) -> dict[str, tuple[int, int, int]]:
        """Return the colour each element is drawn in now, read back from its actor's mapper.

        Reads the cell data the mapper draws (after hiding and recolouring), not the
        workspace, so it shows what reaches the screen; elements with several colours give
        their first cell's.
        """
        mapper = self.view.actors[layer_id][0].GetMapper()
        mapper.Update()
        data = mapper.GetInput()
        layer = self.view.geometry.layer(layer_id)
        colours = data.GetCellData().GetArray(mapper.GetArrayName())
        index = data.GetCellData().GetArray(ITEM_INDEX)
        if colours is None or index is None:
            return {}
        rgb, items = vtk_to_numpy(colours), vtk_to_numpy(index)
        found: dict[str, tuple[int, int, int]] = {}
        for cell in np.unique(items, return_index=True)[1]:
            found[layer.items[int(items[cell])]] = tuple(int(v) for v in rgb[cell])
        return found

    def _draw_xray(self, layer: LayerGeometry, cells: np.ndarray) -> None:
        name = f"xray:{layer.layer_id}"
        self.view.plotter.remove_actor(name, render=False)
        self.view.actors.pop(name, None)
        if not cells.any():
            return
        copy = layer.mesh.extract_cells(np.flatnonzero(cells))
        actor = self.view.plotter.add_mesh(
            copy, name=name, color=XRAY_COLOUR, opacity=XRAY_OPACITY, pickable=False,
            reset_camera=False, render=False, lighting=True)
        self.view.actors[name] = [actor]
        self._clip(actor, self._planes(self.workspace.section))

    # -- sections -----------------------------------------------------------------------------

    def _planes(self, section: SectionState | None) -> list[vtkPlane] | None:
        """Return clipping planes in world coordinates (exaggeration applied).

        Each keeps the side its normal points to.
        """
        if section is None:
            return None
        scale = np.array([1.0, 1.0, self.view.exaggeration])
        if section.kind == "plane":
            pairs = [(np.asarray(section.origin), np.asarray(section.normal))]
        else:
            xmin, xmax, ymin, ymax, zmin, zmax = section.bounds
            pairs = [((xmin, 0, 0), (1, 0, 0)), ((xmax, 0, 0), (-1, 0, 0)),
                     ((0, ymin, 0), (0, 1, 0)), ((0, ymax, 0), (0, -1, 0)),
                     ((0, 0, zmin), (0, 0, 1)), ((0, 0, zmax), (0, 0, -1))]
        planes = []
        for origin, normal in pairs:
            plane = vtkPlane()
            plane.SetOrigin(*(np.asarray(origin, dtype=float) * scale))
            plane.SetNormal(*(np.asarray(normal, dtype=float) / scale))  # normals: inverse scale
            planes.append(plane)
        return planes

    def _clip(self, actor: Any, planes: list[Any] | None) -> None:
        mapper = actor.GetMapper() if hasattr(actor, "GetMapper") else None
        if mapper is None or not hasattr(mapper, "RemoveAllClippingPlanes"):
            return
        mapper.RemoveAllClippingPlanes()
        for plane in planes or []:
            mapper.AddClippingPlane(plane)

    def _apply_section(self, section: SectionState | None) -> None:
        planes = self._planes(section)
        for layer_id, actors in self.view.actors.items():
            if layer_id in self.view.label_layers:
                continue
            for actor in actors:
                self._clip(actor, planes)
        self.view.plotter.render()

    # -- camera -------------------------------------------------------------------------------

    def item_bounds(self, item: str) -> tuple[float, ...] | None:
        """Return an item's bounds in the local frame (z as drawn), or ``None`` if not drawn."""
        for layer in self.view.geometry.layers:
            if item in layer.items:
                cells = self._cells_of(layer, frozenset([item]))
                if not cells.any():
                    return None
                part = layer.mesh.extract_cells(np.flatnonzero(cells))
                xmin, xmax, ymin, ymax, zmin, zmax = part.bounds
                exaggeration = self.view.exaggeration
                return (xmin, xmax, ymin, ymax, zmin * exaggeration, zmax * exaggeration)
        return None

    def fly_to(self, item: str, steps: int = 1) -> bool:
        """Aim the camera at an item so that it fills about half the view; return success."""
        bounds = self.item_bounds(item)
        if bounds is None:
            return False
        lows, highs = np.array(bounds[0::2]), np.array(bounds[1::2])
        centre = (lows + highs) / 2
        radius = max(float(np.linalg.norm(highs - lows)) / 2, 2.0)
        camera = self.view.plotter.camera
        direction = np.array(camera.position) - np.array(camera.focal_point)
        length = float(np.linalg.norm(direction))
        direction = direction / length if length > 0 else np.array([-0.5, -0.8, 0.6])
        distance = radius / np.tan(np.radians(camera.view_angle) / 2) * 2.0
        target = centre + direction * distance
        start_focal, start_position = np.array(camera.focal_point), np.array(camera.position)
        for step in range(1, steps + 1):
            t = step / steps
            camera.focal_point = tuple(start_focal + (centre - start_focal) * t)
            camera.position = tuple(start_position + (target - start_position) * t)
            self.view.plotter.renderer.ResetCameraClippingRange()
            if steps > 1:
                self.view.plotter.render()
        self.view.plotter.render()
        return True


def section_through(bounds: tuple[float, ...], axis: str = "x",
                    fraction: float = 0.5) -> SectionState:
    """Return a plane section across ``bounds`` (local frame), normal along ``axis``."""
    index = "xyz".index(axis)
    lows, highs = np.array(bounds[0::2]), np.array(bounds[1::2])
    origin = (lows + highs) / 2
    origin[index] = lows[index] + (highs[index] - lows[index]) * fraction
    normal = np.zeros(3)
    normal[index] = 1.0
    return SectionState(kind="plane", origin=tuple(origin), normal=tuple(normal))


def section_box_around(bounds: tuple[float, ...], shrink: float = 0.25) -> SectionState:
    """Return a box section: ``bounds`` shrunk by ``shrink`` of its size on every side in plan."""
    xmin, xmax, ymin, ymax, zmin, zmax = bounds
    dx, dy = (xmax - xmin) * shrink, (ymax - ymin) * shrink
    return SectionState(kind="box", bounds=(xmin + dx, xmax - dx, ymin + dy, ymax - dy,
                                            zmin, zmax))
