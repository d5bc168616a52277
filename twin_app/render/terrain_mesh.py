"""One terrain tile as a mesh: heights to quads, colours, tints, skirts, structures cut in.

:func:`tile_arrays` uses only numpy and shapely, so worker threads build tiles while the GUI
thread renders; :meth:`TileArrays.to_polydata` makes the VTK object on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyvista as pv
import shapely
from numpy.typing import NDArray

from twin_app.core.footprints import Footprint, clamp_under
from twin_app.core.geo import SceneFrame
from twin_app.io.dem_tiles import TileData
from twin_app.render.terrain_colours import shaded_colours


@dataclass(frozen=True)
class Overlay:
    """A polygon layer tinted onto the terrain (draped exactly, per vertex).

    Attributes
    ----------
    geometry : shapely geometry
        Polygons in map coordinates.
    rgb : tuple of int
        The tint.
    opacity : float
        How strongly the tint replaces the terrain colour (0..1).
    """

    geometry: Any
    rgb: tuple[int, int, int]
    opacity: float = 0.3


@dataclass(frozen=True)
class TileArrays:
    """A tile's mesh as plain arrays (built in a worker; no VTK object there)."""

    points: NDArray[np.float64]
    faces: NDArray[np.int64]
    rgb: NDArray[np.uint8]
    height: NDArray[np.float32]

    def to_polydata(self) -> pv.PolyData:
        """Return the mesh as PolyData (on the GUI thread)."""
        mesh = pv.PolyData(self.points, faces=self.faces)
        mesh.point_data["rgb"] = self.rgb
        mesh.point_data["height"] = self.height
        return mesh


def tile_mesh(tile: TileData, frame: SceneFrame, footprints: Sequence[Footprint] = (),
              **options: Any) -> pv.PolyData:
    """Return one tile as a quad mesh in the local frame (see :func:`tile_arrays`)."""
    return tile_arrays(tile, frame, footprints, **options).to_polydata()


def tile_arrays(tile: TileData, frame: SceneFrame, footprints: Sequence[Footprint] = (),
              colour: Callable[[NDArray[np.float32], float], NDArray[np.uint8]] | None = None,
              hole: tuple[float, float, float, float] | None = None,
              z_shift: float = 0.0, skirt: float = 0.0,
              skirt_sides: tuple[bool, bool, bool, bool] = (True, True, True, True),
              overlays: Sequence[Overlay] = ()) -> TileArrays:
    """Return one tile's quad mesh in the local frame, with per-vertex ``rgb``, as arrays.

    Only numpy and shapely work here, so it runs in worker threads while the GUI thread renders
    (creating VTK objects off the GUI thread during a render can deadlock).

    Parameters
    ----------
    tile : TileData
        Node heights (NaN: no data; such quads are left out).
    frame : SceneFrame
        Gives the origin subtracted in float64.
    footprints : sequence of Footprint
        Structures the terrain is kept between the base and crest of (none buried or floating).
    colour : callable, optional
        ``colour(heights, cell) -> (rows, cols, 3) uint8``; hillshaded hypsometric by default.
    hole : tuple of float, optional
        Map bounds whose inside quads are left out (where a finer DEM is drawn).
    z_shift : float
        Added to the drawn heights (a context DEM sits a little below the detailed one).
    skirt : float
        Depth of the skirts hung from the tile's edges (they hide cracks between tiles of
        different levels); 0 for none.
    skirt_sides : tuple of bool
        Which edges (north, south, west, east) get a skirt (not those on the DEM's border).
    overlays : sequence of Overlay
        Polygon layers tinted onto the vertices they cover.
    """
    heights = np.array(tile.heights, dtype=np.float32)
    x, y = tile.node_coordinates()
    if footprints:
        clamp_under(heights, x, y, footprints, margin=0.5 * abs(tile.transform.a))
    rows, cols = heights.shape
    cell = abs(tile.transform.a)
    rgb = (colour or shaded_colours)(heights, cell)
    if overlays:
        map_x, map_y = np.meshgrid(x, y)
        for overlay in overlays:
            inside = shapely.contains_xy(overlay.geometry, map_x, map_y)
            if inside.any():
                tint = np.asarray(overlay.rgb, dtype=np.float32)
                blended = rgb[inside] * (1.0 - overlay.opacity) + tint * overlay.opacity
                rgb[inside] = blended.astype(np.uint8)
    rgb = rgb.reshape(-1, 3)
    xx, yy = np.meshgrid(x - frame.origin[0], y - frame.origin[1])
    zz = np.where(np.isnan(heights), 0.0, heights.astype(np.float64)) - frame.origin[2] + z_shift
    points = np.column_stack((xx.ravel(), yy.ravel(), zz.ravel()))
    index = np.arange(rows * cols).reshape(rows, cols)
    a, b = index[:-1, :-1].ravel(), index[:-1, 1:].ravel()
    c, d = index[1:, 1:].ravel(), index[1:, :-1].ravel()
    keep = np.ones(a.size, dtype=bool)
    nan = np.isnan(heights).ravel()
    if nan.any():
        keep &= ~(nan[a] | nan[b] | nan[c] | nan[d])
    if hole is not None:
        left, bottom, right, top = hole
        inside = ((x[None, :] > left) & (x[None, :] < right)
                  & (y[:, None] > bottom) & (y[:, None] < top)).ravel()
        keep &= ~(inside[a] & inside[b] & inside[c] & inside[d])
    quads = np.column_stack((a[keep], b[keep], c[keep], d[keep]))
    values = heights.ravel()
    if skirt > 0:
        edges = (index[0, :], index[-1, ::-1], index[::-1, 0], index[:, -1])
        extra_quads, extra_points = [quads], [points]
        count = points.shape[0]
        for edge, wanted in zip(edges, skirt_sides, strict=True):
            if not wanted:
                continue
            edge = edge[~nan[edge]]
            if edge.size < 2:
                continue
            lowered = points[edge] - np.array([0.0, 0.0, skirt])
            new = np.arange(count, count + edge.size)
            extra_points.append(lowered)
            extra_quads.append(np.column_stack((edge[:-1], edge[1:], new[1:], new[:-1])))
            rgb = np.vstack((rgb, rgb[edge]))
            values = np.concatenate((values, values[edge]))
            count += edge.size
        points, quads = np.vstack(extra_points), np.vstack(extra_quads)
    faces = np.column_stack((np.full(len(quads), 4), quads)).ravel().astype(np.int64)
    return TileArrays(points, faces, np.ascontiguousarray(rgb, dtype=np.uint8),
                      np.asarray(values, dtype=np.float32))
