"""Cut IFC elements with the vertical plane of a section line: their outlines in the section.

Each triangle of an element's tessellated mesh that crosses the plane gives a segment; the
segments of one placed shape are polygonised (or, failing that, their convex hull is taken), and
an element's pieces are united and snapped to a millimetre grid.  Coordinates of the result are
``x`` (distance along the line from its start, m) and ``z`` (height, m).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import Polygon, box

from twin_app.io.ifc import IfcModel
from twin_app.io.sections import SectionFileError

logger = logging.getLogger(__name__)

WALL_CLASSES = frozenset({"IfcWall", "IfcFooting", "IfcSlab"})
FILL_CLASSES = frozenset({"IfcEarthworksFill"})
PILE_CLASSES = frozenset({"IfcPile"})
GRID = 1e-3
"""Coordinates of the cut structures and the ground are snapped to this grid (m)."""


@dataclass(frozen=True)
class Cut:
    """An IFC element cut by the section plane: its outline in section coordinates (x, z)."""

    global_id: str
    ifc_class: str
    name: str
    object_type: str
    polygon: Polygon

    @property
    def is_sheet_pile(self) -> bool:
        """Whether the element is a sheet-pile cut-off (not a bearing pile)."""
        text = f"{self.object_type} {self.name}".lower().replace("-", " ")
        return self.ifc_class in PILE_CLASSES and ("sheetpile" in text.replace(" ", "")
                                                   or "cut off" in text)


def line_frame(start: Sequence[float], end: Sequence[float]) -> tuple[NDArray[np.float64], ...]:
    """Return (start point, unit vector along, unit normal to the left, length) of a line.

    Raises
    ------
    SectionFileError
        If the line is shorter than a metre.
    """
    a, b = np.asarray(start[:2], dtype=np.float64), np.asarray(end[:2], dtype=np.float64)
    length = float(np.hypot(*(b - a)))
    if length < 1.0:
        raise SectionFileError(f"the section line is {length:.2f} m long; draw it across the "
                               "wall, at least a few metres")
    along = (b - a) / length
    return a, along, np.array([-along[1], along[0]]), np.array(length)


def cut_model(model: IfcModel, start: Sequence[float], end: Sequence[float], crs: str
              ) -> list[Cut]:
    """Return the walls, piles and fills of an IFC model cut by the vertical plane of a line.

    Parameters
    ----------
    model : IfcModel
        A tessellated, georeferenced model.
    start, end : sequence of float
        The line's map points (``crs``); ``x`` is measured from ``start``.
    crs : str
        The scene CRS.
    """
    origin, along, normal, length = line_frame(start, end)
    georef = model.georeference
    wanted = WALL_CLASSES | FILL_CLASSES | PILE_CLASSES
    pieces: dict[int, list[Polygon]] = {}
    for k in range(len(model.instances)):
        index = int(model.instances.element[k])
        if model.elements[index].ifc_class not in wanted:
            continue
        local = model.instance_vertices(k)
        if georef is None:
            world = local
        elif georef.crs and georef.crs != crs:
            world = georef.to_crs(local, crs)
        else:
            world = georef.local_to_map(local)
        flat = world[:, :2] - origin
        side = flat @ normal
        if side.min() > 0.0 or side.max() < 0.0:
            continue
        polygon = _slice(flat @ along, world[:, 2], side,
                         model.meshes[int(model.instances.mesh[k])].triangles)
        if polygon is not None:
            polygon = polygon.intersection(box(0.0, -1e4, float(length), 1e4))
            if polygon.area > 1e-6:
                pieces.setdefault(index, []).append(polygon)
    cuts = []
    for index, polygons in pieces.items():
        element = model.elements[index]
        outline = largest_polygon(shapely.simplify(
            shapely.set_precision(shapely.union_all(polygons), GRID), GRID / 10))
        if outline is not None:  # (a plain polygon: later overlays in floating precision)
            outline = Polygon(outline.exterior.coords)
            cuts.append(Cut(element.global_id, element.ifc_class, element.name or "",
                            element.object_type or "", outline))
    return cuts


def _slice(s: NDArray[np.float64], z: NDArray[np.float64], side: NDArray[np.float64],
           triangles: NDArray[np.int32]) -> Polygon | None:
    """Return the outline where a closed triangle mesh meets the plane ``side = 0``."""
    if not len(triangles):
        return None
    d = side[triangles]
    above = d >= 0.0
    mixed = above.any(axis=1) & ~above.all(axis=1)
    points = []
    for tri, dist, up in zip(triangles[mixed], d[mixed], above[mixed], strict=True):
        ends = []
        for i, j in ((0, 1), (1, 2), (2, 0)):
            if up[i] != up[j]:
                t = dist[i] / (dist[i] - dist[j])
                a, b = tri[i], tri[j]
                ends.append((s[a] + t * (s[b] - s[a]), z[a] + t * (z[b] - z[a])))
        if len(ends) == 2:
            points.append(ends)
    if not points:
        return None
    segments = np.round(np.asarray(points), 6)
    polygons = shapely.polygonize(list(shapely.linestrings(segments)))
    found = [geom for geom in shapely.get_parts(polygons) if geom.area > 1e-9]
    if found:
        return largest_polygon(shapely.union_all(found))
    hull = shapely.MultiPoint(segments.reshape(-1, 2)).convex_hull
    return hull if isinstance(hull, Polygon) and hull.area > 1e-9 else None


def largest_polygon(geometry: shapely.Geometry) -> Polygon | None:
    """Return the largest polygon of a geometry (the others are logged), or ``None``."""
    parts = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon) and g.area > 1e-9]
    if not parts:
        return None
    parts.sort(key=lambda g: -g.area)
    if len(parts) > 1:
        logger.info("a cut element falls in %d pieces; the largest is kept", len(parts))
    return parts[0]
