"""Quadtree tiles of a DEM: overview reads, shared edges, warped sources."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
import rasterio.shutil
from affine import Affine
from rasterio.io import MemoryFile

from twin_app.core.errors import AssetLoadError
from twin_app.io.dem_tiles import DemTileSource, TileKey

LEFT, TOP, CELL = 620000.0, 3480000.0, 2.0


def write_cog(path: Path, data: np.ndarray, crs: str = "EPSG:4549") -> Path:
    rows, cols = data.shape
    profile = {"driver": "GTiff", "width": cols, "height": rows, "count": 1,
               "dtype": "float32", "crs": crs, "nodata": -9999.0,
               "transform": Affine(CELL, 0.0, LEFT, 0.0, -CELL, TOP)}
    with MemoryFile() as memory:
        with memory.open(**profile) as dataset:
            dataset.write(data.astype(np.float32), 1)
        with memory.open() as dataset:
            rasterio.shutil.copy(dataset, path, driver="COG", COMPRESS="DEFLATE",
                                 BLOCKSIZE="256", OVERVIEW_RESAMPLING="AVERAGE")
    return path


@pytest.fixture(scope="module")
def cog(tmp_path_factory) -> Path:
    rows, cols = np.mgrid[0:1000, 0:1200]
    data = 3.0 + 0.001 * cols + 0.002 * rows
    return write_cog(tmp_path_factory.mktemp("tiles") / "dem.tif", data)


def test_levels_and_overviews(cog):
    source = DemTileSource(cog, "EPSG:4549", tile_cells=64)
    assert not source.warped and source.overviews  # a COG has internal overviews
    assert source.max_level == 5  # 1200 / 64 = 18.75 -> 32 tiles a side at level 5
    root = source.read_tile(TileKey(0, 0, 0))
    assert root.heights.shape[0] <= 65 and root.transform.a == pytest.approx(CELL * 32)
    finest = source.read_tile(TileKey(5, 3, 2))
    assert finest.heights.shape == (65, 65) and finest.transform.a == pytest.approx(CELL)
    # Full-resolution nodes sit on cell centres and carry the cells' values.
    x, y = finest.node_coordinates()
    col = (x[0] - LEFT) / CELL - 0.5
    row = (TOP - y[0]) / CELL - 0.5
    assert (col, row) == (3 * 64, 2 * 64)
    assert finest.heights[0, 0] == pytest.approx(3.0 + 0.001 * col + 0.002 * row, abs=1e-5)


@pytest.mark.parametrize("level", [2, 4, 5])
def test_neighbouring_tiles_share_their_edge(cog, level):
    source = DemTileSource(cog, "EPSG:4549", tile_cells=64)
    west, east = source.read_tile(TileKey(level, 0, 0)), source.read_tile(TileKey(level, 1, 0))
    north, south = source.read_tile(TileKey(level, 0, 1)), west
    np.testing.assert_allclose(west.node_coordinates()[0][-1], east.node_coordinates()[0][0])
    np.testing.assert_allclose(west.heights[:, -1], east.heights[:, 0], atol=1e-4)
    np.testing.assert_allclose(south.heights[-1, :], north.heights[0, :], atol=1e-4)


def test_tiles_outside_the_raster_do_not_exist(cog):
    source = DemTileSource(cog, "EPSG:4549", tile_cells=64)
    assert source.exists(TileKey(5, 18, 15))
    assert not source.exists(TileKey(5, 19, 0)) and not source.exists(TileKey(5, 0, 16))


def test_a_dem_in_another_crs_is_warped(tmp_path, cog):
    utm = tmp_path / "utm.tif"
    with rasterio.open(cog) as src:
        transform, width, height = rasterio.warp.calculate_default_transform(
            src.crs, "EPSG:32651", src.width, src.height, *src.bounds)
        data = np.full((height, width), np.nan, dtype=np.float32)
        rasterio.warp.reproject(rasterio.band(src, 1), data, dst_transform=transform,
                                dst_crs="EPSG:32651", dst_nodata=np.nan)
    with rasterio.open(utm, "w", driver="GTiff", width=width, height=height, count=1,
                       dtype="float32", crs="EPSG:32651", transform=transform,
                       nodata=np.nan) as dst:
        dst.write(data, 1)
    source = DemTileSource(utm, "EPSG:4549", tile_cells=64)
    direct = DemTileSource(cog, "EPSG:4549", tile_cells=64)
    assert source.warped
    tile = source.read_tile(TileKey(source.max_level, 4, 4))
    x, y = tile.node_coordinates()
    expected = 3.0 + 0.001 * ((x[None, :] - LEFT) / CELL - 0.5) + 0.002 * (
        (TOP - y[:, None]) / CELL - 0.5)
    finite = np.isfinite(tile.heights)
    assert finite.mean() > 0.9
    np.testing.assert_allclose(tile.heights[finite], expected[finite], atol=0.01)
    assert source.bounds[0] <= direct.bounds[0] + CELL
    assert source.bounds[3] >= direct.bounds[3] - CELL


def test_a_dem_without_crs_is_refused(tmp_path):
    path = tmp_path / "plain.tif"
    with rasterio.open(path, "w", driver="GTiff", width=4, height=4, count=1,
                       dtype="float32") as dataset:
        dataset.write(np.zeros((1, 4, 4), dtype=np.float32))
    with pytest.raises(AssetLoadError, match="no CRS"):
        DemTileSource(path, "EPSG:4549")
