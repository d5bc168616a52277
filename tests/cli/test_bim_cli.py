"""``twin-app bim inspect``: every shared sample, one work model, and the files it must refuse.

Each file is inspected once through the real command (``main([...])`` in this process, JSON
output) and the report is reused by the tests; a few runs go through the installed ``twin-app``
script to check exit status, stdout and stderr as a user sees them. Expected values come from
ifcopenshell directly (schema, classes, IfcApplication, map conversion) and from a bare
world-coordinate tessellation mapped with the IfcMapConversion formula written out here.

Samples: ../shared/samples/ifc (MANIFEST.md there: buildingSMART sample models CC BY-ND 4.0,
IFC-infra-unit-test CC BY 4.0, the Duplex CC BY 4.0).
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.util.shape
import numpy as np
import pytest

from tests.io.ifc.ifc_samples import EXCLUDE, OCC, profile_space_segments, write_walls
from tests.scene_factory import MINIMAL_SCENE, write_scene
from twin_app.cli import build_parser, main
from twin_app.cli.bim import format_report
from twin_app.io.ifc import read_georeference

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / ".." / "shared" / "samples" / "ifc"
RC3 = SAMPLES / "Georeferencing-Earthworks-12d-1.ifc"
DUPLEX = SAMPLES / "duplex.ifc"
UTM = SAMPLES / "geographic-referencing-utm.ifc"
XINCHUANSHA = REPO / "bim_assets" / "xinchuansha" / "xinchuansha.ifc"
LOADABLE = sorted(p for p in SAMPLES.glob("*.ifc") if p != RC3)
FILES = [*LOADABLE, XINCHUANSHA]
SCENE_OF = {XINCHUANSHA: "xinchuansha"}  # the work model is inspected in its scene's frame
TWIN_APP = str(Path(sys.executable).parent / "twin-app")
MM = 1e-3

TOP_KEYS = ["report_version", "file", "size_bytes", "schema", "authoring", "counts",
            "georeference", "bounding_box", "skipped", "warnings", "timings"]
NESTED_KEYS = {
    "authoring": {"tool", "originating_system", "preprocessor_version", "time_stamp",
                  "applications"},
    "counts": {"elements", "by_class", "spatial_by_class", "shapes", "unique_representations",
               "triangles", "unique_triangles", "skipped", "without_geometry"},
    "georeference": {"found", "source", "crs", "crs_name", "eastings", "northings",
                     "orthogonal_height", "rotation_deg", "x_axis_abscissa", "x_axis_ordinate",
                     "scale", "scale_given", "applied_scale", "project_unit_m", "map_unit_m",
                     "geodetic_datum", "vertical_datum", "warnings"},
    "bounding_box": {"coordinates", "crs", "scene", "origin", "min", "max", "size",
                     "min_local", "max_local", "note", "warnings"},
    "timings": {"cold_s", "warm_s", "warm_speedup", "worker_start_s", "parse_s",
                "tessellate_s", "restarts", "worker_peak_rss_mb", "cache"},
}


def _main(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(args))
    return status, out.getvalue()


@functools.cache
def inspected(path: Path, *options: str) -> dict[str, Any]:
    """Run ``twin-app bim inspect PATH --json [options]`` once per session; return the JSON."""
    status, out = _main("bim", "inspect", str(path), "--json", *options)
    assert status == 0
    return json.loads(out)


def report_of(path: Path) -> dict[str, Any]:
    """The session's report of a file (the work model in its scene's frame)."""
    scene = SCENE_OF.get(path)
    return inspected(path, "--scene", scene) if scene else inspected(path)


def run(*args: str) -> subprocess.CompletedProcess:
    """Run the installed ``twin-app`` script."""
    return subprocess.run([TWIN_APP, *args], capture_output=True, text=True, timeout=180,
                          check=False, env=dict(os.environ))


@functools.cache
def world_vertices(path: Path) -> np.ndarray:
    """Every vertex of a bare OpenCASCADE tessellation in world coordinates (metres)."""
    ifc_file = ifcopenshell.open(str(path))
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    skip = profile_space_segments(ifc_file)
    found = [np.zeros((0, 3))]
    if not ifc_file.by_type("IfcProduct"):
        return found[0]
    for shape in ifcopenshell.geom.iterator(settings, ifc_file, 1, exclude=EXCLUDE,
                                            geometry_library=OCC):
        if shape.guid not in skip:
            found.append(ifcopenshell.util.shape.get_vertices(shape.geometry))
    return np.vstack(found)


def test_every_shared_sample_is_inspected():
    assert {p.name for p in SAMPLES.glob("*.ifc")} == {p.name for p in LOADABLE} | {RC3.name}
    assert len(LOADABLE) == 5


def test_bim_inspect_has_help():
    result = run("bim", "inspect", "--help")
    assert result.returncode == 0
    for option in ("--json", "--scene", "--no-cache"):
        assert option in result.stdout
    args = build_parser().parse_args(["bim", "inspect", "x.ifc"])
    assert (args.json, args.scene, args.no_cache) == (False, None, False)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_report_keys_schema_tool_and_counts(path: Path):
    report = report_of(path)
    assert list(report) == TOP_KEYS
    for key, keys in NESTED_KEYS.items():
        assert set(report[key]) == keys, key
    ifc_file = ifcopenshell.open(str(path))
    assert report["schema"] == ifc_file.schema_identifier
    assert report["size_bytes"] == path.stat().st_size
    # authoring tool: IfcOwnerHistory's IfcApplication and the header's FILE_NAME
    names = {a.ApplicationFullName for a in ifc_file.by_type("IfcApplication")}
    assert {a["name"] for a in report["authoring"]["applications"]} == names
    assert report["authoring"]["originating_system"] == (
        ifc_file.header.file_name.originating_system or None)
    assert report["authoring"]["tool"]
    # element counts by class (spatial structure apart), shapes and triangles
    products = ifc_file.by_type("IfcProduct")
    spatial = {p.id() for p in products if p.is_a("IfcSpatialElement")
               or p.is_a("IfcSpatialStructureElement")}
    counts = report["counts"]
    assert counts["by_class"] == dict(Counter(p.is_a() for p in products if p.id() not in spatial))
    assert counts["elements"] == len(products) - len(spatial)
    assert counts["unique_representations"] <= counts["shapes"] <= counts["elements"]
    assert counts["unique_triangles"] <= counts["triangles"]
    assert (counts["triangles"] > 0) == bool(counts["shapes"])
    assert report["skipped"] == [] and counts["skipped"] == 0


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_georeferencing_is_reported_as_written(path: Path):
    found = report_of(path)["georeference"]
    expected = read_georeference(ifcopenshell.open(str(path)), check_area=False)
    assert found["found"] == (expected is not None)
    if expected is None:
        assert found["crs"] is None and found["warnings"] == []
        return
    for key in ("source", "crs", "eastings", "northings", "orthogonal_height", "scale",
                "applied_scale"):
        assert found[key] == getattr(expected, key), key
    assert found["rotation_deg"] == pytest.approx(math.degrees(math.atan2(
        expected.x_axis_ordinate, expected.x_axis_abscissa)))
    assert found["warnings"][:len(expected.warnings)] == expected.warnings


def test_utm_sample_scale_warning_is_reported():
    georef = report_of(UTM)["georeference"]
    assert (georef["crs"], georef["scale"], georef["applied_scale"]) == (
        "EPSG:25832", 1000.0, 0.001)
    assert any("Scale = 1000" in text for text in georef["warnings"])


def _map(points: np.ndarray, georef: dict[str, Any]) -> np.ndarray:
    """IfcMapConversion written out: scale, rotate anticlockwise, translate (IFC 4.3)."""
    theta = math.atan2(georef["x_axis_ordinate"], georef["x_axis_abscissa"])
    # the tessellation gives metres; applied_scale is map units per project unit
    s = georef["applied_scale"] / georef["project_unit_m"]
    x, y, z = (s * points).T
    return np.column_stack([georef["eastings"] + math.cos(theta) * x - math.sin(theta) * y,
                            georef["northings"] + math.sin(theta) * x + math.cos(theta) * y,
                            georef["orthogonal_height"] + z])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_bounding_box_matches_a_bare_tessellation(path: Path):
    report = report_of(path)
    box, georef = report["bounding_box"], report["georeference"]
    vertices = world_vertices(path)
    if not len(vertices):
        assert box["min"] is None and "no geometry" in box["note"]
        return
    if georef["found"]:
        vertices = _map(vertices, georef)
        assert box["coordinates"] == ("scene" if path in SCENE_OF else "model map")
        assert box["crs"] == georef["crs"]
    else:
        assert box["coordinates"] == "local" and "not georeferenced" in box["note"]
    np.testing.assert_allclose(box["min"], vertices.min(axis=0), atol=MM)
    np.testing.assert_allclose(box["max"], vertices.max(axis=0), atol=MM)
    np.testing.assert_allclose(box["size"], np.subtract(box["max"], box["min"]), atol=1e-9)


def test_work_model_in_its_scene_frame():
    box = report_of(XINCHUANSHA)["bounding_box"]
    assert (box["scene"], box["crs"], box["origin"]) == (
        "xinchuansha", "EPSG:4549", [629000.0, 3485700.0, 0.0])
    np.testing.assert_allclose(box["min_local"], np.subtract(box["min"], box["origin"]))
    np.testing.assert_allclose(box["max_local"], np.subtract(box["max"], box["origin"]))
    assert box["warnings"] == []
    # the hub lies within a few hundred metres of the scene origin
    assert np.all(np.abs(box["min_local"][:2]) < 500) and np.all(np.abs(box["max_local"][:2])
                                                                  < 500)


def test_a_model_in_another_crs_is_reprojected_into_the_scene_and_flagged():
    box = inspected(UTM, "--scene", "xinchuansha", "--no-cache")["bounding_box"]
    assert (box["coordinates"], box["crs"]) == ("scene", "EPSG:4549")
    assert "reprojected" in box["note"] and "EPSG:25832" in box["note"]
    assert any("km from the origin of scene 'xinchuansha'" in w for w in box["warnings"])


def test_cold_and_warm_load_times():
    for path in FILES:
        timings = report_of(path)["timings"]
        assert timings["cache"] == "temporary folder"
        assert 0 < timings["warm_s"] < timings["cold_s"], path.name
        assert timings["warm_speedup"] == pytest.approx(timings["cold_s"] / timings["warm_s"])


def test_no_cache_and_an_element_that_breaks_the_kernel(tmp_path: Path):
    path = tmp_path / "walls.ifc"
    guids = write_walls(path, count=3, broken=1)
    report = inspected(path, "--no-cache", "--scene", "xinchuansha")
    assert report["timings"]["warm_s"] is None and report["timings"]["cache"] == "not used"
    assert [s["global_id"] for s in report["skipped"]] == [guids[1]]
    assert "Non-positive extrusion height" in report["skipped"][0]["reason"]
    assert report["counts"]["shapes"] == 2
    box = report["bounding_box"]
    assert box["coordinates"] == "local" and box["min_local"] is None
    assert "not georeferenced" in box["note"] and "xinchuansha" in box["note"]
    text = format_report(report)
    assert "skipped:     1 element(s)" in text and guids[1] in text
    assert "warm - (cache not used)" in text


def test_text_output_of_the_installed_command():
    result = run("bim", "inspect", str(UTM))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for expected in ("schema:      IFC4X3_ADD2", "IfcBuildingElementProxy", "EPSG:25832",
                     "eastings 458,657.300, northings 5,438,232.250",
                     "orthogonal height 113.700", "rotation 74.3", "warning: Scale = 1000",
                     "bounds:      map coordinates, EPSG:25832", "skipped:     0 element(s)",
                     "cold ", "warm "):
        assert expected in text, expected
    same = format_report(report_of(UTM)).splitlines()
    assert [line.split()[0] for line in text.splitlines()] == [
        line.split()[0] for line in same]


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("twin-app: error: ")
    return lines[0]


def test_a_truncated_file_fails_naming_the_file_and_line(tmp_path: Path):
    path = tmp_path / "duplex_truncated.ifc"
    data = DUPLEX.read_bytes()[:1_200_000]
    path.write_bytes(data)
    last_line = data.count(b"\n") + 1
    line = _one_line_error(run("bim", "inspect", str(path), "--json"))
    assert f"{path}:{last_line}: the file is truncated" in line
    assert "again" in line


def test_rc3_names_its_schema_and_the_documented_header_upgrade():
    line = _one_line_error(run("bim", "inspect", str(RC3)))
    assert str(RC3) in line and "IFC schema IFC4X3_RC3 is not supported" in line
    assert "release candidate" in line
    assert "header upgrade" in line and "upgrade_header" in line and "IFC4X3_ADD2" in line


@pytest.mark.parametrize(("content", "problem"), [
    (None, "no such file"), (b"PK\x03\x04", "zip archive"),
    (b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(", "HEADER section is incomplete"),
])
def test_files_that_cannot_be_read(tmp_path: Path, content: bytes | None, problem: str):
    path = tmp_path / "model.ifc"
    if content is not None:
        path.write_bytes(content)
    status = _main("bim", "inspect", str(path))[0]
    assert status == 1
    assert problem in _one_line_error(run("bim", "inspect", str(path)))


def test_an_unknown_scene_is_a_usage_error():
    result = run("bim", "inspect", str(UTM), "--scene", "no-such-scene")
    assert result.returncode == 2
    assert "no scene 'no-such-scene'" in result.stderr


def test_a_scene_asset_placement_places_a_model_without_georeferencing(tmp_path: Path):
    folder = tmp_path / "scene"
    folder.mkdir()
    write_walls(folder / "walls.ifc", count=3)  # x 0..14, y 0..0.2, z 0..3 (metres)
    write_scene(folder, MINIMAL_SCENE + """
[[assets]]
id = "walls"
name = { zh = "墙", en = "Walls" }
kind = "ifc"
file = "walls.ifc"
placement = { easting = 340100.0, northing = 3484200.0, height = 1.0, rotation_deg = 90.0 }
""")
    box = inspected(folder / "walls.ifc", "--scene", str(folder), "--no-cache")["bounding_box"]
    assert (box["coordinates"], box["crs"], box["scene"]) == ("scene", "EPSG:4549", "mini")
    assert "asset 'walls'" in box["note"]
    # turned 90 degrees anticlockwise: x runs north, y runs west
    np.testing.assert_allclose(box["min"], [340099.8, 3484200.0, 1.0], atol=1e-6)
    np.testing.assert_allclose(box["max"], [340100.0, 3484214.0, 4.0], atol=1e-6)
    np.testing.assert_allclose(box["min_local"], [99.8, 200.0, 1.0], atol=1e-6)
