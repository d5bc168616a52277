"""Turn a tessellated IFC model into one batched, pickable mesh in the scene's local frame.

Every instance is transformed to map coordinates (the model's own IfcMapConversion, or the
scene's placement), reprojected into the scene CRS when the model uses another, shifted to the
scene origin in float64, and merged into a single PolyData: one actor for the whole model, with an
``item_index`` per triangle so a click still finds its element.
"""

from __future__ import annotations

import logging

import numpy as np
import pyvista as pv

from twin_app.core.errors import AssetLoadError
from twin_app.core.geo import SceneFrame
from twin_app.core.progress import Feedback
from twin_app.core.scene import AssetSpec
from twin_app.core.scene_loader import SceneDocument
from twin_app.core.workspace import item_id
from twin_app.io.ifc import load_ifc_model
from twin_app.io.ifc.geometry import transform_points
from twin_app.io.ifc.model import IfcModel

logger = logging.getLogger(__name__)

ITEM_INDEX = "item_index"
"""Cell array that maps each cell of a selectable mesh to an entry of its layer's items."""


def model_to_map(model: IfcModel, asset: AssetSpec, frame: SceneFrame,
                 points: np.ndarray) -> np.ndarray:
    """Return model-space points (metres) in the scene's map coordinates, float64."""
    if asset.georeferencing == "ifc":
        georef = model.georeference
        if georef is None:
            msg = (f"{model.path}: asset {asset.id!r} asks for the model's own georeferencing, "
                   "but the file has no IfcMapConversion / ePSet_MapConversion")
            raise AssetLoadError(msg, hint="give the asset a 'placement' in scene.toml instead")
        if georef.crs in (None, frame.crs):
            return georef.local_to_map(points)
        return georef.to_crs(points, frame.crs)
    assert asset.placement is not None
    return asset.placement.to_map(points)


def load_ifc_asset(
    document: SceneDocument, asset: AssetSpec, frame: SceneFrame, feedback: Feedback | None = None
) -> tuple[pv.PolyData, list[str], IfcModel]:
    """Load an IFC asset and return its batched mesh, its item ids and the model.

    Raises
    ------
    AssetLoadError
        If the file cannot be read or placed (the message names the file).
    """
    assert asset.file is not None
    model = load_ifc_model(document.resolve(asset.file), feedback=feedback)
    element_items: dict[int, int] = {}
    items: list[str] = []
    points: list[np.ndarray] = []
    faces: list[np.ndarray] = []
    item_of_cell: list[np.ndarray] = []
    colours: list[np.ndarray] = []
    offset = 0
    for k in range(len(model.instances)):
        element = int(model.instances.element[k])
        mesh = model.meshes[int(model.instances.mesh[k])]
        if mesh.n_triangles == 0:
            continue
        if element not in element_items:
            element_items[element] = len(items)
            items.append(item_id("part", asset.id, model.elements[element].global_id))
        world = transform_points(model.instances.matrix[k], mesh.vertices)
        points.append(frame.map_to_local(model_to_map(model, asset, frame, world)))
        triangles = mesh.triangles.astype(np.int64) + offset
        faces.append(np.column_stack((np.full(len(triangles), 3), triangles)).ravel())
        item_of_cell.append(np.full(len(triangles), element_items[element], dtype=np.int32))
        colours.append((np.clip(mesh.triangle_colours()[:, :3], 0, 1) * 255).round())
        offset += len(mesh.vertices)
    if not points:
        return pv.PolyData(), items, model
    batched = pv.PolyData(np.vstack(points), faces=np.concatenate(faces))
    batched.cell_data[ITEM_INDEX] = np.concatenate(item_of_cell)
    batched.cell_data["rgb"] = np.vstack(colours).astype(np.uint8)
    logger.info("IFC asset %s: %d elements, %d triangles in one mesh", asset.id, len(items),
                batched.n_cells)
    return batched, items, model
