"""User DEMs and images in any CRS land on the right place of the scene grid, in the right datum."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import Transformer

from twin_app.core.errors import AssetLoadError
from twin_app.io.dem_tiles import DemTileSource, TileKey
from twin_app.io.dem_warp import read_dem_in_scene, read_image_on

SCENE = "EPSG:4549"
LON, LAT = 121.357708, 31.486419  # the old Xinchuansha sluice
E0, N0 = Transformer.from_crs("EPSG:4490", SCENE, always_xy=True).transform(LON, LAT)
AREA = (E0 - 600.0, N0 - 600.0, E0 + 600.0, N0 + 600.0)


def plane(easting: np.ndarray, northing: np.ndarray) -> np.ndarray:
    """Heights that tell where a cell is: 1 cm per m east, 2 cm per m north."""
    return 3.0 + 0.01 * (easting - E0) + 0.02 * (northing - N0)


def write_in_crs(path: Path, crs: str, cell: float, data_fn, *, bands: int = 1,
                 dtype: str = "float32", nodata: float | None = -9999.0,
                 tags: dict | None = None) -> Path:
    """Write a raster in ``crs`` around the work whose cells hold ``data_fn(E, N)`` (scene CRS)."""
    to_crs = Transformer.from_crs(SCENE, crs, always_xy=True)
    to_scene = Transformer.from_crs(crs, SCENE, always_xy=True)
    xs, ys = to_crs.transform([AREA[0] - 300, AREA[2] + 300], [AREA[1] - 300, AREA[3] + 300])
    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    cols, rows = int(np.ceil((right - left) / cell)), int(np.ceil((top - bottom) / cell))
    transform = Affine(cell, 0.0, left, 0.0, -cell, top)
    cx = left + cell * (np.arange(cols) + 0.5)
    cy = top - cell * (np.arange(rows) + 0.5)
    xx, yy = np.meshgrid(cx, cy)
    ee, nn = to_scene.transform(xx, yy)
    data = data_fn(ee, nn)
    profile = {"driver": "GTiff", "width": cols, "height": rows, "count": bands,
               "dtype": dtype, "crs": crs, "transform": transform}
    if nodata is not None:
        profile["nodata"] = nodata
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(np.asarray(data, dtype=dtype).reshape(bands, rows, cols))
        if tags:
            dataset.update_tags(**tags)
    return path


@pytest.mark.parametrize(("crs", "cell"), [("EPSG:4549", 5.0), ("EPSG:32651", 5.0),
                                           ("EPSG:4326", 0.00005)])
def test_dems_in_other_crs_line_up_with_the_scene_grid(tmp_path, crs, cell):
    dem = read_dem_in_scene(write_in_crs(tmp_path / "dem.tif", crs, cell, plane), SCENE,
                            area=AREA)
    assert dem.crs == SCENE
    assert dem.bounds[0] == pytest.approx(AREA[0]) and dem.bounds[3] == pytest.approx(AREA[3])
    rng = np.random.default_rng(4)
    e = rng.uniform(AREA[0] + 50, AREA[2] - 50, 200)
    n = rng.uniform(AREA[1] + 50, AREA[3] - 50, 200)
    # 5 cm of height is 2.5 m of misplacement along the plane's steepest direction.
    np.testing.assert_allclose(dem.heights_at(e, n), plane(e, n), atol=0.05)


def test_a_lonlat_point_lands_on_the_right_scene_cell(tmp_path):
    def spike(easting, northing):
        return np.where(np.hypot(easting - E0, northing - N0) < 4.0, 100.0, 0.0)

    path = write_in_crs(tmp_path / "lonlat.tif", "EPSG:4326", 0.00002, spike)
    dem = read_dem_in_scene(path, SCENE, area=AREA,
                            resampling=rasterio.enums.Resampling.nearest)
    row, col = rasterio.transform.rowcol(dem.transform, E0, N0)
    assert dem.heights[row, col] == 100.0
    peak_row, peak_col = np.unravel_index(np.nanargmax(dem.heights), dem.shape)
    x, y = rasterio.transform.xy(dem.transform, peak_row, peak_col)
    assert np.hypot(x - E0, y - N0) < 6.0


def test_datum_offset_is_applied_once(tmp_path):
    path = write_in_crs(tmp_path / "nhd1985.tif", "EPSG:32651", 10.0,
                        lambda e, n: np.full(np.shape(e), 2.0),
                        tags={"VERTICAL_DATUM": "1985 National Height Datum"})
    dem = read_dem_in_scene(path, SCENE, area=AREA, datum_offset_m=1.66)
    assert np.nanmax(np.abs(dem.heights - 3.66)) < 1e-5
    source = DemTileSource(path, SCENE, tile_cells=16, datum_offset_m=1.66)
    tile = source.read_tile(TileKey(source.max_level, 1, 1))
    finite = tile.heights[np.isfinite(tile.heights)]
    assert finite.size and np.abs(finite - 3.66).max() < 1e-5


def test_nodata_is_honoured(tmp_path):
    def holed(e, n):
        return np.where(e < E0, -9999.0, plane(e, n))

    dem = read_dem_in_scene(write_in_crs(tmp_path / "holed.tif", "EPSG:4549", 5.0, holed),
                            SCENE, area=AREA)
    assert np.isnan(dem.height_at(E0 - 300, N0))
    assert dem.height_at(E0 + 300, N0) == pytest.approx(plane(E0 + 300, N0), abs=0.05)
    assert np.nanmin(dem.heights) > -100


def test_large_dems_are_read_coarser(tmp_path):
    path = write_in_crs(tmp_path / "dem.tif", SCENE, 2.0, plane)
    dem = read_dem_in_scene(path, SCENE, area=AREA, max_cells=10_000)
    assert dem.heights.size <= 10_000
    assert dem.cell_size[0] > 10.0


def test_no_crs_is_reported(tmp_path):
    path = tmp_path / "nocrs.tif"
    with rasterio.open(path, "w", driver="GTiff", width=8, height=8, count=1,
                       dtype="float32") as dataset:
        dataset.write(np.ones((1, 8, 8), dtype=np.float32))
    with pytest.raises(AssetLoadError, match="no CRS") as caught:
        read_dem_in_scene(path, SCENE, area=AREA)
    assert "nocrs.tif" in str(caught.value) and "gdal_edit" in str(caught.value)


def test_no_overlap_is_reported(tmp_path):
    far = (AREA[0] + 50_000, AREA[1], AREA[2] + 50_000, AREA[3])
    path = write_in_crs(tmp_path / "dem.tif", "EPSG:32651", 10.0, plane)
    with pytest.raises(AssetLoadError, match="does not overlap the scene") as caught:
        read_dem_in_scene(path, SCENE, area=far)
    assert "dem.tif" in str(caught.value) and caught.value.hint


def test_all_nodata_is_reported(tmp_path):
    path = write_in_crs(tmp_path / "empty.tif", SCENE, 10.0,
                        lambda e, n: np.full(np.shape(e), -9999.0))
    with pytest.raises(AssetLoadError, match="every cell is nodata"):
        read_dem_in_scene(path, SCENE, area=AREA)


def test_truncated_file_is_reported(tmp_path):
    path = write_in_crs(tmp_path / "cut.tif", SCENE, 2.0, plane)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(AssetLoadError, match="truncated or damaged") as caught:
        read_dem_in_scene(path, SCENE, area=AREA)
    assert "cut.tif" in str(caught.value)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(AssetLoadError, match="does not exist"):
        read_dem_in_scene(tmp_path / "none.tif", SCENE)


def test_orthophoto_is_draped_on_the_dem_grid(tmp_path):
    dem = read_dem_in_scene(write_in_crs(tmp_path / "dem.tif", SCENE, 10.0, plane), SCENE,
                            area=AREA)

    def red_east(e, n):
        red = np.where(e > E0, 250, 10)
        return np.stack([red, np.full(np.shape(e), 20), np.full(np.shape(e), 30)])

    image = write_in_crs(tmp_path / "ortho.tif", "EPSG:4326", 0.0001, red_east, bands=3,
                         dtype="uint8", nodata=None)
    rgba = read_image_on(image, dem)
    assert rgba.shape == (*dem.shape, 4)
    row, col = rasterio.transform.rowcol(dem.transform, E0 + 300, N0)
    assert tuple(rgba[row, col]) == (250, 20, 30, 255)
    row, col = rasterio.transform.rowcol(dem.transform, E0 - 300, N0)
    assert rgba[row, col, 0] == 10
