"""Tiled terrain: LOD by screen-space error, background loading, structures cut in, and
off-screen renders of each shipped scene's terrain (saved to /tmp/terrain_shots/ for a look)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
import rasterio.shutil
from affine import Affine
from PIL import Image
from rasterio.io import MemoryFile
from shapely.geometry import Polygon

from twin_app.core.footprints import Footprint
from twin_app.core.geo import HeightDatum, SceneFrame
from twin_app.io.dem_tiles import DemTileSource, TileKey
from twin_app.render.terrain_mesh import tile_mesh
from twin_app.render.terrain_tiles import CameraState, TerrainTileLayer, TileSelector

LEFT, TOP, CELL, SIZE = 600000.0, 3500000.0, 2.0, 2048
SHOTS = Path("/tmp/terrain_shots")
FRAME = SceneFrame("EPSG:4549", (LEFT + SIZE, TOP - SIZE, 0.0),
                   HeightDatum("吴淞高程", "Wusong", -1.66))


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> DemTileSource:
    rows, cols = np.mgrid[0:SIZE, 0:SIZE]
    data = (3.5 + 0.5 * np.sin(cols / 50.0) * np.cos(rows / 70.0)).astype(np.float32)
    path = tmp_path_factory.mktemp("lod") / "dem.tif"
    profile = {"driver": "GTiff", "width": SIZE, "height": SIZE, "count": 1, "dtype": "float32",
               "crs": "EPSG:4549", "transform": Affine(CELL, 0.0, LEFT, 0.0, -CELL, TOP)}
    with MemoryFile() as memory:
        with memory.open(**profile) as dataset:
            dataset.write(data, 1)
        with memory.open() as dataset:
            rasterio.shutil.copy(dataset, path, driver="COG", COMPRESS="DEFLATE")
    return DemTileSource(path, "EPSG:4549", tile_cells=64)


def test_lod_picks_finer_tiles_near_the_camera(source):
    selector = TileSelector(source, FRAME, pixel_error=3.0, z_range=(3.0, 4.0))
    # Low over the south-west corner, looking north-east across the whole DEM.
    camera = CameraState(position=(-SIZE + 50.0, -SIZE + 50.0, 60.0), view_angle_deg=30.0,
                         viewport_height=1080)
    tiles = selector.select(camera, limit=400)
    assert tiles
    left, bottom, right, top = source.bounds
    assert sum(area(source.tile_bounds(t)) for t in tiles) == pytest.approx(
        (right - left) * (top - bottom))

    def distance(key: TileKey) -> float:
        l_, b_, r_, t_ = source.tile_bounds(key)
        cx, cy = (l_ + r_) / 2 - FRAME.origin[0], (b_ + t_) / 2 - FRAME.origin[1]
        return float(np.hypot(cx - camera.position[0], cy - camera.position[1]))

    nearest = min(tiles, key=distance)
    farthest = max(tiles, key=distance)
    assert nearest.level == source.max_level
    assert farthest.level < nearest.level - 1
    levels = np.array([t.level for t in tiles])
    distances = np.array([distance(t) for t in tiles])
    assert np.corrcoef(levels, distances)[0, 1] < -0.5
    # From far above, a handful of coarse tiles is enough.
    high = CameraState(position=(0.0, 0.0, 40_000.0), view_angle_deg=30.0, viewport_height=1080)
    assert max(t.level for t in selector.select(high)) <= 2
    # The triangle budget caps the detail (llvmpipe): worst tiles split first.
    budget = TileSelector(source, FRAME, pixel_error=3.0, z_range=(3.0, 4.0),
                          triangle_budget=20 * 2 * 64**2)
    capped = budget.select(camera)
    assert len(capped) <= 20 and min(capped, key=distance).level >= 3


def area(bounds: tuple[float, float, float, float]) -> float:
    return (bounds[2] - bounds[0]) * (bounds[3] - bounds[1])


def test_frustum_culls_tiles_behind_the_camera(source):
    selector = TileSelector(source, FRAME, pixel_error=3.0, z_range=(3.0, 4.0))
    # Looking east from the middle: planes x >= 0 roughly (a wide frustum).
    planes = np.array([[1.0, 0.0, 0.0, 0.0]] * 4 + [[0.0, 0.0, 0.0, 1.0]] * 2)
    camera = CameraState((0.0, 0.0, 3000.0), 30.0, 1080, planes)
    tiles = selector.select(camera, limit=400)
    assert tiles and all(source.tile_bounds(t)[2] >= FRAME.origin[0] for t in tiles)
    everything = selector.select(CameraState((0.0, 0.0, 3000.0), 30.0, 1080), limit=400)
    assert len(tiles) < len(everything) < 400


@pytest.mark.parametrize(("base", "crest", "expected"), [
    (-3.5, -1.5, -1.5),  # a structure under the ground: the terrain is cut down to its top
    (6.0, 9.0, 6.0),  # a structure above the ground: the terrain is raised to its base
])
def test_structures_are_neither_buried_nor_floating(source, base, crest, expected):
    import shapely

    tile = source.read_tile(TileKey(source.max_level, 5, 5))
    x, y = tile.node_coordinates()
    x0, y0 = x[20], y[20]
    slab = Footprint("hub/slab", "Slab", Polygon([(x0, y0), (x0 + 30, y0), (x0 + 30, y0 - 20),
                                                  (x0, y0 - 20)]), base=base, crest=crest)
    mesh = tile_mesh(tile, FRAME, [slab])
    points = mesh.points + np.asarray(FRAME.origin)
    inside = ((points[:, 0] > x0 + 2) & (points[:, 0] < x0 + 28)
              & (points[:, 1] < y0 - 2) & (points[:, 1] > y0 - 18))
    assert inside.sum() > 50
    np.testing.assert_allclose(points[inside, 2], expected)
    away = shapely.distance(slab.polygon, shapely.points(points[:, :2])) > 3.0
    assert points[away, 2].min() > 2.5 and points[away, 2].max() < 4.5  # the rest keeps the DEM


def test_shipped_models_cut_the_terrain_only_where_they_stand():
    from twin_app.core.scene_loader import load_scene
    from twin_app.render.geometry import build_scene_geometry
    from twin_app.render.terrain_scene import structure_footprints

    document = load_scene("huangpu")
    footprints = structure_footprints(document, build_scene_geometry(document))
    assert len(footprints) > 10
    river_width = 450.0
    # One model holds walls on both banks and a gate: no footprint spans the river.
    assert all(max(np.ptp(np.asarray(fp.polygon.exterior.coords), axis=0)) < river_width
               for fp in footprints)
    assert all(fp.crest > fp.base for fp in footprints)


def test_layer_loads_in_the_background_and_follows_the_camera(source):
    pv = pytest.importorskip("pyvista")
    plotter = pv.Plotter(off_screen=True, window_size=(640, 360))
    layer = TerrainTileLayer(plotter, source, FRAME, pixel_error=8.0)
    try:
        near_sw = CameraState((-SIZE + 50.0, -SIZE + 50.0, 60.0), 30.0, 360)
        layer.update(near_sw)
        layer.wait()
        first = set(layer.shown)
        assert first and layer.triangle_count() > 0
        fine_sw = [k for k in first if k.level == source.max_level]
        assert fine_sw
        near_ne = CameraState((SIZE - 50.0, SIZE - 50.0, 60.0), 30.0, 360)
        layer.update(near_ne)
        layer.poll()  # before the new tiles arrive, coarser loaded ancestors stand in
        assert layer.shown
        layer.wait()
        assert set(layer.shown) != first
        assert max(layer.shown, key=lambda k: (k.col + k.row, k.level)).level == source.max_level
    finally:
        layer.close()
        plotter.close()


@pytest.mark.needs_rendering
@pytest.mark.parametrize("scene", ["xinchuansha", "huangpu", "suzhou_west_gate"])
def test_scene_terrain_renders(scene):
    from twin_app.render.terrain_shots import render_terrain_shots

    SHOTS.mkdir(parents=True, exist_ok=True)
    shots = render_terrain_shots(scene, SHOTS, size=(960, 540))
    assert set(shots) == {"region", "overview", "closeup"}
    for kind, path in shots.items():
        image = np.asarray(Image.open(path).convert("RGB")).astype(int)
        lower = image[300:530].reshape(-1, 3)
        background = np.array([0x1C, 0x2A, 0x3A])
        assert (np.abs(lower - background).sum(axis=1) > 30).mean() > 0.9, f"{kind}: holes"
        green = (lower[:, 1] > lower[:, 0] + 5) & (lower[:, 1] > lower[:, 2])
        assert green.mean() > 0.05, f"{kind}: no land"


def test_an_orthophoto_in_another_crs_is_draped_on_the_tiles(source, tmp_path):
    pv = pytest.importorskip("pyvista")
    from pyproj import Transformer

    # A red image over the west half of the DEM, in lon/lat.
    to_lonlat = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)
    west, south = to_lonlat.transform(LEFT - 100, TOP - SIZE * CELL - 100)
    east, north = to_lonlat.transform(LEFT + SIZE * CELL / 2, TOP + 100)
    cols, rows = 200, 200
    image = tmp_path / "ortho.tif"
    with rasterio.open(image, "w", driver="GTiff", width=cols, height=rows, count=3,
                       dtype="uint8", crs="EPSG:4326",
                       transform=rasterio.transform.from_bounds(west, south, east, north,
                                                                cols, rows)) as dataset:
        dataset.write(np.stack([np.full((rows, cols), 230, np.uint8),
                                np.full((rows, cols), 10, np.uint8),
                                np.full((rows, cols), 10, np.uint8)]))
    plotter = pv.Plotter(off_screen=True, window_size=(320, 200))
    layer = TerrainTileLayer(plotter, source, FRAME, imagery=image)
    try:
        layer.update(CameraState((0.0, 0.0, 20_000.0), 30.0, 200))
        layer.wait()
        meshes = layer.shown_meshes()
        points = np.vstack([m.points for m in meshes])
        rgb = np.vstack([m.point_data["rgb"] for m in meshes])
        west_half = points[:, 0] + FRAME.origin[0] < LEFT + SIZE * CELL / 2 - 100
        east_half = points[:, 0] + FRAME.origin[0] > LEFT + SIZE * CELL / 2 + 100
        assert (rgb[west_half] == [230, 10, 10]).all(axis=1).mean() > 0.95
        assert not (rgb[east_half] == [230, 10, 10]).all(axis=1).any()
    finally:
        layer.close()
        plotter.close()
