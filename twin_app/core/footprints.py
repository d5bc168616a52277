"""Structure footprints: where a model stands on the map, its base and its crest.

The terrain under a structure is kept between the structure's base and crest, so that no model
is buried or left floating (:func:`clamp_under`); an elevation profile reports a structure's
crest where the line crosses its footprint.  Footprints of placeholder boxes come from the scene
file (:func:`scene_footprints`), those of IFC models from their meshes, one per element
(:func:`element_footprints`, called by the render layer).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import Polygon

from twin_app.core.scene import AssetSpec, Scene, turn_about_z


@dataclass(frozen=True)
class Footprint:
    """The plan outline of one structure (or element) with its lowest and highest levels.

    Attributes
    ----------
    item : str
        Who it is, e.g. ``"xcs_sluice/base_slab"`` or an asset id.
    name : str
        A readable name (English).
    polygon : shapely.Polygon
        The outline in map coordinates of the scene CRS.
    base, crest : float
        The lowest and highest level in the scene datum (metres).
    """

    item: str
    name: str
    polygon: Polygon
    base: float
    crest: float


def placeholder_footprints(asset: AssetSpec) -> list[Footprint]:
    """Return one footprint per box of a placeholder asset."""
    if asset.placement is None:
        return []
    out: list[Footprint] = []
    for part in asset.parts:
        dx, dy, dz = part.size
        corners = np.array([[-dx / 2, -dy / 2, 0], [dx / 2, -dy / 2, 0],
                            [dx / 2, dy / 2, 0], [-dx / 2, dy / 2, 0]], dtype=np.float64)
        corners = turn_about_z(corners, part.rotation_deg) + np.asarray(part.center)
        xyz = asset.placement.to_map(corners)
        base = asset.placement.height + part.center[2] - dz / 2
        out.append(Footprint(f"{asset.id}/{part.id}", part.name.en, Polygon(xyz[:, :2]),
                             float(base), float(base + dz)))
    return out


def scene_footprints(scene: Scene) -> list[Footprint]:
    """Return the footprints of every placeholder asset of a scene."""
    return [fp for asset in scene.assets if asset.kind == "placeholder"
            for fp in placeholder_footprints(asset)]


def box_footprint(item: str, name: str,
                  bounds: Sequence[float]) -> Footprint:
    """Return the footprint of an axis-aligned box ``(xmin, xmax, ymin, ymax, zmin, zmax)``."""
    xmin, xmax, ymin, ymax, zmin, zmax = (float(v) for v in bounds)
    return Footprint(item, name, shapely.box(xmin, ymin, xmax, ymax), zmin, zmax)


def element_footprints(asset_id: str, name: str, points: NDArray[np.float64],
                       element_of_point: NDArray[np.integer], min_area: float = 1.0,
                       ) -> list[Footprint]:
    """Return one footprint per element of a model mesh (minimum rotated rectangle of its plan).

    Parameters
    ----------
    asset_id, name : str
        The asset (footprint items are ``"<asset_id>/<element index>"``).
    points : ndarray, shape (n, 3)
        Mesh points in map coordinates.
    element_of_point : ndarray of int, shape (n,)
        The element each point belongs to.
    min_area : float
        Elements with a smaller plan (piles, bolts) are skipped.
    """
    out: list[Footprint] = []
    order = np.argsort(element_of_point, kind="stable")
    elements, starts = np.unique(element_of_point[order], return_index=True)
    for element, chunk in zip(elements, np.split(order, starts[1:]), strict=True):
        xyz = points[chunk]
        plan = shapely.MultiPoint(xyz[:, :2]).minimum_rotated_rectangle
        if plan.geom_type != "Polygon" or plan.area < min_area:
            continue
        out.append(Footprint(f"{asset_id}/{int(element)}", name, plan,
                             float(xyz[:, 2].min()), float(xyz[:, 2].max())))
    return out


def ground_footprints(footprints: Iterable[Footprint]) -> list[Footprint]:
    """Return, per structure, the lowest footprints: the boxes that stand on the ground.

    Boxes that sit on other boxes (hoist towers on piers, beams) do not flatten the terrain;
    a box counts when no other box of the same structure is lower under it.
    """
    items = list(footprints)
    kept: list[Footprint] = []
    for fp in items:
        owner = fp.item.split("/")[0]
        below = [other for other in items if other is not fp
                 and other.item.split("/")[0] == owner and other.crest <= fp.base + 0.01
                 and other.polygon.intersects(fp.polygon)]
        if not below:
            kept.append(fp)
    return kept


def clamp_under(heights: NDArray[np.floating], x: NDArray[np.float64],
                y: NDArray[np.float64], footprints: Iterable[Footprint],
                margin: float = 0.0) -> int:
    """Keep the terrain inside footprints between each structure's base and crest, in place.

    Terrain below a structure's base is raised to it (the structure does not float); terrain
    above its crest is cut down to it (the structure is not buried); terrain in between is left
    (a foundation is embedded, as built).

    Parameters
    ----------
    heights : ndarray, shape (rows, cols)
        Node heights, rows north to south (modified).
    x, y : ndarray
        The nodes' eastings (cols) and northings (rows).
    footprints : iterable of Footprint
        The structures (use :func:`ground_footprints` to skip boxes standing on boxes).
    margin : float
        Grow each outline by this many metres (half a cell keeps the edges under the model).

    Returns
    -------
    int
        How many nodes were changed.
    """
    changed = 0
    x_min, x_max, y_min, y_max = x.min(), x.max(), min(y[0], y[-1]), max(y[0], y[-1])
    for fp in footprints:
        outline = fp.polygon.buffer(margin, join_style="mitre") if margin > 0 else fp.polygon
        left, bottom, right, top = outline.bounds
        if right < x_min or left > x_max or top < y_min or bottom > y_max:
            continue
        cols = np.flatnonzero((x >= left) & (x <= right))
        rows = np.flatnonzero((y >= bottom) & (y <= top))
        if not cols.size or not rows.size:
            continue
        xx, yy = np.meshgrid(x[cols], y[rows])
        inside = shapely.contains_xy(outline, xx, yy)
        block = heights[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
        before = block[inside]
        after = np.clip(before, fp.base, fp.crest)
        changed += int(np.count_nonzero(after != before))
        block[inside] = after
    return changed
