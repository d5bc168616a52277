"""The coordinates BCF speaks: the IFC model's world (engineering) coordinates, in metres.

BCF cameras, clipping planes and lines are in the IFC model's world coordinate system, not in the
scene's map coordinates and never in the render frame shifted to the scene origin (the bug that
hit ifc-lite and Bonsai, reference/ifc.md).  :class:`ModelFrame` converts between the two:

- an asset with ``georeferencing = "ifc"``: the model's own IfcMapConversion
  (:meth:`~twin_app.io.ifc.georef.Georeference.map_to_local`), reprojecting first with pyproj if
  the model's CRS is not the scene's;
- an asset with a ``placement``: the inverse of that placement;
- a scene without IFC models: map coordinates unchanged (said in :attr:`ModelFrame.description`).

With several IFC models in a scene, the **first IFC asset** of the scene defines the frame: BCF has
one world coordinate system per file, and the works' models share one CRS anyway.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from twin_app.core.errors import AssetLoadError
from twin_app.core.scene import AssetSpec, Placement, turn_about_z
from twin_app.core.scene_loader import SceneDocument
from twin_app.io.ifc.georef import Georeference, read_georeference

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IfcFileInfo:
    """What a BCF markup's Header says about the model a topic refers to."""

    filename: str
    project_guid: str | None
    path: Path | None = None


@dataclass(frozen=True)
class ModelFrame:
    """Map coordinates of a scene <-> the IFC model's world coordinates (both float64 metres).

    Attributes
    ----------
    description : str
        Which model (and how) defines the frame, for logs and reports.
    georeference : Georeference or None
        The model's map conversion, when the asset is placed by it.
    placement : Placement or None
        The scene's placement of the model, when the asset is placed that way.
    scene_crs : str or None
        The scene's CRS (the model's is reprojected to it when they differ).
    model : IfcFileInfo or None
        The model the frame belongs to.
    """

    description: str
    georeference: Georeference | None = None
    placement: Placement | None = None
    scene_crs: str | None = None
    model: IfcFileInfo | None = None

    def _reprojects(self) -> bool:
        georef = self.georeference
        return bool(georef is not None and georef.crs and self.scene_crs
                    and georef.crs != self.scene_crs)

    def to_model(self, points: ArrayLike) -> NDArray[np.float64]:
        """Convert map coordinates (n, 3) to the model's world coordinates (n, 3)."""
        array = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        if self.georeference is not None:
            if self._reprojects():
                from pyproj import Transformer

                transformer = Transformer.from_crs(self.scene_crs, self.georeference.crs,
                                                   always_xy=True)
                x, y = transformer.transform(array[:, 0], array[:, 1])
                array = np.column_stack([x, y, array[:, 2]])
            return self.georeference.map_to_local(array)
        if self.placement is not None:
            p = self.placement
            shifted = array - np.array([p.easting, p.northing, p.height])
            return turn_about_z(shifted, -p.rotation_deg)
        return array.copy()

    def to_map(self, points: ArrayLike) -> NDArray[np.float64]:
        """Convert the model's world coordinates (n, 3) to map coordinates (n, 3)."""
        array = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        if self.georeference is not None:
            if self._reprojects():
                assert self.scene_crs is not None
                return self.georeference.to_crs(array, self.scene_crs)
            return self.georeference.local_to_map(array)
        if self.placement is not None:
            return self.placement.to_map(array)
        return array.copy()

    def direction_to_model(self, direction: ArrayLike, at: ArrayLike) -> NDArray[np.float64]:
        """Turn a unit direction given in map axes at map point ``at`` into model axes."""
        return _unit(self.to_model(np.add(at, direction))[0] - self.to_model(at)[0])

    def direction_to_map(self, direction: ArrayLike, at: ArrayLike) -> NDArray[np.float64]:
        """Turn a unit direction given in model axes at model point ``at`` into map axes."""
        return _unit(self.to_map(np.add(at, direction))[0] - self.to_map(at)[0])

    def length_to_model(self, length: float) -> float:
        """Convert a length in map metres to model metres (the map conversion's scale)."""
        if self.georeference is None:
            return length
        probe = self.to_model([[0.0, 0.0, 0.0], [length, 0.0, 0.0]])
        return float(np.linalg.norm(probe[1] - probe[0]))

    def length_to_map(self, length: float) -> float:
        """Convert a length in model metres to map metres."""
        if self.georeference is None:
            return length
        probe = self.to_map([[0.0, 0.0, 0.0], [length, 0.0, 0.0]])
        return float(np.linalg.norm(probe[1] - probe[0]))


def _unit(vector: NDArray[np.float64]) -> NDArray[np.float64]:
    norm = float(np.linalg.norm(vector))
    if norm == 0.0 or not math.isfinite(norm):
        return np.array([0.0, 0.0, 1.0])
    return vector / norm


def first_ifc_asset(document: SceneDocument) -> AssetSpec | None:
    """Return the scene's first IFC asset (the one whose frame BCF uses), if it has one."""
    for asset in document.spec.assets:
        if asset.kind == "ifc" and asset.file is not None:
            return asset
    return None


def model_frame_for_scene(document: SceneDocument) -> ModelFrame:
    """Return the frame BCF files of ``document`` use: the first IFC asset's world coordinates.

    Raises
    ------
    AssetLoadError
        If that asset asks for the model's own georeferencing and the file has none.
    """
    import ifcopenshell

    crs = document.spec.crs.horizontal
    asset = first_ifc_asset(document)
    if asset is None:
        logger.warning("scene %s has no IFC model: BCF cameras are in its map coordinates",
                       document.spec.id)
        return ModelFrame(description=f"no IFC model in scene {document.spec.id}: "
                          f"map coordinates ({crs})", scene_crs=crs)
    assert asset.file is not None
    path = document.resolve(asset.file)
    try:
        ifc_file = ifcopenshell.open(str(path))
    except (OSError, RuntimeError, ifcopenshell.Error) as error:
        raise AssetLoadError(f"{path}: cannot be opened ({error})",
                             hint="check the asset's file in scene.toml") from None
    projects = ifc_file.by_type("IfcProject")
    info = IfcFileInfo(filename=path.name,
                       project_guid=projects[0].GlobalId if projects else None, path=path)
    if asset.georeferencing == "placement" and asset.placement is not None:
        return ModelFrame(description=f"{path.name} placed by the scene (asset {asset.id})",
                          placement=asset.placement, scene_crs=crs, model=info)
    georef = read_georeference(ifc_file, check_area=False)
    if georef is None:
        raise AssetLoadError(f"{path}: asset {asset.id!r} is placed by its own "
                             "georeferencing, but the file has no IfcMapConversion",
                             hint="give the asset a 'placement' in scene.toml")
    return ModelFrame(description=f"{path.name} world coordinates (IfcMapConversion to "
                      f"{georef.crs or georef.crs_name}, asset {asset.id})",
                      georeference=georef, scene_crs=crs, model=info)


def global_ids_by_asset(document: SceneDocument) -> dict[str, str]:
    """Return ``{GlobalId: asset id}`` of the products of every IFC asset of the scene.

    The BCF reader uses it to turn component GlobalIds back into item ids
    (``part:<asset>:<GlobalId>``).
    """
    import ifcopenshell

    found: dict[str, str] = {}
    for asset in document.spec.assets:
        if asset.kind != "ifc" or asset.file is None:
            continue
        try:
            ifc_file = ifcopenshell.open(str(document.resolve(asset.file)))
        except (OSError, RuntimeError, ifcopenshell.Error) as error:
            logger.warning("asset %s: cannot list GlobalIds (%s)", asset.id, error)
            continue
        for product in ifc_file.by_type("IfcProduct"):
            found.setdefault(product.GlobalId, asset.id)
    return found
