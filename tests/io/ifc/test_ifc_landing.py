"""Gaps filled beside the other IFC tests: an IFC2X3 model with geometry placed by its
ePSet_MapConversion (the shared IFC2X3 sample has no geometry), checked in map coordinates; and
what a user is told about an element the geometry kernel rejects, cold and from the cache.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import ifcopenshell
import ifcopenshell.api.owner
import ifcopenshell.api.owner.settings
import ifcopenshell.api.pset
import numpy as np
import pytest
from ifc_samples import write_walls

from twin_app.io.ifc import load_ifc_model

E, N, H = 629_009.58, 3_485_703.82, 1.5
ANGLE_DEG = -25.0


def _user(ifc_file: ifcopenshell.file) -> ifcopenshell.entity_instance:
    found = ifc_file.by_type("IfcPersonAndOrganization")
    if found:
        return found[0]
    return ifcopenshell.api.owner.add_person_and_organisation(
        ifc_file, person=ifcopenshell.api.owner.add_person(ifc_file),
        organisation=ifcopenshell.api.owner.add_organisation(ifc_file))


def _application(ifc_file: ifcopenshell.file) -> ifcopenshell.entity_instance:
    found = ifc_file.by_type("IfcApplication")
    return found[0] if found else ifcopenshell.api.owner.add_application(ifc_file)


def _ifc2x3_walls_with_epset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                             ) -> tuple[Path, list[str]]:
    # IFC2X3 needs an owner history on every rooted entity: give the api a user and application
    monkeypatch.setattr(ifcopenshell.api.owner.settings, "get_user", _user)
    monkeypatch.setattr(ifcopenshell.api.owner.settings, "get_application", _application)
    path = tmp_path / "walls_2x3.ifc"
    guids = write_walls(path, count=3, schema="IFC2X3")
    ifc_file = ifcopenshell.open(str(path))
    project = ifc_file.by_type("IfcProject")[0]
    crs = ifcopenshell.api.pset.add_pset(ifc_file, product=project, name="ePSet_ProjectedCRS")
    ifcopenshell.api.pset.edit_pset(ifc_file, pset=crs, properties={
        "Name": "EPSG:4549", "GeodeticDatum": "CGCS2000", "VerticalDatum": "Wusong",
        "MapUnit": "METRE"})
    conversion = ifcopenshell.api.pset.add_pset(ifc_file, product=project,
                                                name="ePSet_MapConversion")
    angle = math.radians(ANGLE_DEG)
    ifcopenshell.api.pset.edit_pset(ifc_file, pset=conversion, properties={
        "Eastings": E, "Northings": N, "OrthogonalHeight": H,
        "XAxisAbscissa": math.cos(angle), "XAxisOrdinate": math.sin(angle), "Scale": 1.0})
    ifc_file.write(str(path))
    return path, guids


def test_an_ifc2x3_model_lands_where_its_epset_map_conversion_says(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path, guids = _ifc2x3_walls_with_epset(tmp_path, monkeypatch)
    model = load_ifc_model(path, use_cache=False)
    georef = model.georeference
    assert (georef.source, georef.crs, georef.warnings) == ("ePSet_MapConversion", "EPSG:4549",
                                                            [])
    assert georef.vertical_datum == "Wusong"
    cos, sin = math.cos(math.radians(ANGLE_DEG)), math.sin(math.radians(ANGLE_DEG))
    bounds = model.element_bounds()
    for index, guid in enumerate(guids):
        # write_walls: wall i is 4 m long (x), 0.2 m thick (y), 3 m high, placed at x = 5 i
        low, high = bounds[guid]
        np.testing.assert_allclose(low, [5.0 * index, 0.0, 0.0], atol=1e-6)
        np.testing.assert_allclose(high, [5.0 * index + 4.0, 0.2, 3.0], atol=1e-6)
        corners = np.array([[x, y, z] for x in (low[0], high[0]) for y in (low[1], high[1])
                            for z in (low[2], high[2])])
        expected = np.column_stack([E + cos * corners[:, 0] - sin * corners[:, 1],
                                    N + sin * corners[:, 0] + cos * corners[:, 1],
                                    H + corners[:, 2]])
        np.testing.assert_allclose(georef.local_to_map(corners), expected, atol=1e-6)
    # the far end of the last wall, 14 m along the rotated x axis, in map coordinates
    far = georef.local_to_map([[14.0, 0.0, 0.0]])[0]
    assert math.hypot(far[0] - E, far[1] - N) == pytest.approx(14.0)
    assert math.degrees(math.atan2(far[1] - N, far[0] - E)) == pytest.approx(ANGLE_DEG)


def test_an_element_the_kernel_rejects_is_named_in_the_log_and_stays_listed_from_the_cache(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    path = tmp_path / "walls.ifc"
    guids = write_walls(path, count=3, broken=0)
    with caplog.at_level(logging.WARNING, logger="twin_app.io.ifc"):
        cold = load_ifc_model(path, cache_dir=tmp_path / "cache")
    messages = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(messages) == 1
    assert messages[0].startswith(f"walls.ifc: skipped IfcWall {guids[0]} (wall 0): ")
    assert "Non-positive extrusion height" in messages[0]
    warm = load_ifc_model(path, cache_dir=tmp_path / "cache")
    assert warm.timings.from_cache
    assert [(s.global_id, s.ifc_class, s.name) for s in warm.skipped] == [
        (guids[0], "IfcWall", "wall 0")]
    assert warm.skipped == cold.skipped
    assert len(warm.instances) == len(cold.instances) == 2
