"""Reading DEM GeoTIFFs: geometry, nodata, interpolation, and the errors a user sees."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine

from twin_app.core.errors import AssetLoadError
from twin_app.io.dem import DemRaster, read_dem

LEFT, TOP, CELL = 629000.0, 3486000.0, 5.0


def write_tif(
    path: Path,
    data: np.ndarray,
    *,
    crs: str | None = "EPSG:4549",
    transform: Affine | None = None,
    nodata: float | None = -9999.0,
    driver: str = "GTiff",
) -> Path:
    profile = {
        "driver": driver, "width": data.shape[1], "height": data.shape[0], "count": 1,
        "dtype": data.dtype.name,
        "transform": transform or Affine(CELL, 0.0, LEFT, 0.0, -CELL, TOP),
    }
    if crs is not None:
        profile["crs"] = crs
    if nodata is not None:
        profile["nodata"] = nodata
    if driver == "GTiff":
        profile.update(compress="deflate", tiled=True, blockxsize=16, blockysize=16)
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(data, 1)
    return path


@pytest.fixture
def ramp() -> np.ndarray:
    """Heights that grow by 1 m per column and 10 m per row (row 0 is north)."""
    rows, cols = np.mgrid[0:32, 0:48]
    return (cols + 10.0 * rows).astype(np.float32)


def test_reads_geometry_and_heights(tmp_path, ramp):
    ramp[3, 4] = -9999.0
    dem = read_dem(write_tif(tmp_path / "dem.tif", ramp))
    assert isinstance(dem, DemRaster)
    assert dem.shape == (32, 48)
    assert dem.heights.dtype == np.float32
    assert dem.crs == "EPSG:4549"
    assert dem.cell_size == (5.0, 5.0)
    assert dem.bounds == (LEFT, TOP - 32 * CELL, LEFT + 48 * CELL, TOP)
    assert math.isnan(dem.heights[3, 4])
    assert dem.heights[0, 0] == 0.0
    assert dem.heights[31, 47] == 47.0 + 310.0
    assert dem.path == tmp_path / "dem.tif"


def test_heights_are_read_only(tmp_path, ramp):
    dem = read_dem(write_tif(tmp_path / "dem.tif", ramp))
    with pytest.raises(ValueError, match="read-only"):
        dem.heights[0, 0] = 1.0


def test_cell_centres_run_west_to_east_and_north_to_south(tmp_path, ramp):
    dem = read_dem(write_tif(tmp_path / "dem.tif", ramp))
    x, y = dem.cell_centres()
    assert x.dtype == np.float64 and y.dtype == np.float64
    assert x[0] == LEFT + 2.5 and x[-1] == LEFT + 47 * CELL + 2.5
    assert y[0] == TOP - 2.5 and y[-1] == TOP - 31 * CELL - 2.5
    assert np.all(np.diff(x) > 0) and np.all(np.diff(y) < 0)


def test_height_at_interpolates_bilinearly(tmp_path, ramp):
    dem = read_dem(write_tif(tmp_path / "dem.tif", ramp))
    x, y = dem.cell_centres()
    assert dem.height_at(x[5], y[7]) == pytest.approx(75.0)
    # Half-way between columns 5 and 6 and a quarter of the way from row 7 to row 8.
    assert dem.height_at(x[5] + 2.5, y[7] - 1.25) == pytest.approx(5.5 + 72.5)
    # Between the outermost centres and the edge the edge cell is used.
    assert dem.height_at(LEFT + 0.5, TOP - 0.5) == pytest.approx(0.0)
    heights = dem.heights_at([x[1], x[2]], [y[0], y[3]])
    np.testing.assert_allclose(heights, [1.0, 32.0])


def test_height_at_is_nan_outside_and_next_to_nodata(tmp_path, ramp):
    ramp[10, 10] = -9999.0
    dem = read_dem(write_tif(tmp_path / "dem.tif", ramp))
    x, y = dem.cell_centres()
    assert math.isnan(dem.height_at(LEFT - 1.0, y[3]))
    assert math.isnan(dem.height_at(x[3], TOP + 0.1))
    assert math.isnan(dem.height_at(x[10] + 1.0, y[10]))
    assert not math.isnan(dem.height_at(x[20], y[20]))


def test_south_up_grid_is_flipped_to_north_up(tmp_path, ramp):
    bottom = TOP - 32 * CELL
    south_up = Affine(CELL, 0.0, LEFT, 0.0, CELL, bottom)
    dem = read_dem(write_tif(tmp_path / "dem.tif", ramp[::-1].copy(), transform=south_up))
    assert dem.transform.e < 0
    assert dem.bounds == (LEFT, bottom, LEFT + 48 * CELL, TOP)
    np.testing.assert_array_equal(dem.heights, ramp)


def test_integer_dem_becomes_float_with_nan(tmp_path):
    data = np.array([[1, 2], [-32768, 4]], dtype=np.int16)
    dem = read_dem(write_tif(tmp_path / "int.tif", data, nodata=-32768))
    assert dem.heights.dtype == np.float32
    assert np.isnan(dem.heights[1, 0]) and dem.heights[1, 1] == 4.0


def test_crs_without_epsg_code_is_given_as_wkt(tmp_path, ramp):
    local_tm = "+proj=tmerc +lat_0=31.2 +lon_0=121.47 +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m"
    dem = read_dem(write_tif(tmp_path / "dem.tif", ramp, crs=local_tm))
    assert not dem.crs.startswith("EPSG:")
    assert "Transverse_Mercator" in dem.crs or "Transverse Mercator" in dem.crs


def test_missing_file(tmp_path):
    with pytest.raises(AssetLoadError, match="does not exist") as caught:
        read_dem(tmp_path / "nothing.tif")
    assert "nothing.tif" in str(caught.value)


def test_text_file_is_not_a_geotiff(tmp_path):
    path = tmp_path / "notes.tif"
    path.write_text("this is not a raster\n", encoding="utf-8")
    with pytest.raises(AssetLoadError, match="not a GeoTIFF") as caught:
        read_dem(path)
    assert str(path) in str(caught.value)


def test_other_raster_format_is_not_a_geotiff(tmp_path):
    data = np.arange(16, dtype=np.uint8).reshape(4, 4)
    path = write_tif(tmp_path / "heights.png", data, crs=None, nodata=None, driver="PNG")
    with pytest.raises(AssetLoadError, match="PNG raster, not a GeoTIFF") as caught:
        read_dem(path)
    assert "heights.png" in str(caught.value)


def test_truncated_geotiff(tmp_path, ramp):
    whole = write_tif(tmp_path / "whole.tif", ramp + np.float32(0.123)).read_bytes()
    path = tmp_path / "cut.tif"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(AssetLoadError, match="truncated or damaged") as caught:
        read_dem(path)
    assert "cut.tif" in str(caught.value)


def test_truncated_header(tmp_path, ramp):
    whole = write_tif(tmp_path / "whole.tif", ramp).read_bytes()
    path = tmp_path / "stub.tif"
    path.write_bytes(whole[:64])
    with pytest.raises(AssetLoadError, match="truncated or damaged") as caught:
        read_dem(path)
    assert "stub.tif" in str(caught.value)


def test_geotiff_without_crs(tmp_path, ramp):
    path = write_tif(tmp_path / "nocrs.tif", ramp, crs=None)
    with pytest.raises(AssetLoadError, match="has no CRS") as caught:
        read_dem(path)
    assert "nocrs.tif" in str(caught.value)
    assert "EPSG:4549" in (caught.value.hint or "")


def test_all_nodata(tmp_path):
    data = np.full((8, 8), -9999.0, dtype=np.float32)
    path = write_tif(tmp_path / "empty.tif", data)
    with pytest.raises(AssetLoadError, match="every cell of the DEM is nodata") as caught:
        read_dem(path)
    assert "empty.tif" in str(caught.value)


def test_rotated_grid_is_rejected(tmp_path, ramp):
    rotated = Affine(CELL, 1.0, LEFT, 1.0, -CELL, TOP)
    path = write_tif(tmp_path / "rotated.tif", ramp, transform=rotated)
    with pytest.raises(AssetLoadError, match="rotated or sheared"):
        read_dem(path)
