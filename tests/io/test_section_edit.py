"""Editing a seepage section: each edit, the solver's validation after it, the draft's state."""

from __future__ import annotations

import dataclasses
import re

import pytest
from shapely.geometry import Polygon
from twin_seepage import build_mesh

from tests.conftest import SCENES
from twin_app.io.section_edit import (
    BOUNDARY,
    LAYER,
    PIEZOMETER,
    PILE,
    WALL,
    SectionDraft,
    SectionEditError,
    add_piezometer,
    apply_edit,
    cells,
    move_layer_bottom,
    validation_problem,
)
from twin_app.io.sections import load_placed_section

LAYERS = ["fill 1", "fill 2", "grey silty clay", "sandy silt", "mucky clay"]


@pytest.fixture
def placed():
    return load_placed_section(SCENES / "huangpu" / "sections" / "MS-1.toml")


def _bounds(placed, name: str) -> tuple[float, ...]:
    layer = next(layer for layer in placed.section.layers if layer.name == name)
    return Polygon(layer.polygon).bounds


def test_the_tables_show_the_section(placed):
    layers = cells(placed, LAYER)
    assert [row[0] for row in layers] == LAYERS
    assert layers[3][:6] == ["sandy silt", "sandy silt", "-1", "-16", "5e-06", "2e-06"]
    assert layers[3][-3:] == ["0.00012", "2e-05", "very_fine_sand_or_silt"]
    assert cells(placed, PILE)[0][1:] == ["40", "2", "-10"]
    assert cells(placed, WALL)[0][1:] == ["39.2", "42.4", "2", "6.9"]
    assert cells(placed, BOUNDARY) == [["5.86"], ["2"]]
    assert cells(placed, PIEZOMETER)[0] == ["HPK-PZ-01", "48", "-2"]
    with pytest.raises(SectionEditError, match="unknown part 'soil'"):
        cells(placed, "soil")


def test_a_soil_value_applies_to_every_layer_of_that_soil(placed):
    edited = apply_edit(placed, LAYER, 0, "kx", "3e-6")
    fills = [layer.soil.kx for layer in edited.section.layers if layer.soil.name == "fill"]
    assert fills == [3e-6, 3e-6]
    assert placed.section.layers[0].soil.kx == 2e-6  # the original is not changed
    own = apply_edit(edited, LAYER, 1, "soil", "landward fill")  # a soil of its own
    assert own.section.layers[1].soil.name == "landward fill"
    assert own.section.layers[1].soil.kx == 3e-6
    again = apply_edit(own, LAYER, 1, "kz", "9e-7")
    assert again.section.layers[0].soil.kz == 1e-6 and again.section.layers[1].soil.kz == 9e-7
    back = apply_edit(again, LAYER, 1, "soil", "grey silty clay")  # an existing soil
    assert back.section.layers[1].soil == placed.section.layers[2].soil


@pytest.mark.parametrize(("key", "text", "message"), [
    ("kx", "0", r"layer 'sandy silt': soil 'sandy silt' has kx = 0\.0 m/s; permeability must"),
    ("kz", "-1e-6", r"has kz = -1e-06 m/s; permeability must be a finite number > 0"),
    ("void_ratio", "12", r"void ratio e = 12\.0; expected 0 < e < 10"),
    ("d70", "0.2", r"d70 = 0\.2 m; grain sizes are in metres"),
])
def test_bad_soil_values_are_applied_and_named_by_the_solver_check(placed, key, text,
                                                                   message):
    edited = apply_edit(placed, LAYER, 3, key, text)
    problem = validation_problem(edited.section)
    assert problem is not None
    assert re.search(message, problem), problem
    assert validation_problem(placed.section) is None


def test_edits_that_cannot_be_made_say_why(placed):
    with pytest.raises(SectionEditError, match=r"kx: 'fast' is not a number"):
        apply_edit(placed, LAYER, 3, "kx", "fast")
    with pytest.raises(SectionEditError, match="'top' of a layer cannot be edited"):
        apply_edit(placed, LAYER, 3, "top", "0")
    with pytest.raises(SectionEditError, match="'peat' is not a known soil type"):
        apply_edit(placed, LAYER, 3, "soil_type", "peat")
    with pytest.raises(SectionEditError, match="'fill 2' is already used"):
        apply_edit(placed, LAYER, 0, "name", "fill 2")
    with pytest.raises(SectionEditError, match=r"bottom 5 m is not below its top \(4\.124 m\)"):
        apply_edit(placed, LAYER, 0, "bottom", "5")
    with pytest.raises(SectionEditError, match="toe 3 m is not below its head"):
        apply_edit(placed, PILE, 0, "toe", "3")
    with pytest.raises(SectionEditError, match="no piezometer number 9"):
        apply_edit(placed, PIEZOMETER, 8, "x", "1")
    with pytest.raises(SectionEditError, match=r"-17 m passes through layer 'sandy silt' \(its "
                       r"bottom is at -16 m\)"):
        apply_edit(placed, LAYER, 2, "bottom", "-17")


def test_lowering_a_bottom_takes_the_soil_beneath_and_raising_gives_it_back(placed):
    area = Polygon(placed.section.layers[3].polygon).area + Polygon(
        placed.section.layers[2].polygon).area
    lower = move_layer_bottom(placed.section, 2, -3.0)  # grey silty clay over the sandy silt
    clay, sand = (Polygon(lower.layers[i].polygon) for i in (2, 3))
    assert clay.bounds[1] == pytest.approx(-3.0)
    assert sand.intersection(Polygon([(30, -3), (100, -3), (100, 2), (30, 2)])).area == (
        pytest.approx(0.0, abs=1e-9))  # under the clay's old bottom edge the clay took it
    assert clay.area + sand.area == pytest.approx(area)
    assert validation_problem(lower) is None
    raised = move_layer_bottom(lower, 2, 0.5)
    assert Polygon(raised.layers[2].polygon).bounds[1] == pytest.approx(0.5)
    assert validation_problem(raised) is None
    assert build_mesh(raised, size=3.0).n_nodes > 100  # the mesher takes the edited layers


def test_the_lowest_layer_moves_the_base_and_the_boundaries(placed):
    edited = apply_edit(placed, LAYER, 4, "bottom", "-35")
    assert _bounds(edited, "mucky clay")[1] == pytest.approx(-35.0)
    assert edited.section.river.points[0] == (0.0, -35.0)
    assert edited.section.land.points[-1] == (100.0, -35.0)
    assert validation_problem(edited.section) is None


def test_cut_off_levels_and_position(placed):
    deeper = apply_edit(placed, PILE, 0, "toe", "-14")
    assert deeper.section.sheet_piles[0].points == ((40.0, 2.0), (40.0, -14.0))
    moved = apply_edit(deeper, PILE, 0, "x", "41")
    assert moved.section.sheet_piles[0].points == ((41.0, 2.0), (41.0, -14.0))
    assert validation_problem(moved.section) is None
    out = apply_edit(placed, PILE, 0, "toe", "-40")
    assert "sheet pile" in validation_problem(out.section)
    assert "leaves the flow domain" in validation_problem(out.section)


def test_water_levels_are_the_checks_levels_too(placed):
    edited = apply_edit(placed, BOUNDARY, 0, "level", "6.5")
    assert edited.section.river.level == 6.5 and edited.checks["design_level"] == 6.5
    dry = apply_edit(edited, BOUNDARY, 1, "level", " ")
    assert dry.section.land.level is None and "land_level" not in dry.checks
    with pytest.raises(SectionEditError, match="river level needs a value"):
        apply_edit(placed, BOUNDARY, 0, "level", "")


def test_piezometers_added_and_outside_the_section(placed):
    added = add_piezometer(placed)
    new = added.section.piezometers[-1]
    assert new.id == "P-1" and (new.x, new.z) == (75.0, 0.9)  # 3 m below the ground
    assert validation_problem(added.section) is None
    outside = apply_edit(added, PIEZOMETER, 3, "x", "130")
    assert "piezometer 'P-1' at (x=130.0, z=0.9) lies outside the section" in (
        validation_problem(outside.section))
    twice = apply_edit(added, PIEZOMETER, 3, "id", "HPK-PZ-09")
    assert twice.section.piezometers[-1].id == "HPK-PZ-09"
    with pytest.raises(SectionEditError, match="'HPK-PZ-01' is already used"):
        apply_edit(added, PIEZOMETER, 3, "id", "HPK-PZ-01")


def test_overlapping_layers_are_named():
    source = load_placed_section(SCENES / "huangpu" / "sections" / "MS-2.toml")
    section = source.section
    layers = list(section.layers)
    mucky = layers[-1]
    shifted = [(x, z + 2.0) for x, z in mucky.polygon]  # its top now in the sandy silt
    layers[-1] = type(mucky)(mucky.name, shifted, mucky.soil)
    problem = validation_problem(dataclasses.replace(section, layers=layers))
    assert problem is not None and "overlap" in problem and "'mucky clay'" in problem


def test_the_draft_knows_whether_it_is_valid_and_saved(placed):
    draft = SectionDraft(placed)
    assert draft.valid and not draft.dirty
    draft.apply(LAYER, 3, "kx", "0")
    assert not draft.valid and draft.dirty and "kx = 0.0" in draft.problem
    assert draft.placed.derivation["edited"] is True
    draft.apply(LAYER, 3, "kx", "5e-6")
    assert draft.valid and draft.dirty
    draft.revert()
    assert draft.placed is draft.original and not draft.dirty
    derived = SectionDraft(placed, saved=False)
    assert derived.dirty
