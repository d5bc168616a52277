"""A scene's terrain as tiled layers: detailed DEM, context DEM around it, structures cut in.

:func:`add_tiled_terrain` replaces the single-mesh ``terrain`` layer of a
:class:`~twin_app.render.view.SceneView` with :class:`~twin_app.render.terrain_tiles.
TerrainTileLayer` objects that follow the camera; :func:`set_vertical_exaggeration` scales the
whole scene vertically.  No Qt here.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from twin_app.core.footprints import (
    Footprint,
    element_footprints,
    ground_footprints,
    scene_footprints,
)
from twin_app.core.geo import SceneFrame
from twin_app.core.scene_loader import SceneDocument
from twin_app.core.workspace import item_id
from twin_app.io.dem_tiles import DemTileSource
from twin_app.io.vectors import read_geojson
from twin_app.render.colours import hex_to_rgb8
from twin_app.render.ifc_layer import ITEM_INDEX
from twin_app.render.terrain_mesh import Overlay
from twin_app.render.terrain_tiles import TerrainTileLayer

logger = logging.getLogger(__name__)

CONTEXT_DROP_M = 0.3
"""The context DEM is drawn this much lower, so the detailed DEM wins where they overlap."""


def datum_offset(document: SceneDocument) -> float:
    """Return what to add to the scene's terrain files' heights to give the scene datum."""
    spec = document.spec
    if spec.terrain is None or spec.terrain.heights_datum == "scene":
        return 0.0
    # h_1985 = h_scene + to_nhd1985  =>  h_scene = h_1985 - to_nhd1985
    return -spec.vertical_datum.to_nhd1985_m


def structure_footprints(document: SceneDocument, geometry: Any | None = None) -> list[Footprint]:
    """Return the footprints the terrain is clamped under: placeholder boxes and IFC elements.

    IFC elements come from the scene geometry's model meshes (one minimum rotated rectangle per
    element), so a model of many structures (walls on both banks and a gate) cuts the terrain
    only where its elements stand.
    """
    spec = document.spec
    footprints = scene_footprints(spec)
    if geometry is not None:
        frame: SceneFrame = geometry.frame
        for asset in spec.assets:
            if asset.kind != "ifc":
                continue
            layer = geometry.layer(item_id("asset", asset.id))
            mesh = layer.mesh
            if mesh.n_points == 0 or ITEM_INDEX not in mesh.cell_data:
                continue
            if not mesh.is_all_triangles:
                mesh = mesh.triangulate()
            faces = np.asarray(mesh.regular_faces)
            cell_item = np.asarray(mesh.cell_data[ITEM_INDEX])
            standing = ~np.isin(cell_item, _buried_items(layer.items,
                                                         geometry.models.get(asset.id)))
            faces = faces[standing]
            element = np.repeat(cell_item[standing], faces.shape[1])
            points = frame.local_to_map(np.asarray(mesh.points, dtype=np.float64))
            footprints.extend(element_footprints(
                asset.id, asset.name.en, points[faces.ravel()], element))
    return ground_footprints(footprints)


BURIED_CLASSES = frozenset({"IfcPile", "IfcFooting", "IfcDeepFoundation",
                            "IfcGeotechnicalElement", "IfcGeotechnicalStratum"})
"""IFC classes built to be buried: they do not cut the terrain."""


def _buried_items(items: list[str], model: Any) -> NDArray[np.int64]:
    """Return the item indices of a model's foundation elements (piles, footings)."""
    if model is None:
        return np.zeros(0, dtype=np.int64)
    buried = []
    for index, item in enumerate(items):
        try:
            element = model.elements[model.element_index(item.rsplit(":", 1)[-1])]
        except KeyError:
            continue
        if element.ifc_class in BURIED_CLASSES:
            buried.append(index)
    return np.asarray(buried, dtype=np.int64)


@dataclass
class TiledTerrain:
    """The tiled terrain layers of one scene in one plotter."""

    layers: list[TerrainTileLayer]
    executor: ThreadPoolExecutor
    footprints: list[Footprint] = field(default_factory=list)

    def update(self) -> int:
        """Select tiles for the current camera; return how many are still loading."""
        return sum(layer.update() for layer in self.layers)

    def poll(self) -> bool:
        """Show finished tiles; return whether anything changed."""
        changed = False
        for layer in self.layers:
            changed |= layer.poll()
        return changed

    def refresh(self, timeout: float = 120.0) -> None:
        """Select, load and show every tile for the current camera (blocking)."""
        for layer in self.layers:
            layer.update()
        for layer in self.layers:
            layer.wait(timeout)

    def set_visible(self, visible: bool) -> None:
        """Show or hide the terrain."""
        for layer in self.layers:
            layer.set_visible(visible)

    def triangle_count(self) -> int:
        """Return the triangles drawn."""
        return sum(layer.triangle_count() for layer in self.layers)

    def close(self) -> None:
        """Remove the actors and stop the worker pool."""
        for layer in self.layers:
            layer.close()
        self.executor.shutdown(wait=True, cancel_futures=True)


def add_tiled_terrain(view: Any, document: SceneDocument, *, pixel_error: float = 8.0,
                      tile_cells: int = 64, workers: int = 2) -> TiledTerrain | None:
    """Draw a scene's terrain as tiled layers in a SceneView and hide its single mesh.

    Parameters
    ----------
    view : SceneView
        The view (its ``plotter`` and ``geometry`` are used; its ``terrain`` actor is hidden).
    document : SceneDocument
        The scene (``terrain.detail`` or ``terrain.file``, and ``terrain.context``).
    pixel_error : float
        Screen-space error threshold.
    tile_cells : int
        Cells a side of a tile.  64 rather than 128: the selection refines in smaller steps, so
        the same screen-space error is met with half the triangles (Xinchuansha's default view:
        275,000 instead of 535,000, frame 43 ms instead of 50 ms on llvmpipe).
    workers : int
        Threads reading and meshing tiles.

    Returns
    -------
    TiledTerrain or None
        ``None`` when the scene has no terrain.
    """
    spec = document.spec
    if spec.terrain is None:
        return None
    frame = SceneFrame.from_scene(spec)
    offset = datum_offset(document)
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dem-tiles")
    footprints = structure_footprints(document, getattr(view, "geometry", None))
    main_file = spec.terrain.detail or spec.terrain.file
    main = DemTileSource(document.resolve(main_file), spec.crs.horizontal, tile_cells, offset)
    overlays = polygon_overlays(document)
    imagery = (document.resolve(spec.terrain.imagery) if spec.terrain.imagery is not None
               else None)
    layers = [TerrainTileLayer(view.plotter, main, frame, footprints, executor, pixel_error,
                               overlays=overlays, imagery=imagery, name="terrain-detail")]
    if spec.terrain.context is not None:
        context = DemTileSource(document.resolve(spec.terrain.context), spec.crs.horizontal,
                                tile_cells, offset)
        layers.append(TerrainTileLayer(view.plotter, context, frame, (), executor, pixel_error,
                                       hole=main.bounds, z_shift=-CONTEXT_DROP_M,
                                       name="terrain-context"))
    for actor in getattr(view, "actors", {}).get("terrain", []):
        actor.SetVisibility(False)
    tiled = TiledTerrain(layers, executor, footprints)
    logger.info("tiled terrain of %s: %s", spec.id, ", ".join(
        f"{layer.source.path.name} ({layer.source.max_level + 1} levels)" for layer in layers))
    return tiled


def polygon_overlays(document: SceneDocument, fill_opacity: float = 0.3) -> list[Overlay]:
    """Return the polygon features of the scene's vector layers as terrain tints.

    Lines are drawn as draped lines by the scene geometry; polygons (polders, warning zones)
    are also tinted into the terrain's colours under them, in the layer's colour.
    """
    spec = document.spec
    overlays: list[Overlay] = []
    for layer in spec.layers:
        features = read_geojson(document.resolve(layer.file), spec.crs.horizontal)
        polygons = [f.geometry for f in features
                    if f.geometry.geom_type in ("Polygon", "MultiPolygon")]
        if polygons:
            rgb = tuple(int(v) for v in hex_to_rgb8(layer.style.color))
            overlays.append(Overlay(shapely.union_all(polygons), rgb,  # type: ignore[arg-type]
                                    fill_opacity * layer.style.opacity))
    return overlays


def set_vertical_exaggeration(plotter: Any, factor: float, view: Any | None = None) -> None:
    """Scale the whole scene vertically by ``factor`` (every actor's transform).

    Actors placed at a height (water surfaces) keep their place relative to the terrain: their
    z position is rescaled from the previous factor.  Give the :class:`SceneView` as ``view`` so
    that its picking and later water levels use the new factor.
    """
    if factor <= 0:
        raise ValueError(f"vertical exaggeration must be positive, not {factor}")
    renderer = plotter.renderer
    old = float(getattr(renderer, "scale", (1.0, 1.0, 1.0))[2]) or 1.0
    for actor in renderer.actors.values():
        if not hasattr(actor, "SetScale"):
            continue
        x, y, z = actor.GetPosition()
        if z:
            actor.SetPosition(x, y, z / old * factor)
    plotter.set_scale(zscale=factor, reset_camera=False, render=False)
    if view is not None:
        view.exaggeration = factor
