"""Read a terrain DEM (a single-band GeoTIFF) into a north-up height grid.

The scene's terrain is a GeoTIFF in the scene CRS with heights in the scene's vertical datum.
:func:`read_dem` returns a :class:`DemRaster` whose rows run north to south and whose missing
cells are NaN, or raises :class:`~twin_app.core.errors.AssetLoadError` naming the file and the
problem (not a GeoTIFF, truncated, no CRS, rotated grid, nothing but nodata).
"""

from __future__ import annotations

import logging
import math
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from numpy.typing import ArrayLike, NDArray
from rasterio.errors import NotGeoreferencedWarning, RasterioError

from twin_app.core.errors import AssetLoadError

logger = logging.getLogger(__name__)

_GEOTIFF_HINT = "the terrain must be a single-band GeoTIFF in the scene CRS"


@dataclass(frozen=True, eq=False)
class DemRaster:
    """A north-up grid of heights.

    Attributes
    ----------
    heights : ndarray of float32, shape (rows, cols)
        Heights in the file's vertical datum; row 0 is the northern edge; NaN where no data.
        The array is read-only.
    transform : affine.Affine
        Maps (col, row) of a cell corner to map coordinates, as in rasterio.
    crs : str
        ``"EPSG:<code>"`` when the CRS has an EPSG code, else its WKT.
    path : Path
        The file the grid was read from.
    """

    heights: NDArray[np.float32]
    transform: Affine
    crs: str
    path: Path

    @property
    def shape(self) -> tuple[int, int]:
        """The grid's ``(rows, cols)``."""
        rows, cols = self.heights.shape
        return (rows, cols)

    @property
    def cell_size(self) -> tuple[float, float]:
        """The cell size ``(dx, dy)`` in map units (metres), both positive."""
        return (abs(self.transform.a), abs(self.transform.e))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """The outer edges ``(left, bottom, right, top)`` in map coordinates."""
        rows, cols = self.shape
        left, top = self.transform.c, self.transform.f
        right = left + self.transform.a * cols
        bottom = top + self.transform.e * rows
        return (float(left), float(bottom), float(right), float(top))

    def cell_centres(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return the map coordinates of the cell centres.

        Returns
        -------
        x : ndarray of float64, shape (cols,)
            Eastings of the columns, west to east.
        y : ndarray of float64, shape (rows,)
            Northings of the rows, north to south.
        """
        rows, cols = self.shape
        x = self.transform.c + self.transform.a * (np.arange(cols, dtype=np.float64) + 0.5)
        y = self.transform.f + self.transform.e * (np.arange(rows, dtype=np.float64) + 0.5)
        return x, y

    def heights_at(self, eastings: ArrayLike, northings: ArrayLike) -> NDArray[np.float64]:
        """Return bilinearly interpolated heights at many map points.

        Between the outermost cell centres and the grid edge the nearest edge cells are used;
        outside the grid, or next to a nodata cell, the result is NaN.

        Parameters
        ----------
        eastings, northings : array_like
            Map coordinates of the points (broadcast together).

        Returns
        -------
        ndarray of float64
            One height per point, NaN where unknown.
        """
        x, y = np.broadcast_arrays(
            np.asarray(eastings, dtype=np.float64), np.asarray(northings, dtype=np.float64)
        )
        rows, cols = self.shape
        col = (x - self.transform.c) / self.transform.a - 0.5
        row = (y - self.transform.f) / self.transform.e - 0.5
        inside = (col >= -0.5) & (col <= cols - 0.5) & (row >= -0.5) & (row <= rows - 0.5)
        col = np.clip(np.where(inside, col, 0.0), 0.0, cols - 1.0)
        row = np.clip(np.where(inside, row, 0.0), 0.0, rows - 1.0)
        c0 = np.minimum(np.floor(col).astype(np.intp), max(cols - 2, 0))
        r0 = np.minimum(np.floor(row).astype(np.intp), max(rows - 2, 0))
        c1 = np.minimum(c0 + 1, cols - 1)
        r1 = np.minimum(r0 + 1, rows - 1)
        fc = col - c0
        fr = row - r0
        grid = self.heights

        def corner(rows_: NDArray[np.intp], cols_: NDArray[np.intp]) -> NDArray[np.float64]:
            return grid[rows_, cols_].astype(np.float64)

        top = corner(r0, c0) * (1.0 - fc) + corner(r0, c1) * fc
        bottom = corner(r1, c0) * (1.0 - fc) + corner(r1, c1) * fc
        values = top * (1.0 - fr) + bottom * fr
        return np.where(inside, values, np.nan)

    def height_at(self, easting: float, northing: float) -> float:
        """Return the bilinearly interpolated height at one map point (NaN outside the grid)."""
        return float(self.heights_at(easting, northing))


GDAL_LOCK = threading.RLock()
"""Serialises GDAL reads of DEMs across threads (tile workers and the GUI thread); a test run
aborted inside GDAL with a tile worker and the GUI thread reading the same COG at once."""


def read_dem(path: Path) -> DemRaster:
    """Read band 1 of a GeoTIFF DEM (under :data:`GDAL_LOCK`); see :func:`_read_dem`."""
    with GDAL_LOCK:
        return _read_dem(path)


def _read_dem(path: Path) -> DemRaster:
    """Read band 1 of a GeoTIFF DEM.

    Parameters
    ----------
    path : Path
        The GeoTIFF file.

    Returns
    -------
    DemRaster
        The heights (scale and offset applied, nodata as NaN), north-up.

    Raises
    ------
    AssetLoadError
        If the file is missing, is not a GeoTIFF, is truncated or unreadable, has no CRS, has a
        rotated or sheared grid, or holds nothing but nodata.
    """
    path = Path(path)
    if not path.is_file():
        raise AssetLoadError(f"{path}: the DEM file does not exist", hint=_GEOTIFF_HINT)
    try:
        with warnings.catch_warnings():
            # A missing CRS is reported below as an AssetLoadError, not as a warning.
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            dataset = rasterio.open(path)
    except RasterioError as error:
        problem = _describe_open_error(str(error))
        raise AssetLoadError(f"{path}: {problem} ({error})", hint=_GEOTIFF_HINT) from None
    with dataset:
        _check_format(path, dataset)
        try:
            band = dataset.read(1, masked=True)
        except RasterioError as error:
            detail = str(error.__cause__ or error.__context__ or error)
            raise AssetLoadError(
                f"{path}: the GeoTIFF is truncated or damaged; reading its cells failed ({detail})",
                hint="copy or export the file again",
            ) from None
        if dataset.crs is None:
            raise AssetLoadError(
                f"{path}: the DEM has no CRS (no georeferencing keys)",
                hint="write the scene CRS into the GeoTIFF, e.g. gdal_edit.py -a_srs EPSG:4549",
            )
        crs, transform = _crs_text(dataset.crs), dataset.transform
        scale, offset = dataset.scales[0], dataset.offsets[0]
    heights = _to_float_heights(band, scale, offset)
    heights, transform = _north_up(path, heights, transform)
    if not np.isfinite(heights).any():
        raise AssetLoadError(
            f"{path}: every cell of the DEM is nodata",
            hint="check the nodata value and that the file holds heights",
        )
    heights.setflags(write=False)
    dem = DemRaster(heights=heights, transform=transform, crs=crs, path=path)
    logger.info(
        "read DEM %s: %d x %d cells of %.3g x %.3g m, %s", path, *dem.shape, *dem.cell_size, crs
    )
    return dem


def _crs_text(crs: rasterio.crs.CRS) -> str:
    code = crs.to_epsg()
    return f"EPSG:{code}" if code is not None else crs.to_wkt()


def _describe_open_error(message: str) -> str:
    lowered = message.lower()
    if "not recognized as" in lowered or "not a supported file format" in lowered:
        return "is not a GeoTIFF (GDAL does not recognise the format)"
    if "tiff" in lowered:
        return "is a truncated or damaged TIFF (its header cannot be read)"
    return "cannot be opened as a GeoTIFF"


def _check_format(path: Path, dataset: rasterio.io.DatasetReader) -> None:
    """Raise unless the open dataset is a GeoTIFF; warn when it has more than one band."""
    if dataset.driver != "GTiff":
        raise AssetLoadError(
            f"{path}: is a {dataset.driver} raster, not a GeoTIFF", hint=_GEOTIFF_HINT
        )
    if dataset.count > 1:
        logger.warning("%s has %d bands; using band 1 as heights", path, dataset.count)


def _to_float_heights(band: np.ma.MaskedArray, scale: float, offset: float) -> NDArray[np.float32]:
    values = np.ma.filled(band.astype(np.float64), np.nan)
    if scale not in (None, 1.0) or offset not in (None, 0.0):
        values = values * (scale if scale is not None else 1.0) + (offset or 0.0)
    values[~np.isfinite(values)] = np.nan
    return values.astype(np.float32)


def _north_up(
    path: Path, heights: NDArray[np.float32], transform: Affine
) -> tuple[NDArray[np.float32], Affine]:
    """Return the grid with rows north to south and columns west to east."""
    if not math.isclose(transform.b, 0.0, abs_tol=1e-12) or not math.isclose(
        transform.d, 0.0, abs_tol=1e-12
    ):
        raise AssetLoadError(
            f"{path}: the DEM grid is rotated or sheared ({tuple(transform)[:6]})",
            hint="warp it to a north-up grid, e.g. gdalwarp -t_srs EPSG:4549",
        )
    if transform.a <= 0 or transform.e == 0:
        raise AssetLoadError(
            f"{path}: the DEM grid has an unusual orientation ({tuple(transform)[:6]})",
            hint="warp it to a north-up grid, e.g. gdalwarp -t_srs EPSG:4549",
        )
    if transform.e > 0:
        rows = heights.shape[0]
        heights = np.ascontiguousarray(heights[::-1])
        transform = Affine(
            transform.a, 0.0, transform.c, 0.0, -transform.e, transform.f + transform.e * rows
        )
    return heights, transform
