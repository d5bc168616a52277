"""The three shipped scenes load, and their terrain, vectors, models and sensors agree with each
other and with the public facts in reference/projects.md (lon/lat, sill, crest and bed levels)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest
import rasterio
import shapely
from pyproj import Transformer

from twin_app.core.scene import SensorKind
from twin_app.core.scene_loader import SceneDocument, load_scene
from twin_app.io.dem import DemRaster, read_dem
from twin_app.io.vectors import VectorFeature, read_geojson

SCENE_CRS_URN = "urn:ogc:def:crs:EPSG::4549"


@dataclass(frozen=True)
class Facts:
    """What the reference says about a scene's work, and the bands the scene must respect."""

    lonlat: tuple[float, float]
    work_asset: str
    centreline_id: str
    channel_band: tuple[float, float]
    channel_max: float
    wall_bands: dict[str, tuple[float, float]]
    published_thresholds: tuple[float, ...]


FACTS = {
    # Old Xinchuansha sluice lon/lat; sill -3.26 m; seawall crest about 8-9 m; bank crests.
    "xinchuansha": Facts((121.357708, 31.486419), "xcs_hub", "xcs_river", (-4.0, -3.26),
                         -2.9, {"seawall": (8.0, 9.0), "bank": (4.0, 5.0)}, (4.80, 6.27, 150.0)),
    # Huangpu Park station; thalweg -9 to -12 m; Bund wall 6.9 m, Suzhou Creek wall 5.2 m.
    "huangpu": Facts((121.486565, 31.245073), "huangpu_works", "huangpu_river", (-12.0, -9.0),
                     -9.0, {"flood_wall": (5.2, 6.9)}, (4.55, 5.86, 6.9, 4.79)),
    # West Gate (derived position); bed about -1.5 m; bank walls 5.2 m.
    "suzhou_west_gate": Facts((121.19, 31.275), "szw_west_gate", "suzhou_river", (-2.5, -1.5),
                              -1.3, {"flood_wall": (5.2, 5.2)}, (4.79, 5.2, 3.70)),
}
GROUND_BAND = (3.0, 5.0)
"""Where a thin wall is not part of the DEM, the ground under it (Bund ground is 3-4 m)."""

_TO_MAP = Transformer.from_crs("EPSG:4490", "EPSG:4549", always_xy=True)


@pytest.fixture(scope="module", params=sorted(FACTS))
def scene(request) -> tuple[str, SceneDocument, DemRaster, list[VectorFeature]]:
    document = load_scene(request.param)
    assert document.spec.terrain is not None
    dem = read_dem(document.resolve(document.spec.terrain.file))
    features = [f for layer in document.spec.layers
                for f in read_geojson(document.resolve(layer.file))]
    return request.param, document, dem, features


def inside(dem: DemRaster, x: float, y: float, margin: float = 0.0) -> bool:
    left, bottom, right, top = dem.bounds
    return left + margin < x < right - margin and bottom + margin < y < top - margin


def sample_line(dem: DemRaster, line: shapely.LineString, step: float = 5.0) -> np.ndarray:
    points = shapely.line_interpolate_point(line, np.arange(0.0, line.length, step))
    xy = shapely.get_coordinates(points)
    heights = dem.heights_at(xy[:, 0], xy[:, 1])
    return heights[np.isfinite(heights)]


def undrained(heights: np.ndarray, tolerance: float = 1e-4) -> np.ndarray:
    """Return the cells with no 4-connected path that never rises to the grid edge."""
    z = np.pad(heights.astype(np.float64), 1, constant_values=np.inf)
    drained = np.zeros(z.shape, dtype=bool)
    drained[1:-1, 1:-1] = True
    drained[2:-2, 2:-2] = False
    core = (slice(1, -1), slice(1, -1))
    while True:
        grown = drained.copy()
        for axis, step in ((0, 1), (0, -1), (1, 1), (1, -1)):
            neighbour_drained = np.roll(drained, step, axis=axis)
            neighbour_z = np.roll(z, step, axis=axis)
            grown[core] |= (neighbour_drained & (neighbour_z <= z + tolerance))[core]
        if np.array_equal(grown, drained):
            return ~drained[core]
        drained = grown


def test_scene_identity_and_frame(scene):
    name, document, _, _ = scene
    spec = document.spec
    assert spec.id == name
    assert spec.crs.horizontal == "EPSG:4549"
    assert spec.vertical_datum.name.zh == "吴淞高程"
    assert spec.vertical_datum.to_nhd1985_m == pytest.approx(-1.66)
    assert "unverified" in spec.vertical_datum.note.lower()
    assert spec.illustrative_note.zh and "illustrative" in spec.illustrative_note.en.lower()


def test_dem_file_format(scene):
    _, document, dem, _ = scene
    path = document.resolve(document.spec.terrain.file)
    assert dem.crs == "EPSG:4549"
    assert max(dem.shape) <= 400
    assert all(5.0 <= size <= 10.0 for size in dem.cell_size)
    left, bottom, right, top = dem.bounds
    assert 2000.0 <= right - left <= 4000.0 and 2000.0 <= top - bottom <= 4000.0
    assert path.stat().st_size < 1.5e6
    assert np.isfinite(dem.heights).all()
    with rasterio.open(path) as dataset:
        assert dataset.dtypes[0] == "float32" and dataset.nodata == -9999.0
        assert dataset.tags(ns="IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
        assert dataset.tags(ns="IMAGE_STRUCTURE")["PREDICTOR"] == "3"
        tags = dataset.tags()
    assert "Wusong" in tags["VERTICAL_DATUM"] and "吴淞" in tags["VERTICAL_DATUM"]
    assert tags["ILLUSTRATIVE"].startswith("yes")
    assert tags["SOURCE"]


def test_published_location_is_inside_the_dem(scene):
    name, document, dem, _ = scene
    easting, northing = _TO_MAP.transform(*FACTS[name].lonlat)
    assert inside(dem, easting, northing, margin=500.0)
    import ifcopenshell

    from twin_app.io.ifc.georef import read_georeference

    asset = next(a for a in document.spec.assets if a.id == FACTS[name].work_asset)
    georef = read_georeference(ifcopenshell.open(str(document.resolve(asset.file))))
    model_east, model_north, _ = georef.local_to_map([[0.0, 0.0, 0.0]])[0]
    offset = np.hypot(model_east - easting, model_north - northing)
    assert offset < 300.0, f"{asset.id} is {offset:.0f} m from the published location"


def test_dem_under_walls_matches_stated_heights(scene):
    name, _, dem, features = scene
    bands = FACTS[name].wall_bands
    walls = [f for f in features if f.properties.get("kind") in bands]
    assert walls, "the scene has no flood-wall, seawall or bank lines"
    for wall in walls:
        kind, crest = wall.properties["kind"], wall.properties["crest_m"]
        low, high = bands[kind]
        assert low <= crest <= high, f"{wall.properties['id']}: crest {crest} m outside {bands}"
        heights = sample_line(dem, wall.geometry)
        assert heights.size > 20
        p5, p50, p95 = np.percentile(heights, [5, 50, 95])
        if wall.properties["dem_represents"] == "crest":
            assert abs(p50 - crest) <= 0.15, f"{wall.properties['id']}: median {p50:.2f} m"
            assert p5 >= crest - 0.5, f"{wall.properties['id']}: 5th percentile {p5:.2f} m"
        else:
            assert wall.properties["dem_represents"] == "ground"
            assert GROUND_BAND[0] <= p5 and p95 <= GROUND_BAND[1], wall.properties["id"]
            assert crest - p95 >= 0.8, f"{wall.properties['id']}: wall barely above ground"


def test_channel_at_the_work_is_at_or_below_the_published_level(scene):
    name, _, dem, features = scene
    facts = FACTS[name]
    (centreline,) = [f.geometry for f in features if f.properties.get("id") == facts.centreline_id]
    work = shapely.Point(_TO_MAP.transform(*facts.lonlat))
    nearest = centreline.interpolate(centreline.project(work))
    height = dem.height_at(nearest.x, nearest.y)
    low, high = facts.channel_band
    assert low <= height <= high, f"channel at the work is {height:.2f} m"
    along = sample_line(dem, centreline.intersection(shapely.box(*dem.bounds)), step=10.0)
    assert along.max() <= facts.channel_max, "the channel is blocked somewhere along its line"


def test_every_cell_drains_to_the_edge(scene):
    _, _, dem, _ = scene
    pits = undrained(dem.heights)
    assert not pits.any(), f"{int(pits.sum())} cells lie in closed depressions"


def test_vector_files_declare_the_scene_crs(scene):
    _, document, _, _ = scene
    for layer in document.spec.layers:
        raw = json.loads(document.resolve(layer.file).read_text(encoding="utf-8"))
        assert raw["crs"]["properties"]["name"] == SCENE_CRS_URN


def test_sensors_sit_on_the_map_and_not_underground(scene):
    _, document, dem, _ = scene
    sensors = document.spec.sensors
    assert len(sensors) >= 10
    for sensor in sensors:
        x, y, z = sensor.position
        assert inside(dem, x, y), f"{sensor.id} is outside the terrain"
        if sensor.kind is not SensorKind.PIEZOMETER:
            assert z >= dem.height_at(x, y) - 0.5, f"{sensor.id} is buried"
    kinds = {sensor.kind for sensor in sensors}
    assert {SensorKind.WATER_LEVEL, SensorKind.RAINFALL, SensorKind.GATE_OPENING,
            SensorKind.PIEZOMETER, SensorKind.SETTLEMENT} <= kinds


def test_published_thresholds_are_labelled_published(scene):
    name, document, _, _ = scene
    thresholds = [t for s in document.spec.sensors for t in s.thresholds]
    published = {round(t.value, 2) for t in thresholds if t.source.startswith("published")}
    assert set(FACTS[name].published_thresholds) <= published
    for threshold in thresholds:
        assert threshold.source.startswith("published") or "illustrative" in threshold.source


def test_default_viewpoint_looks_at_the_work_from_mid_range(scene):
    _, document, dem, _ = scene
    view = document.spec.viewpoint()
    assert view is not None and view.id == document.spec.default_viewpoint
    fx, fy, _ = view.focal_point
    assert inside(dem, fx, fy, margin=300.0)
    px, py, pz = view.position
    assert 500.0 <= np.hypot(px - fx, py - fy) <= 1200.0
    assert 250.0 <= pz <= 600.0
    assert len(document.spec.viewpoints) >= 2


def test_models_and_scenarios(scene):
    """Each scene shows its work's IFC model, placed by the model's own georeferencing."""
    name, document, _, _ = scene
    spec = document.spec
    (asset,) = spec.assets
    assert asset.kind == "ifc" and asset.georeferencing == "ifc" and asset.illustrative
    model = document.resolve(asset.file)
    assert model.parent.parent.name == "bim_assets" and model.suffix == ".ifc"
    assert model.parent.name == name
    assert len(spec.scenarios) == 2
    assert {scenario.plugin for scenario in spec.scenarios} == {"twin_flood"}
    assert all(scenario.illustrative for scenario in spec.scenarios)


