"""Section validation (bad input named before solving) and the TOML format."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from twin_seepage import (
    Boundary,
    BoundaryError,
    GapError,
    GeometryError,
    Layer,
    OverlapError,
    PermeabilityError,
    Piezometer,
    PiezometerError,
    Section,
    SectionError,
    Soil,
    StageSeriesError,
    SteadySolver,
    TimeSeries,
    TransientSolver,
    examples,
    load_section,
    save_section,
)

SAND = Soil("sand", 1e-5, 1e-5)


def two_layers(upper: list, lower: list, soil: Soil = SAND, **extra) -> Section:
    return Section("test", [Layer("upper", upper, soil), Layer("lower", lower, SAND)],
                   river=Boundary([(0, -10), (0, 0)], level=1.0),
                   land=Boundary([(20, 0), (20, -10)], level=0.0), **extra)


GOOD_UPPER = [(0, -5), (20, -5), (20, 0), (0, 0)]
GOOD_LOWER = [(0, -10), (20, -10), (20, -5), (0, -5)]


def test_good_section_validates() -> None:
    two_layers(GOOD_UPPER, GOOD_LOWER).validate()
    examples.flood_wall_section().validate()


def test_overlapping_layers_are_named() -> None:
    section = two_layers([(0, -6), (20, -6), (20, 0), (0, 0)], GOOD_LOWER)
    with pytest.raises(OverlapError, match=r"layer 'upper' and layer 'lower' overlap by 20 m2"):
        section.validate()


def test_gap_between_layers_is_located() -> None:
    section = two_layers([(0, -4.5), (20, -4.5), (20, 0), (0, 0)],
                         [(0, -10), (20, -10), (20, -5), (0, -5)])
    with pytest.raises(GapError, match="separate pieces"):
        section.validate()
    holed = two_layers([(0, -5), (8, -5), (8, -4), (12, -4), (12, -5), (20, -5), (20, 0), (0, 0)],
                       [(0, -10), (20, -10), (20, -5), (12, -5), (12, -6), (8, -6), (8, -5),
                        (0, -5)])
    with pytest.raises(GapError, match=r"open gap of 8 m2 between layers around \(x=10"):
        holed.validate()


@pytest.mark.parametrize(("field", "value"), [("kx", 0.0), ("kz", -1e-6), ("kx", float("nan"))])
def test_bad_permeability(field: str, value: float) -> None:
    soil = dataclasses.replace(SAND, **{field: value})
    with pytest.raises(PermeabilityError, match=rf"layer 'upper': soil 'sand' has {field}"):
        two_layers(GOOD_UPPER, GOOD_LOWER, soil=soil).validate()


def test_piezometer_outside_the_section() -> None:
    section = two_layers(GOOD_UPPER, GOOD_LOWER, piezometers=[Piezometer("PZ-7", 25.0, -3.0)])
    with pytest.raises(PiezometerError, match=r"piezometer 'PZ-7' at \(x=25.0, z=-3.0\) lies "
                                              r"outside the section .* 5 m from"):
        section.validate()
    wall = examples.flood_wall_section()
    wall.piezometers.append(Piezometer("in-wall", 50.0, 2.0))
    with pytest.raises(PiezometerError, match="inside a wall"):
        wall.validate()


def test_boundary_off_the_outline_and_bad_polygon() -> None:
    section = two_layers(GOOD_UPPER, GOOD_LOWER)
    section.river = Boundary([(0, -10), (5, -3)], level=1.0)
    with pytest.raises(BoundaryError, match="river boundary segment"):
        section.validate()
    bow_tie = two_layers([(0, -5), (20, 0), (20, -5), (0, 0)], GOOD_LOWER)
    with pytest.raises(GeometryError, match="layer 'upper' is not a simple polygon"):
        bow_tie.validate()


def test_solver_refuses_a_bad_section_before_meshing() -> None:
    section = two_layers([(0, -6), (20, -6), (20, 0), (0, 0)], GOOD_LOWER)
    with pytest.raises(SectionError):
        SteadySolver(section, size=1.0)


def test_stage_series_with_gaps() -> None:
    times = np.arange(0.0, 7200.0, 600.0)
    levels = np.full(times.size, 2.0)
    TimeSeries(times, levels).validate()
    with pytest.raises(StageSeriesError, match=r"gap\(s\) longer than 900 s; the first runs "
                                               r"from 1800.0 to 4200.0"):
        TimeSeries(np.delete(times, [4, 5, 6]), np.delete(levels, [4, 5, 6])).validate()
    holes = levels.copy()
    holes[3] = np.nan
    with pytest.raises(StageSeriesError, match="1 missing value"):
        TimeSeries(times, holes).validate()
    stamps = np.datetime64("2024-07-01T00:00") + np.arange(12) * np.timedelta64(10, "m")
    stamps = np.delete(stamps, [5])
    with pytest.raises(StageSeriesError, match="2024-07-01T00:40"):
        TimeSeries(stamps, np.ones(stamps.size)).validate()
    solver = TransientSolver(two_layers(GOOD_UPPER, GOOD_LOWER), size=2.0)
    with pytest.raises(StageSeriesError):
        solver.run(TimeSeries(np.delete(times, [4, 5]), np.delete(levels, [4, 5])), 600.0)


def test_toml_round_trip(tmp_path) -> None:
    section = examples.flood_wall_section()
    path = tmp_path / "wall.toml"
    save_section(section, path)
    again = load_section(path)
    assert again == section
    text = path.read_text(encoding="utf-8")
    assert "[[sheet_piles]]" in text and "[river]" in text


def test_toml_unknown_soil_and_missing_key(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n[[layers]]\nname = "a"\nsoil = "peat"\npolygon = [[0,0],[1,0],'
                    '[1,1]]\n', encoding="utf-8")
    with pytest.raises(SectionError, match="layer 'a' uses soil 'peat'"):
        load_section(path)
    path.write_text('name = "x"\n', encoding="utf-8")
    with pytest.raises(SectionError, match="missing the key 'river'"):
        load_section(path)


def test_documented_toml_example_is_a_valid_section(tmp_path) -> None:
    import twin_seepage.section_toml as module

    doc = module.__doc__
    body = doc[doc.index('    name = "Huangpu'):]
    path = tmp_path / "doc.toml"
    path.write_text("\n".join(line[4:] for line in body.splitlines()), encoding="utf-8")
    section = load_section(path)
    assert [layer.name for layer in section.layers] == ["aquifer", "blanket"]
    assert section.piezometers[0].id == "P1"
