"""Water surfaces: flat polygons that stand at a gauge's level.

Each surface is built once at z = 0 in the local frame; following a gauge only moves its actor
up or down, so a new level costs no geometry work.  Where the terrain is higher than the level the
terrain hides the surface, which is why the polygons can be generous.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv
import shapely
from shapely.geometry import Polygon

from twin_app.core.geo import SceneFrame
from twin_app.core.scene import Scene, WaterBodySpec
from twin_app.core.workspace import item_id

WATER_STYLE = {"color": "#2a73b8", "opacity": 0.55, "specular": 0.4, "smooth_shading": False}


def water_layer_id(body_id: str) -> str:
    """Return the layer id of a water body (the workspace uses the same)."""
    return item_id("water", body_id)


def polygon_surface(corners: list[tuple[float, float]], frame: SceneFrame) -> pv.PolyData:
    """Return the polygon (map coordinates) triangulated at z = 0 in the local frame."""
    polygon = Polygon(corners)
    if not polygon.is_valid:
        polygon = polygon.buffer(0)
    triangles = shapely.constrained_delaunay_triangles(polygon)
    points: list[tuple[float, float]] = []
    faces: list[int] = []
    for triangle in triangles.geoms:
        ring = list(triangle.exterior.coords)[:3]
        faces.extend([3, len(points), len(points) + 1, len(points) + 2])
        points.extend(ring)
    xy = frame.map_to_local(np.asarray(points, dtype=np.float64))
    xyz = np.column_stack((xy, np.zeros(len(xy))))
    return pv.PolyData(xyz, faces=np.asarray(faces, dtype=np.int64)).clean()


def initial_level(scene: Scene, body: WaterBodySpec) -> float:
    """Return the level a body shows before any reading arrives."""
    if body.default_level is not None:
        return body.default_level
    return scene.display.water_level if scene.display.water_level is not None else 0.0
