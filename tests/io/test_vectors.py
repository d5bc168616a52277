"""Reading GeoJSON layers in the scene CRS, and the errors a user sees for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twin_app.core.errors import AssetLoadError
from twin_app.io.vectors import VectorFeature, read_geojson

SCENE_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}}
LINE = {"type": "LineString", "coordinates": [[629000.0, 3485700.0], [629100.0, 3485750.5]]}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[629000.0, 3485700.0], [629010.0, 3485700.0], [629010.0, 3485710.0],
                     [629000.0, 3485710.0], [629000.0, 3485700.0]]],
}


def feature(geometry: dict | None, **properties: object) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write(path: Path, features: list[dict], crs: dict | None = SCENE_CRS, **extra: object) -> Path:
    document: dict = {"type": "FeatureCollection", "features": features, **extra}
    if crs is not None:
        document["crs"] = crs
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_reads_features_in_order(tmp_path):
    path = write(tmp_path / "walls.geojson",
                 [feature(LINE, id="wall", crest_m=6.9, name_zh="防汛墙"), feature(SQUARE)])
    features = read_geojson(path)
    assert [type(f) for f in features] == [VectorFeature, VectorFeature]
    assert [f.index for f in features] == [0, 1]
    assert features[0].geometry.geom_type == "LineString"
    assert features[0].geometry.length == pytest.approx((100.0**2 + 50.5**2) ** 0.5)
    assert features[0].properties == {"id": "wall", "crest_m": 6.9, "name_zh": "防汛墙"}
    assert features[1].geometry.geom_type == "Polygon"
    assert features[1].geometry.area == pytest.approx(100.0)
    assert features[1].properties == {}


def test_missing_crs_member_means_scene_crs(tmp_path):
    features = read_geojson(write(tmp_path / "plain.geojson", [feature(LINE)], crs=None))
    assert features[0].geometry.bounds[0] == 629000.0


def test_single_feature_document(tmp_path):
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps({**feature(LINE, id="x"), "crs": SCENE_CRS}), encoding="utf-8")
    (only,) = read_geojson(path)
    assert only.properties["id"] == "x" and only.index == 0


@pytest.mark.parametrize(
    "name", ["EPSG:4549", "urn:ogc:def:crs:EPSG:9.8.15:4549",
             "http://www.opengis.net/def/crs/EPSG/0/4549"],
)
def test_other_spellings_of_the_scene_crs(tmp_path, name):
    crs = {"type": "name", "properties": {"name": name}}
    assert len(read_geojson(write(tmp_path / "a.geojson", [feature(LINE)], crs=crs))) == 1


def test_wrong_crs_is_rejected(tmp_path):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4528"}}
    path = write(tmp_path / "zone40.geojson", [feature(LINE)], crs=crs)
    with pytest.raises(AssetLoadError) as caught:
        read_geojson(path)
    message = str(caught.value)
    assert "zone40.geojson" in message
    assert "EPSG:4528" in message and "EPSG:4549" in message


def test_crs84_is_rejected_as_lonlat(tmp_path):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    lonlat = {"type": "LineString", "coordinates": [[121.35, 31.48], [121.36, 31.49]]}
    path = write(tmp_path / "wgs84.geojson", [feature(lonlat)], crs=crs)
    with pytest.raises(AssetLoadError, match="EPSG:4326, but the scene CRS is EPSG:4549"):
        read_geojson(path)


def test_expected_crs_can_be_another_scene_crs(tmp_path):
    path = write(tmp_path / "a.geojson", [feature(LINE)])
    with pytest.raises(AssetLoadError, match="in EPSG:4549, but the scene CRS is EPSG:4528"):
        read_geojson(path, expected_crs="EPSG:4528")


def test_lonlat_without_crs_member_is_rejected(tmp_path):
    lonlat = {"type": "LineString", "coordinates": [[121.35, 31.48], [121.36, 31.49]]}
    path = write(tmp_path / "rfc7946.geojson", [feature(lonlat)], crs=None)
    with pytest.raises(AssetLoadError, match="longitude/latitude") as caught:
        read_geojson(path)
    assert "rfc7946.geojson" in str(caught.value)


def test_unreadable_crs_member(tmp_path):
    crs = {"type": "name", "properties": {"name": "my local grid"}}
    with pytest.raises(AssetLoadError, match="cannot tell the EPSG code"):
        read_geojson(write(tmp_path / "a.geojson", [feature(LINE)], crs=crs))


def test_bad_geometry_names_the_feature_index(tmp_path):
    one_point = {"type": "LineString", "coordinates": [[629000.0, 3485700.0]]}
    path = write(tmp_path / "walls.geojson",
                 [feature(LINE), feature(SQUARE), feature(one_point)])
    with pytest.raises(AssetLoadError, match="feature 2 has an invalid geometry") as caught:
        read_geojson(path)
    assert "walls.geojson" in str(caught.value)


def test_missing_geometry_names_the_feature_index(tmp_path):
    path = write(tmp_path / "walls.geojson", [feature(LINE), feature(None)])
    with pytest.raises(AssetLoadError, match=r"walls\.geojson: feature 1 has no geometry"):
        read_geojson(path)


def test_unknown_geometry_type_names_the_feature_index(tmp_path):
    path = write(tmp_path / "a.geojson", [feature({"type": "Curve", "coordinates": []})])
    with pytest.raises(AssetLoadError, match="feature 0 has an invalid geometry"):
        read_geojson(path)


def test_self_intersecting_polygon_names_the_feature_index(tmp_path):
    bow_tie = {"type": "Polygon", "coordinates": [[[0.0, 0.0], [10.0, 10.0], [10.0, 0.0],
                                                   [0.0, 10.0], [0.0, 0.0]]]}
    moved = {"type": "Polygon",
             "coordinates": [[[x + 629000.0, y + 3485700.0] for x, y in bow_tie["coordinates"][0]]]}
    path = write(tmp_path / "a.geojson", [feature(LINE), feature(moved)])
    with pytest.raises(AssetLoadError, match="feature 1 has an invalid Polygon"):
        read_geojson(path)


def test_non_feature_entry_names_its_index(tmp_path):
    path = write(tmp_path / "a.geojson", [feature(LINE), LINE])
    with pytest.raises(AssetLoadError, match="feature 1 is not a GeoJSON Feature"):
        read_geojson(path)


def test_invalid_json_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [,]}', encoding="utf-8")
    with pytest.raises(AssetLoadError, match=r"broken\.geojson: not valid JSON: .* line 2"):
        read_geojson(path)


def test_bare_geometry_is_not_supported(tmp_path):
    path = tmp_path / "bare.geojson"
    path.write_text(json.dumps(LINE), encoding="utf-8")
    with pytest.raises(AssetLoadError, match="GeoJSON type 'LineString' is not supported"):
        read_geojson(path)


def test_missing_file(tmp_path):
    with pytest.raises(AssetLoadError, match=r"nothing\.geojson: the vector file does not exist"):
        read_geojson(tmp_path / "nothing.geojson")


def test_empty_collection_gives_no_features(tmp_path):
    assert read_geojson(write(tmp_path / "empty.geojson", [])) == []
