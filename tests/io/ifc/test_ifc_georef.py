"""Georeferencing: IfcMapConversion, the IFC2X3 ePSet, plausibility warnings, map positions."""

from __future__ import annotations

import math
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.georeference
import numpy as np
import pytest
from ifc_samples import EPSET, RC3, SIGNAL, UTM, WORKS, loaded, write_walls
from pyproj import Transformer

from twin_app.io.ifc import Georeference, load_ifc_model, read_georeference, upgrade_header
from twin_app.io.ifc.georef import plausible_scale

# Published positions of the works (bim_assets/README.md, from reference/projects.md).
PUBLISHED_LON_LAT = {
    "xinchuansha.ifc": (121.357708, 31.486419),   # the old Xinchuansha sluice
    "huangpu_bund.ifc": (121.486565, 31.245073),  # Huangpu Park tide station
    "west_gate.ifc": (121.19, 31.275),            # derived position of the West Gate
}


def _dms(parts: tuple[int, ...]) -> float:
    degrees, minutes, seconds, millionths = (*parts, 0, 0, 0, 0)[:4]
    return degrees + minutes / 60 + (seconds + millionths / 1e6) / 3600


def test_utm_sample_scale_1000_is_flagged_and_the_unit_ratio_used():
    georef = read_georeference(ifcopenshell.open(str(UTM)))
    assert georef is not None
    assert (georef.source, georef.crs) == ("IfcMapConversion", "EPSG:25832")
    assert (georef.eastings, georef.northings, georef.orthogonal_height) == (
        458657.30, 5438232.25, 113.7)
    assert georef.rotation_deg == pytest.approx(math.degrees(math.atan2(0.962691746426,
                                                                        0.270600445976)))
    assert georef.scale == 1000.0 and georef.project_unit_m == 0.001
    assert georef.applied_scale == pytest.approx(0.001)
    assert len(georef.warnings) == 1
    assert "Scale = 1000" in georef.warnings[0] and "millimetre" in georef.warnings[0]


def test_utm_sample_lands_where_its_map_conversion_and_site_say():
    model = loaded(UTM)
    georef = model.georeference
    # a known vertex: the first vertex of the one shape, in model metres
    vertex = model.instance_vertices(0)[0]
    theta = math.atan2(0.962691746426, 0.270600445976)
    project_units = vertex / 0.001                  # millimetres, the project unit
    scaled = 0.001 * project_units                  # Scale (unit ratio) to metres of the CRS
    expected = np.array([
        458657.30 + math.cos(theta) * scaled[0] - math.sin(theta) * scaled[1],
        5438232.25 + math.sin(theta) * scaled[0] + math.cos(theta) * scaled[1],
        113.7 + scaled[2]])
    np.testing.assert_allclose(georef.local_to_map(vertex[None])[0], expected, atol=1e-6)
    # the engineering origin lands on the site's RefLatitude/RefLongitude (within a metre)
    site = ifcopenshell.open(str(UTM)).by_type("IfcSite")[0]
    lon, lat, height = georef.to_crs(np.zeros((1, 3)), "EPSG:4326")[0]
    assert lat == pytest.approx(_dms(site.RefLatitude), abs=1e-5)
    assert lon == pytest.approx(_dms(site.RefLongitude), abs=1e-5)
    assert height == pytest.approx(113.7)


def test_ifc2x3_epset_map_conversion():
    georef = read_georeference(ifcopenshell.open(str(EPSET)))
    assert georef is not None
    assert georef.source == "ePSet_MapConversion"
    assert georef.crs == "EPSG:25832"
    assert (georef.eastings, georef.northings, georef.scale) == (458657.3, 5438232.25, 0.001)
    assert georef.warnings == []  # Scale 0.001 is right for a millimetre project
    one_metre_along_x = georef.local_to_map([[1.0, 0.0, 0.0]])[0]
    np.testing.assert_allclose(one_metre_along_x[:2] - [458657.3, 5438232.25],
                               [0.270600445976, 0.962691746426], atol=1e-9)


def test_signal_sample_carries_map_coordinates_and_lands_in_italy():
    model = loaded(SIGNAL)
    georef = model.georeference
    assert georef.crs == "EPSG:3065" and georef.eastings == 0 and georef.warnings == []
    vertex = model.instance_vertices(0)[:1]
    np.testing.assert_allclose(georef.local_to_map(vertex), vertex)
    lon, lat, _ = georef.to_crs(model.bounds().mean(axis=0, keepdims=True), "EPSG:4326")[0]
    assert 12 < lon < 18 and 36 < lat < 47


@pytest.mark.parametrize("path", WORKS, ids=lambda p: p.name)
def test_works_land_within_metres_of_their_published_position(path: Path):
    model = loaded(path)
    georef = model.georeference
    assert georef.crs == "EPSG:4549" and georef.warnings == []
    lon, lat = PUBLISHED_LON_LAT[path.name]
    east, north = Transformer.from_crs("EPSG:4490", "EPSG:4549", always_xy=True).transform(
        lon, lat)
    origin = georef.local_to_map(np.zeros((1, 3)))[0]
    assert math.hypot(origin[0] - east, origin[1] - north) < 2.0
    centre = georef.local_to_map(model.bounds().mean(axis=0, keepdims=True))[0]
    assert math.hypot(centre[0] - east, centre[1] - north) < 1500.0
    back_lon, back_lat, _ = georef.to_crs(np.zeros((1, 3)), "EPSG:4490")[0]
    assert (back_lon, back_lat) == pytest.approx((lon, lat), abs=2e-5)


def test_upgraded_rc3_keeps_its_georeference_and_absolute_coordinates(tmp_path: Path):
    out = tmp_path / "earthworks.ifc"
    upgrade_header(RC3, out)
    georef = read_georeference(ifcopenshell.open(str(out)))
    assert georef.crs == "EPSG:7856" and georef.eastings == 0 and georef.warnings == []


@pytest.mark.slow
def test_upgraded_rc3_loads_at_its_map_position(tmp_path: Path):
    out = tmp_path / "earthworks.ifc"
    upgrade_header(RC3, out)
    model = load_ifc_model(out, use_cache=False)
    centre = model.georeference.local_to_map(model.bounds().mean(axis=0, keepdims=True))[0]
    # MANIFEST.md: E ~255 315, N ~7 410 830 (EPSG:7856)
    assert abs(centre[0] - 255_315) < 1000 and abs(centre[1] - 7_410_830) < 1000
    assert model.counts().elements_by_class == {
        "IfcEarthworksFill": 3, "IfcEarthworksCut": 1, "IfcGeotechnicalStratum": 1}
    assert model.skipped == []


def test_round_trip_and_heights_pass_through():
    georef = Georeference(source="IfcMapConversion", crs="EPSG:4549", crs_name="EPSG:4549",
                          eastings=629009.58, northings=3485703.82, orthogonal_height=1.5,
                          x_axis_abscissa=0.906307787037, x_axis_ordinate=-0.422618261741)
    points = np.random.default_rng(1).uniform(-500, 500, (50, 3))
    np.testing.assert_allclose(georef.map_to_local(georef.local_to_map(points)), points,
                               atol=1e-8)
    reprojected = georef.to_crs(points, "EPSG:4326")
    np.testing.assert_allclose(reprojected[:, 2], points[:, 2] + 1.5)
    assert georef.rotation_deg == pytest.approx(-25.0, abs=1e-6)


@pytest.mark.parametrize(("scale", "given", "project", "mapped", "applied", "warns"), [
    (1000.0, True, 0.001, 1.0, 0.001, "implausible"),
    (0.001, True, 1.0, 1.0, 1.0, "implausible"),
    (1.0, True, 0.001, 1.0, 0.001, "implausible"),
    (1.0, False, 0.001, 1.0, 0.001, "omitted"),
    (0.001, True, 0.001, 1.0, 0.001, None),
    (0.9996, True, 1.0, 1.0, 0.9996, None),
    (0.3048, True, 1.0, 1.0, 0.3048, "more than 10 %"),
    (1.0, True, 0.3048, 0.3048, 1.0, None),
])
def test_scale_plausibility(scale, given, project, mapped, applied, warns):
    used, warnings = plausible_scale(scale, given, project, mapped)
    assert used == pytest.approx(applied)
    if warns is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and warns in warnings[0]


def _georeferenced_walls(tmp_path: Path, **conversion) -> ifcopenshell.file:
    path = tmp_path / "walls.ifc"
    write_walls(path, count=1)
    ifc_file = ifcopenshell.open(str(path))
    ifcopenshell.api.georeference.add_georeferencing(ifc_file)
    projected = ifc_file.by_type("IfcProjectedCRS")[0]
    projected.Name = conversion.pop("name")
    operation = ifc_file.by_type("IfcMapConversion")[0]
    for attribute, value in conversion.items():
        setattr(operation, attribute, value)
    return ifc_file


def test_zero_length_axis_and_a_crs_name_that_is_no_epsg_code(tmp_path: Path):
    ifc_file = _georeferenced_walls(tmp_path, name="Shanghai local grid", Eastings=1.0,
                                    Northings=2.0, XAxisAbscissa=0.0, XAxisOrdinate=0.0)
    georef = read_georeference(ifc_file)
    assert georef.crs is None and georef.rotation_deg == 0.0
    assert any("zero-length x axis" in w for w in georef.warnings)
    assert any("not an EPSG code" in w for w in georef.warnings)
    with pytest.raises(ValueError, match="not an EPSG code"):
        georef.to_crs(np.zeros((1, 3)), "EPSG:4326")


def test_eastings_outside_the_area_of_use(tmp_path: Path):
    # CGCS2000 / 3-degree GK CM 120E covers China between 118.5E and 121.5E, north of 24.4N;
    # a northing of 1000 km is about 9N, in the South China Sea
    ifc_file = _georeferenced_walls(tmp_path, name="EPSG:4549", Eastings=458657.3,
                                    Northings=1_000_000.0)
    georef = read_georeference(ifc_file)
    assert any("outside the area of use of EPSG:4549" in w for w in georef.warnings)


def test_no_georeference(tmp_path: Path):
    path = tmp_path / "walls.ifc"
    write_walls(path, count=1)
    assert read_georeference(ifcopenshell.open(str(path))) is None
