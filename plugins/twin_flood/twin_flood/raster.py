"""Raster preparation for the flood plugin: DEM resampling, masks, connected fills, cropping.

Arrays here follow :mod:`twin_flood.grid` (row 0 north, ``origin = (x_west, y_north)``, the
outer corner); the plugin flips them to the platform's south-up convention on output only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

__all__ = ["Raster", "area_weights", "blocked_faces", "connected", "crop_box", "near_line",
           "read_raster", "resample_mean", "within"]

logger = logging.getLogger(__name__)

Bool2D = NDArray[np.bool_]


@dataclass(frozen=True)
class Raster:
    """A north-up raster of square cells: heights (NaN: no data), cell size and outer corner."""

    z: NDArray[np.float64]
    dx: float
    x_west: float
    y_north: float

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)``."""
        rows, cols = self.z.shape
        return rows, cols

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the outer edges."""
        rows, cols = self.shape
        return (self.x_west, self.y_north - rows * self.dx, self.x_west + cols * self.dx,
                self.y_north)

    def centres(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return the x and y of every cell centre, each ``(rows, cols)``."""
        rows, cols = self.shape
        x = self.x_west + (np.arange(cols) + 0.5) * self.dx
        y = self.y_north - (np.arange(rows) + 0.5) * self.dx
        return np.meshgrid(x, y)

    def crop(self, rows: slice, cols: slice) -> Raster:
        """Return the window ``[rows, cols]`` (contiguous slices) as a raster."""
        r0 = rows.start or 0
        c0 = cols.start or 0
        return Raster(self.z[rows, cols].copy(), self.dx, self.x_west + c0 * self.dx,
                      self.y_north - r0 * self.dx)


def read_raster(path: str, cell_size_m: float) -> Raster:
    """Read a GeoTIFF DEM and resample it to square cells of ``cell_size_m`` (area means).

    A cell size below the DEM's own is not refined: the DEM's cells are used as they are.

    Raises
    ------
    twin_app.core.errors.AssetLoadError
        If the file cannot be read (from :func:`twin_app.io.dem.read_dem`).
    ValueError
        If the DEM's cells are not square.
    """
    from pathlib import Path

    from twin_app.io.dem import read_dem  # rasterio only where a DEM is read

    dem = read_dem(Path(path))
    sx, sy = dem.cell_size
    if abs(sx - sy) > 1e-6 * sx:
        raise ValueError(f"the DEM {path} has {sx:g} x {sy:g} m cells; the flood model needs "
                         "square cells")
    left, _, _, top = dem.bounds
    z = np.asarray(dem.heights, dtype=np.float64)
    if cell_size_m <= sx * (1.0 + 1e-9):
        if cell_size_m < sx * (1.0 - 1e-9):
            logger.info("cell_size_m %.3g m is below the DEM's %.3g m cells: using the DEM's",
                        cell_size_m, sx)
        return Raster(z.copy(), float(sx), float(left), float(top))
    return Raster(resample_mean(z, sx, cell_size_m), float(cell_size_m), float(left), float(top))


def area_weights(count: int, size: float, new_size: float) -> NDArray[np.float64]:
    """Return the overlap fractions ``W[j, i]`` of new cells ``j`` with old cells ``i`` (1-D).

    The new cells start at the same edge; the last partial new cell is dropped.
    """
    new_count = int(np.floor(count * size / new_size + 1e-9))
    old = np.arange(count + 1) * size
    new = np.arange(new_count + 1) * new_size
    low = np.maximum(new[:-1, None], old[None, :-1])
    high = np.minimum(new[1:, None], old[None, 1:])
    return np.clip(high - low, 0.0, None) / new_size


def resample_mean(z: NDArray[np.float64], size: float, new_size: float) -> NDArray[np.float64]:
    """Return the area-weighted mean of ``z`` on cells of ``new_size`` (NaN where mostly no data).

    Exact for any ratio of cell sizes (each old cell contributes by its overlap area), so the
    storage below any level is kept as well as the coarser cells allow.
    """
    rows, cols = z.shape
    wy = area_weights(rows, size, new_size)
    wx = area_weights(cols, size, new_size)
    valid = np.isfinite(z)
    filled = np.where(valid, z, 0.0)
    total = wy @ filled @ wx.T
    cover = wy @ valid.astype(np.float64) @ wx.T
    with np.errstate(invalid="ignore", divide="ignore"):
        out = total / cover
    out[cover < 0.5] = np.nan
    return out


def within(x: NDArray[np.float64], y: NDArray[np.float64],
           polygon: Sequence[Sequence[float]]) -> Bool2D:
    """Return which points ``(x, y)`` lie inside ``polygon`` (map coordinates)."""
    shape = shapely.Polygon(polygon)
    return np.asarray(shapely.contains_xy(shape, x, y), dtype=bool)


def near_line(x: NDArray[np.float64], y: NDArray[np.float64],
              line: Sequence[Sequence[float]], distance: float) -> Bool2D:
    """Return which points ``(x, y)`` lie within ``distance`` of a polyline."""
    shape = shapely.LineString(line).buffer(distance, cap_style="flat")
    return np.asarray(shapely.contains_xy(shape, x, y), dtype=bool)


def blocked_faces(shape: tuple[int, int], faces: Sequence[tuple[NDArray[np.int64], ...]]
                  ) -> tuple[Bool2D, Bool2D]:
    """Return masks of the x-faces and y-faces that structure lines block.

    ``faces`` holds ``(axis, row, col)`` index arrays (:class:`twin_flood.FaceSet`); the masks
    have shapes ``(rows, cols + 1)`` and ``(rows + 1, cols)``.
    """
    rows, cols = shape
    bx = np.zeros((rows, cols + 1), dtype=bool)
    by = np.zeros((rows + 1, cols), dtype=bool)
    for axis, row, col in faces:
        bx[row[axis == 0], col[axis == 0]] = True
        by[row[axis == 1], col[axis == 1]] = True
    return bx, by


def connected(allowed: Bool2D, seeds: Bool2D, bx: Bool2D, by: Bool2D) -> Bool2D:
    """Return the cells of ``allowed`` 4-connected to ``seeds`` without crossing blocked faces."""
    region = seeds & allowed
    open_x = ~bx[:, 1:-1]
    open_y = ~by[1:-1, :]
    while True:
        grow = np.zeros_like(region)
        grow[:, 1:] |= region[:, :-1] & open_x
        grow[:, :-1] |= region[:, 1:] & open_x
        grow[1:, :] |= region[:-1, :] & open_y
        grow[:-1, :] |= region[1:, :] & open_y
        new = grow & allowed & ~region
        if not new.any():
            return region
        region |= new


def crop_box(active: Bool2D, margin: int = 1) -> tuple[slice, slice]:
    """Return the row and column slices of the smallest window holding every active cell."""
    rows = np.flatnonzero(active.any(axis=1))
    cols = np.flatnonzero(active.any(axis=0))
    if rows.size == 0:
        return slice(0, active.shape[0]), slice(0, active.shape[1])
    r0, r1 = max(rows[0] - margin, 0), min(rows[-1] + 1 + margin, active.shape[0])
    c0, c1 = max(cols[0] - margin, 0), min(cols[-1] + 1 + margin, active.shape[1])
    return slice(int(r0), int(r1)), slice(int(c0), int(c1))
