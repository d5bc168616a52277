"""Open any DEM or orthophoto GeoTIFF (COG or not, any CRS) on a grid in the scene CRS.

:func:`read_dem_in_scene` reprojects a user's DEM on the fly (``rasterio.warp.reproject`` to a
north-up grid in the scene CRS), honours its nodata, limits the cell count by reading from the
file's overviews, and converts heights from another vertical datum once.  :func:`read_image_on`
drapes an RGB orthophoto on the grid of a DEM.  Every failure is an
:class:`~twin_app.core.errors.AssetLoadError` naming the file, the problem and what to do.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from numpy.typing import NDArray
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.errors import CRSError, NotGeoreferencedWarning, RasterioError
from rasterio.warp import calculate_default_transform, reproject, transform_bounds

from twin_app.core.errors import AssetLoadError
from twin_app.io.dem import DemRaster

logger = logging.getLogger(__name__)

Bounds = tuple[float, float, float, float]
"""``(left, bottom, right, top)`` in map coordinates of the scene CRS."""

DEFAULT_MAX_CELLS = 4_000_000
"""Largest grid :func:`read_dem_in_scene` returns unless told otherwise (16 MB of float32)."""


@contextmanager
def open_raster(path: Path, what: str = "DEM") -> Iterator[rasterio.io.DatasetReader]:
    """Open a raster, turning rasterio's errors into :class:`AssetLoadError`.

    Raises
    ------
    AssetLoadError
        If the file is missing, not a raster GDAL knows, damaged, or has no CRS.
    """
    path = Path(path)
    if not path.is_file():
        raise AssetLoadError(f"{path}: the {what} file does not exist",
                             hint="check the path in the scene file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            dataset = rasterio.open(path)
    except RasterioError as error:
        text = str(error).lower()
        problem = ("is not a raster GDAL recognises" if "not recognized" in text
                   else "is truncated or damaged (its header cannot be read)")
        raise AssetLoadError(f"{path}: the {what} {problem} ({error})",
                             hint="export it again as a GeoTIFF") from None
    with dataset:
        if dataset.crs is None:
            raise AssetLoadError(
                f"{path}: the {what} has no CRS (no georeferencing), so it cannot be placed",
                hint="assign its CRS, e.g. gdal_edit.py -a_srs EPSG:4549 FILE")
        yield dataset


def scene_grid(
    dataset: rasterio.io.DatasetReader, scene_crs: str, area: Bounds | None = None,
    max_cells: int = DEFAULT_MAX_CELLS, path: Path | None = None,
) -> tuple[Affine, int, int]:
    """Return the north-up grid in the scene CRS that covers a raster (clipped to ``area``).

    The cell size is the source's, reprojected, coarsened until the grid has at most
    ``max_cells`` cells.

    Raises
    ------
    AssetLoadError
        If the raster does not overlap ``area`` or cannot be projected to the scene CRS.
    """
    where = path or Path(dataset.name)
    try:
        transform, _, _ = calculate_default_transform(
            dataset.crs, scene_crs, dataset.width, dataset.height, *dataset.bounds)
        left, bottom, right, top = transform_bounds(dataset.crs, scene_crs, *dataset.bounds)
    except (CRSError, RasterioError) as error:
        raise AssetLoadError(f"{where}: cannot reproject from {dataset.crs} to {scene_crs} "
                             f"({error})", hint="check the file's CRS") from None
    cell = abs(transform.a)
    if area is not None:
        a_left, a_bottom, a_right, a_top = area
        left, bottom = max(left, a_left), max(bottom, a_bottom)
        right, top = min(right, a_right), min(top, a_top)
        if right <= left or top <= bottom:
            raise AssetLoadError(
                f"{where}: the raster does not overlap the scene (it covers "
                f"{_fmt(transform_bounds(dataset.crs, scene_crs, *dataset.bounds))} in "
                f"{scene_crs}; the scene covers {_fmt(area)})",
                hint="check its CRS, or pick a raster of the scene's area")
    cols, rows = max(1, math.ceil((right - left) / cell)), max(1, math.ceil((top - bottom) / cell))
    if cols * rows > max_cells:
        factor = math.sqrt(cols * rows / max_cells)
        cell *= factor
        cols = max(1, math.ceil((right - left) / cell))
        rows = max(1, math.ceil((top - bottom) / cell))
    return Affine(cell, 0.0, left, 0.0, -cell, top), cols, rows


def _fmt(bounds: Bounds) -> str:
    return "({:.0f}, {:.0f}) to ({:.0f}, {:.0f})".format(*bounds)


def read_dem_in_scene(
    path: Path, scene_crs: str, *, area: Bounds | None = None, datum_offset_m: float = 0.0,
    max_cells: int = DEFAULT_MAX_CELLS, resampling: Resampling = Resampling.bilinear,
) -> DemRaster:
    """Read band 1 of a DEM in any CRS onto a north-up grid in the scene CRS.

    Parameters
    ----------
    path : Path
        A GeoTIFF or COG (or any raster GDAL reads) with a CRS.
    scene_crs : str
        The scene CRS, e.g. ``"EPSG:4549"``.
    area : tuple of float, optional
        Only this part of the scene (``left, bottom, right, top`` in the scene CRS).
    datum_offset_m : float
        Added once to every height to give the scene datum (e.g. +1.66 for a 1985 DEM in a
        Wusong scene).
    max_cells : int
        Coarsen the grid (reading the file's overviews) beyond this many cells.
    resampling : Resampling
        How heights are resampled (bilinear by default).

    Returns
    -------
    DemRaster
        Heights in the scene datum, NaN where the file has nodata or no coverage.

    Raises
    ------
    AssetLoadError
        No CRS, no overlap with ``area``, truncated file, or nothing but nodata.
    """
    path = Path(path)
    with open_raster(path) as dataset:
        transform, cols, rows = scene_grid(dataset, scene_crs, area, max_cells, path)
        heights = np.full((rows, cols), np.nan, dtype=np.float32)
        scale, offset = dataset.scales[0] or 1.0, dataset.offsets[0] or 0.0
        try:
            reproject(
                source=rasterio.band(dataset, 1), destination=heights,
                src_nodata=dataset.nodata, dst_transform=transform, dst_crs=scene_crs,
                dst_nodata=np.nan, resampling=resampling)
        except RasterioError as error:
            detail = str(error.__cause__ or error)
            raise AssetLoadError(
                f"{path}: the raster is truncated or damaged; reading its cells failed ({detail})",
                hint="copy or export the file again") from None
        datum_tag = dataset.tags().get("VERTICAL_DATUM", "")
    if not np.isfinite(heights).any():
        raise AssetLoadError(
            f"{path}: every cell is nodata where the DEM meets the scene",
            hint="check the file's nodata value and that it holds heights of this area")
    heights = heights * np.float32(scale) + np.float32(offset + datum_offset_m)
    heights.setflags(write=False)
    dem = DemRaster(heights=heights, transform=transform, crs=scene_crs, path=path)
    logger.info("read %s onto %d x %d cells of %.3g m in %s (datum %s, offset %+.3f m)",
                path, rows, cols, transform.a, scene_crs, datum_tag or "unstated",
                datum_offset_m)
    return dem


def read_image_on(path: Path, dem: DemRaster) -> NDArray[np.uint8]:
    """Return an orthophoto (RGB or RGBA GeoTIFF, any CRS) resampled onto a DEM's cells.

    Parameters
    ----------
    path : Path
        The image; bands 1-3 are red, green and blue (8-bit, or scaled to 8-bit).
    dem : DemRaster
        The grid to drape on (its cell centres get one colour each).

    Returns
    -------
    ndarray of uint8, shape (rows, cols, 4)
        RGBA; alpha 0 where the image has no data.

    Raises
    ------
    AssetLoadError
        If the image cannot be read, has fewer than three bands or does not overlap the DEM.
    """
    rows, cols = dem.shape
    out = np.zeros((4, rows, cols), dtype=np.float32)
    with open_raster(path, what="image") as dataset:
        if dataset.count < 3:
            raise AssetLoadError(f"{path}: the image has {dataset.count} band(s), not RGB",
                                 hint="use an RGB orthophoto GeoTIFF")
        scene_grid(dataset, dem.crs, dem.bounds, path=path)
        for band in range(3):
            reproject(source=rasterio.band(dataset, band + 1), destination=out[band],
                      src_nodata=dataset.nodata, dst_transform=dem.transform, dst_crs=dem.crs,
                      dst_nodata=np.nan, resampling=Resampling.bilinear)
        top = 65535.0 if dataset.dtypes[0] == "uint16" else 255.0
    valid = np.isfinite(out[:3]).all(axis=0)
    rgba = np.zeros((rows, cols, 4), dtype=np.uint8)
    rgba[..., :3] = np.clip(np.nan_to_num(out[:3].transpose(1, 2, 0)) * 255.0 / top, 0, 255)
    rgba[..., 3] = np.where(valid, 255, 0)
    return rgba


def with_offset(dem: DemRaster, datum_offset_m: float) -> DemRaster:
    """Return a copy of ``dem`` whose heights are raised by ``datum_offset_m``."""
    heights = (dem.heights + np.float32(datum_offset_m)).astype(np.float32)
    heights.setflags(write=False)
    return replace(dem, heights=heights)


def same_crs(a: str, b: str) -> bool:
    """Return whether two CRS strings name the same CRS."""
    try:
        return CRS.from_user_input(a) == CRS.from_user_input(b)
    except CRSError:
        return False
