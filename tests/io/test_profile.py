"""Elevation profiles along a line, and identify-on-click on vector layers."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from shapely.geometry import LineString, Polygon

from twin_app.core.errors import InputError
from twin_app.core.footprints import Footprint
from twin_app.core.scene_loader import load_scene
from twin_app.io.dem import DemRaster, read_dem
from twin_app.io.profile import elevation_profile
from twin_app.io.vector_query import identify
from twin_app.io.vectors import VectorFeature, read_geojson

LEFT, TOP, CELL = 1000.0, 2000.0, 2.0


@pytest.fixture
def dem() -> DemRaster:
    _, cols = np.mgrid[0:200, 0:300]
    heights = (3.0 + 0.01 * cols).astype(np.float32)  # rises 1 cm per column (2 m) eastwards
    heights[:, 140:160] = -2.0  # a channel running north-south
    heights.setflags(write=False)
    return DemRaster(heights, Affine(CELL, 0.0, LEFT, 0.0, -CELL, TOP), "EPSG:4549", None)


def test_profile_samples_the_dem_at_its_resolution(dem):
    line = [(LEFT + 21.0, TOP - 101.0), (LEFT + 501.0, TOP - 101.0)]
    profile = elevation_profile(dem, line, datum="Wusong datum", water_level=2.5)
    assert profile.step_m == 2.0 and profile.length_m == pytest.approx(480.0)
    assert profile.distance.size == 241
    assert profile.ground[0] == pytest.approx(3.0 + 0.01 * 10, abs=1e-4)
    channel = (profile.easting > LEFT + 282) & (profile.easting < LEFT + 318)
    assert np.all(profile.ground[channel] == pytest.approx(-2.0))
    flooded = profile.flooded()
    assert flooded[channel].all()
    assert not flooded[(profile.easting < LEFT + 276) | (profile.easting > LEFT + 324)].any()
    assert profile.datum == "Wusong datum"


def test_profile_reports_structure_and_wall_crests(dem):
    line = [(LEFT + 21.0, TOP - 101.0), (LEFT + 501.0, TOP - 101.0)]
    gate = Footprint("gate/slab", "Gate", Polygon([(LEFT + 280, TOP - 120), (LEFT + 320, TOP - 120),
                                                   (LEFT + 320, TOP - 80), (LEFT + 280, TOP - 80)]),
                     base=-3.0, crest=5.2)
    wall = VectorFeature(LineString([(LEFT + 400, TOP), (LEFT + 400, TOP - 400)]),
                         {"id": "w1", "name_en": "Flood wall", "crest_m": 6.9}, 0)
    unrated = VectorFeature(LineString([(LEFT + 450, TOP), (LEFT + 450, TOP - 400)]),
                            {"id": "c1"}, 1)
    profile = elevation_profile(dem, line, footprints=[gate], walls=[wall, unrated])
    assert [c.name for c in profile.crests] == ["Gate", "Flood wall"]
    structure, wall_crossing = profile.crests
    assert structure.source == "structure" and structure.crest_m == 5.2
    assert (structure.start_m, structure.end_m) == pytest.approx((259.0, 299.0))
    assert wall_crossing.source == "wall line" and wall_crossing.middle_m == pytest.approx(379.0)
    _, ys = profile.crest_points()
    assert list(ys) == [5.2, 5.2, 6.9, 6.9]


def test_a_line_of_one_point_is_refused(dem):
    with pytest.raises(InputError, match="two different points"):
        elevation_profile(dem, [(LEFT + 5, TOP - 5), (LEFT + 5, TOP - 5)])


def test_profile_across_a_shipped_river_finds_bed_and_bank_crests():
    document = load_scene("suzhou_west_gate")
    dem = read_dem(document.resolve(document.spec.terrain.detail))
    walls = [f for layer in document.spec.layers for f in read_geojson(document.resolve(layer.file))
             if "crest_m" in f.properties]
    centre = next(f for f in read_geojson(document.resolve("vectors/river_centrelines.geojson"))
                  if f.properties["id"] == "suzhou_river").geometry
    middle = centre.interpolate(centre.length * 0.7)
    ahead = centre.interpolate(centre.length * 0.7 + 5.0)
    direction = np.array([ahead.x - middle.x, ahead.y - middle.y])
    normal = np.array([-direction[1], direction[0]]) / np.hypot(*direction)
    line = [tuple(np.array([middle.x, middle.y]) + s * normal) for s in (-150.0, 150.0)]
    profile = elevation_profile(dem, line, datum="Wusong datum", walls=walls)
    assert np.nanmin(profile.ground) < -1.0  # the bed
    crests = [c.crest_m for c in profile.crests if c.source == "wall line"]
    assert crests == [5.2, 5.2]
    near_walls = [np.nanmax(profile.ground[np.abs(profile.distance - c.middle_m) < 4])
                  for c in profile.crests]
    assert all(abs(h - 5.2) < 0.3 for h in near_walls)  # the DEM carries the wall embankments


def test_identify_prefers_lines_then_smallest_polygon():
    big = VectorFeature(Polygon([(0, 0), (100, 0), (100, 100), (0, 100)]), {"id": "polder"}, 0)
    small = VectorFeature(Polygon([(10, 10), (30, 10), (30, 30), (10, 30)]), {"id": "zone"}, 0)
    line = VectorFeature(LineString([(50, 0), (50, 100)]), {"id": "wall", "crest_m": 5.2}, 3)
    layers = {"polders": [big], "zones": [small], "walls": [line]}
    hit = identify(layers, 52.0, 50.0, tolerance_m=5.0)
    assert hit is not None and hit.layer_id == "walls" and hit.properties["crest_m"] == 5.2
    assert hit.index == 3 and hit.distance_m == pytest.approx(2.0)
    assert identify(layers, 20.0, 20.0).properties["id"] == "zone"
    assert identify(layers, 80.0, 80.0).properties["id"] == "polder"
    assert identify(layers, 500.0, 500.0) is None


def test_identify_on_a_shipped_scene_layer():
    document = load_scene("huangpu")
    layers = {layer.id: read_geojson(document.resolve(layer.file))
              for layer in document.spec.layers}
    zone = layers["warning_zones"][0].geometry
    inside = zone.representative_point()
    hit = identify({"warning_zones": layers["warning_zones"]}, inside.x, inside.y)
    assert hit is not None and hit.properties["kind"] == "warning_zone"
    assert hit.properties["illustrative"] is True
