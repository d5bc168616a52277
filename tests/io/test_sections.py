"""Seepage sections derived from the Huangpu scene: terrain, BIM walls and cut-offs, soils."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import Polygon
from twin_seepage import SteadySolver

from tests.conftest import SCENES
from twin_app.core.scene_loader import load_scene
from twin_app.io.dem import read_dem
from twin_app.io.ifc import load_ifc_model
from twin_app.io.section_checks import creep_path, section_checks
from twin_app.io.section_cut import cut_model
from twin_app.io.section_derive import derive_section
from twin_app.io.sections import (
    SectionFileError,
    load_placed_section,
    read_soil_profile,
    scene_sections,
)

WALL_E = 641606.31
"""Easting of the Bund wall's axis (bim_assets/huangpu/build_huangpu.py); the river is east."""
NORTH = 3458516.13
"""A line across wall segment 3, 0.5 m north of piezometer HPK-PZ-01 (which is at a joint)."""


@pytest.fixture(scope="module")
def document():
    return load_scene("huangpu")


@pytest.fixture(scope="module")
def model(document):
    return load_ifc_model(document.resolve(document.spec.assets[0].file))


@pytest.fixture(scope="module")
def derived(document, model):
    # drawn from the land to the river: the derivation turns it round
    return derive_section(document, (WALL_E - 60.0, NORTH), (WALL_E + 40.0, NORTH),
                          section_id="T-1", models=[model])


def test_the_section_runs_from_the_river_to_the_land(derived):
    assert derived.start == pytest.approx((WALL_E + 40.0, NORTH))
    assert derived.end == pytest.approx((WALL_E - 60.0, NORTH))
    assert derived.map_point(40.0) == pytest.approx((WALL_E, NORTH))


def test_wall_and_cut_off_are_where_the_model_has_them(derived, model):
    section = derived.section
    # the IFC model: stem 1.2 m thick from 3.0 to 6.9 m on the wall axis (x = 40 m), footing
    # 3.2 m wide from 2.0 to 3.0 m reaching 2.4 m landward, sheet pile 0.4 m thick to -10 m
    (wall,) = section.walls
    outline = Polygon(wall.polygon)
    xmin, zmin, xmax, zmax = outline.bounds
    assert (xmin, zmin, xmax, zmax) == pytest.approx((39.2, 2.0, 42.4, 6.9), abs=2e-3)
    assert outline.area == pytest.approx(1.2 * 3.9 + 3.2 * 1.0, abs=1e-2)
    (pile,) = section.sheet_piles
    assert np.ravel(pile.points) == pytest.approx([40.0, 2.0, 40.0, -10.0], abs=2e-3)
    crossed = " ".join(derived.derivation["elements"])
    assert "segment 3" in crossed and "footing 3" in crossed and "sheet-pile cut-off 3" in crossed
    crest = model.element_properties(next(
        e.global_id for e in model.elements if e.name and e.name.endswith("segment 3")
        and "Bund flood wall, south" in e.name))["Twin_Design"]["CrestLevel"][0]
    assert zmax == pytest.approx(crest)


def test_ground_layers_and_boundaries(derived, document):
    section = derived.section
    dem = read_dem(document.resolve(document.spec.terrain.detail))
    for x in (5.0, 30.0, 60.0, 95.0):
        east, north = derived.map_point(x)
        top = max(z for layer in section.layers for px, z in layer.polygon
                  if abs(px - x) < 0.51)
        assert top == pytest.approx(dem.height_at(east, north), abs=0.15)
    soils = {layer.soil.name for layer in section.layers}
    assert soils == {"fill", "grey silty clay", "sandy silt", "mucky clay"}
    assert section.bounds()[1] == pytest.approx(-30.0)
    assert section.river.level == pytest.approx(5.86)
    assert section.land.level == pytest.approx(2.0)
    assert max(x for x, _ in section.river.points) == pytest.approx(39.4)  # wall face
    assert min(x for x, _ in section.land.points) > 40.5
    assert derived.checks["aquifer"] == "sandy silt"


def test_piezometers_come_from_the_scene_and_the_model(derived):
    found = {p.id: [p.x, p.z] for p in derived.section.piezometers}
    # HPK-PZ-01 from scene.toml; HPK-PZ-04/05 only in the IFC model (Twin_Sensor psets)
    assert sorted(found) == ["HPK-PZ-01", "HPK-PZ-04", "HPK-PZ-05"]
    expected = {"HPK-PZ-01": [48.0, -2.0], "HPK-PZ-04": [41.5, -2.0], "HPK-PZ-05": [36.0, -2.0]}
    for pid, position in expected.items():
        assert found[pid] == pytest.approx(position)


def test_the_shipped_sections_match_a_fresh_derivation(document, model):
    shipped = scene_sections(document.folder)
    assert [placed.id for placed in shipped] == ["MS-1", "MS-2", "MS-3"]
    for placed in shipped:
        again = derive_section(document, placed.start, placed.end, section_id=placed.id,
                               models=[model], generator="scenes/make_sections.py")
        assert again.to_dict() == placed.to_dict(), f"rerun scenes/make_sections.py ({placed.id})"


def test_a_line_through_a_wall_joint_cuts_no_wall(model):
    joint = 3458515.64  # between segments 2 and 3
    assert cut_model(model, (WALL_E + 40, joint), (WALL_E - 60, joint), "EPSG:4549") == []


def test_checks_of_the_derived_section(derived):
    solver = SteadySolver(derived.section, size=3.0)
    checks = section_checks(derived, solver.solve(5.86), 5.86)
    names = [check.name for check in checks]
    assert names == ["exit gradient vs critical", "exit gradient vs allowable",
                     "Lane creep ratio", "Sellmeijer piping", "uplift of blanket", "heave"]
    assert all(check.passed for check in checks)
    vertical, horizontal = creep_path(derived)
    assert vertical == pytest.approx(2 * 12.0 + 1.08 + 1.0 + 1.0 + 1.07, abs=0.05)
    assert horizontal == pytest.approx(0.2 + 3.2 + 1.8, abs=0.01)


def test_a_thin_blanket_fails_uplift_under_an_extreme_stage(document, model, tmp_path):
    text = (SCENES / "huangpu" / "soils.toml").read_text(encoding="utf-8")
    thin = (text.replace("bottom = 2.0", "bottom = 3.8").replace("bottom = -1.0", "bottom = 3.5")
            .replace("land_level = 2.0", "land_level = 3.9"))
    path = tmp_path / "soils.toml"
    path.write_text(thin, encoding="utf-8")
    placed = derive_section(document, (WALL_E + 40.0, NORTH), (WALL_E - 60.0, NORTH),
                            section_id="thin", models=[model], soils=read_soil_profile(path))
    result = SteadySolver(placed.section, size=3.0).solve(9.0)
    checks = {c.name: c for c in section_checks(placed, result, 9.0)}
    assert not checks["uplift of blanket"].passed
    assert checks["uplift of blanket"].safety_factor < 1.0


def test_bad_soil_profiles_are_named(tmp_path):
    text = (SCENES / "huangpu" / "soils.toml").read_text(encoding="utf-8")
    path = tmp_path / "soils.toml"
    path.write_text(text.replace("bottom = -16.0", "bottom = 5.0"), encoding="utf-8")
    with pytest.raises(SectionFileError, match=r"soils\.toml: layers\[2\].*not below"):
        read_soil_profile(path)
    path.write_text(text.replace("kx = 1e-7\n", ""), encoding="utf-8")
    with pytest.raises(SectionFileError, match=r"layers\[1\]: missing key 'kx'"):
        read_soil_profile(path)
    with pytest.raises(SectionFileError, match="cannot read"):
        read_soil_profile(tmp_path / "none.toml")


def test_a_section_file_round_trips(derived, tmp_path):
    path = derived.save(tmp_path / "T-1.toml")
    again = load_placed_section(path)
    assert again.to_dict() == derived.to_dict()
    assert again.line == pytest.approx(derived.line)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Seepage section T-1") and "ILLUSTRATIVE" in text
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('soil = "fill"', 'soil = "peat"', 1), encoding="utf-8")
    with pytest.raises(SectionFileError, match=r"broken\.toml.*peat"):
        load_placed_section(broken)
    assert np.isfinite(derived.length)
