"""Windowed, overview-backed reads of a large DEM as a quadtree of square tiles.

A :class:`DemTileSource` covers a DEM with a quadtree: level 0 is one tile over the whole raster,
each level below halves the tile's ground size, and the finest level reads full-resolution cells.
Every tile is read as ``tile_cells + 1`` samples a side (neighbours share their edge samples, so
the meshes meet without cracks) with ``out_shape``, which makes GDAL read from the file's internal
overviews for the coarse levels: a 10,000 x 10,000 DEM opens at once and costs only the tiles in
view.  A DEM in another CRS is read through a :class:`rasterio.vrt.WarpedVRT` into the scene CRS.

Reads are thread-safe: each thread opens its own dataset handle (GDAL handles are not shareable).
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from numpy.typing import NDArray
from rasterio.enums import Resampling
from rasterio.errors import RasterioError
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window

from twin_app.core.errors import AssetLoadError
from twin_app.io.dem import GDAL_LOCK
from twin_app.io.dem_warp import Bounds, open_raster, same_crs, scene_grid

logger = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class TileKey:
    """A tile of the quadtree: ``level`` 0 is the root; ``col``, ``row`` count from north-west."""

    level: int
    col: int
    row: int

    def children(self) -> tuple[TileKey, TileKey, TileKey, TileKey]:
        """Return the four tiles one level finer."""
        level, c, r = self.level + 1, 2 * self.col, 2 * self.row
        return (TileKey(level, c, r), TileKey(level, c + 1, r),
                TileKey(level, c, r + 1), TileKey(level, c + 1, r + 1))

    def parent(self) -> TileKey | None:
        """Return the tile one level coarser (``None`` for the root)."""
        if self.level == 0:
            return None
        return TileKey(self.level - 1, self.col // 2, self.row // 2)


@dataclass(frozen=True)
class TileData:
    """The heights of one tile.

    Attributes
    ----------
    key : TileKey
        Which tile.
    heights : ndarray of float32, shape (n + 1, n + 1)
        Samples at the tile's grid nodes, north to south; NaN where there is no data.
    transform : Affine
        Maps (col, row) of a *node* (not a cell corner) to map coordinates.
    """

    key: TileKey
    heights: NDArray[np.float32]
    transform: Affine

    def node_coordinates(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return the eastings (cols) and northings (rows) of the nodes."""
        rows, cols = self.heights.shape
        x = self.transform.c + self.transform.a * np.arange(cols, dtype=np.float64)
        y = self.transform.f + self.transform.e * np.arange(rows, dtype=np.float64)
        return x, y


class DemTileSource:
    """A DEM in the scene CRS, read tile by tile.

    Parameters
    ----------
    path : Path
        A GeoTIFF or COG with a CRS (internal overviews make coarse tiles cheap).
    scene_crs : str
        The scene CRS; a DEM in another CRS is warped on the fly.
    tile_cells : int
        Cells a side of each tile's mesh (a tile has ``(tile_cells + 1) ** 2`` vertices).
    datum_offset_m : float
        Added once to every height read, to give the scene datum.

    Raises
    ------
    AssetLoadError
        If the file cannot be opened, has no CRS, or cannot be reprojected.
    """

    def __init__(self, path: Path, scene_crs: str, tile_cells: int = 128,
                 datum_offset_m: float = 0.0) -> None:
        self.path = Path(path)
        self.scene_crs = scene_crs
        self.tile_cells = tile_cells
        self.datum_offset_m = datum_offset_m
        self._local = threading.local()
        with open_raster(self.path) as dataset:
            self.warped = not same_crs(str(dataset.crs), scene_crs)
            if self.warped:
                transform, cols, rows = scene_grid(dataset, scene_crs, max_cells=10**10,
                                                   path=self.path)
            else:
                transform, cols, rows = dataset.transform, dataset.width, dataset.height
            self.nodata = dataset.nodata
            self.overviews = dataset.overviews(1)
            self.datum_tag = dataset.tags().get("VERTICAL_DATUM", "")
        if transform.b != 0 or transform.d != 0 or transform.e >= 0:
            raise AssetLoadError(f"{self.path}: the DEM grid is not north-up",
                                 hint="warp it, e.g. gdalwarp -t_srs " + scene_crs)
        self.transform: Affine = transform
        self.width, self.height = int(cols), int(rows)
        span = max(self.width, self.height) / tile_cells
        self.max_level = max(0, math.ceil(math.log2(max(span, 1.0))))
        logger.info("DEM tiles of %s: %d x %d cells, %d levels, overviews %s%s", self.path,
                    self.width, self.height, self.max_level + 1, self.overviews,
                    " (warped)" if self.warped else "")

    @property
    def cell_size(self) -> float:
        """The full-resolution cell size in metres."""
        return abs(self.transform.a)

    @property
    def bounds(self) -> Bounds:
        """``(left, bottom, right, top)`` of the raster in the scene CRS."""
        t = self.transform
        return (t.c, t.f + t.e * self.height, t.c + t.a * self.width, t.f)

    def tile_span_cells(self, level: int) -> int:
        """Return how many full-resolution cells one tile of ``level`` spans a side."""
        return self.tile_cells * 2 ** (self.max_level - level)

    def tile_bounds(self, key: TileKey) -> Bounds:
        """Return the ground bounds of a tile (clipped to the raster)."""
        span = self.tile_span_cells(key.level)
        c0, r0 = key.col * span, key.row * span
        c1, r1 = min(c0 + span, self.width), min(r0 + span, self.height)
        t = self.transform
        return (t.c + t.a * c0, t.f + t.e * r1, t.c + t.a * c1, t.f + t.e * r0)

    def exists(self, key: TileKey) -> bool:
        """Return whether a tile covers any of the raster."""
        span = self.tile_span_cells(key.level)
        return key.col * span < self.width and key.row * span < self.height

    def geometric_error(self, level: int) -> float:
        """Return the ground size of a tile's mesh cell at ``level`` (the LOD error, metres)."""
        return self.cell_size * 2 ** (self.max_level - level)

    def _dataset(self) -> rasterio.io.DatasetReader:
        dataset = getattr(self._local, "dataset", None)
        if dataset is None:
            dataset = rasterio.open(self.path)
            if self.warped:
                dataset = WarpedVRT(dataset, crs=self.scene_crs, transform=self.transform,
                                    width=self.width, height=self.height,
                                    resampling=Resampling.bilinear)
            self._local.dataset = dataset
        return dataset

    def read_tile(self, key: TileKey) -> TileData:
        """Read one tile's node heights (from overviews for coarse levels).

        Raises
        ------
        AssetLoadError
            If the file is damaged where the tile lies.
        """
        span = self.tile_span_cells(key.level)
        step = span / self.tile_cells
        c0, r0 = key.col * span, key.row * span
        cols = min(span, self.width - c0)
        rows = min(span, self.height - r0)
        # Node i averages the cells [c0 + i * step, c0 + (i + 1) * step): the same cells as the
        # neighbouring tile's edge node, so tiles of one level meet exactly.  At the raster's
        # far edges a coarse tile stops at its last whole block of cells.
        n_cols = max(2, min(math.ceil(cols / step) + 1, int((self.width - c0) // step)))
        n_rows = max(2, min(math.ceil(rows / step) + 1, int((self.height - r0) // step)))
        window = Window(c0, r0, min(n_cols * step, self.width - c0),
                        min(n_rows * step, self.height - r0))
        try:
            with GDAL_LOCK:
                band = self._dataset().read(1, window=window, out_shape=(n_rows, n_cols),
                                            resampling=Resampling.nearest if step <= 1
                                            else Resampling.average, masked=True,
                                            boundless=False)
        except RasterioError as error:
            raise AssetLoadError(f"{self.path}: reading tile {key} failed ({error})",
                                 hint="the file may be truncated; copy or export it again"
                                 ) from None
        heights = np.ma.filled(band.astype(np.float32), np.nan) + np.float32(self.datum_offset_m)
        x_step = window.width / n_cols
        y_step = window.height / n_rows
        t = self.transform
        transform = Affine(t.a * x_step, 0.0, t.c + t.a * (c0 + 0.5 * x_step), 0.0,
                           t.e * y_step, t.f + t.e * (r0 + 0.5 * y_step))
        return TileData(key, heights, transform)

    def close(self) -> None:
        """Close this thread's dataset handle (other threads' close when they end)."""
        dataset = getattr(self._local, "dataset", None)
        if dataset is not None:
            dataset.close()
            self._local.dataset = None
