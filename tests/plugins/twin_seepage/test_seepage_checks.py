"""Piping and uplift checks (reference/seepage.md §4).

Sellmeijer 2011 with WBI defaults: L = 30, D = 10, k = 1e-4 m/s, d70 = 0.2 mm -> 3.158 m, and the
other tabulated cases and factor test vectors, tolerance 0.1 % (formula re-implementation).
"""

from __future__ import annotations

import math

import pytest
from twin_seepage import (
    Soil,
    allowable_gradient_check,
    creep_lengths,
    exit_gradient_check,
    heave_check,
    lane_check,
    sellmeijer,
    sellmeijer_check,
    uplift_check,
)


@pytest.mark.parametrize(("length", "depth", "k", "d70", "expected"), [
    (30.0, 10.0, 1.0e-4, 2.0e-4, 3.158),
    (50.0, 20.0, 2.0e-4, 2.5e-4, 3.712),
    (30.0, 10.0, 1.62e-4, 2.0e-4, 2.689),
])
def test_sellmeijer_published_values(length, depth, k, d70, expected) -> None:
    assert sellmeijer(length, depth, k, d70).critical_head == pytest.approx(expected, rel=1e-3)


def test_sellmeijer_factor_vectors() -> None:
    ijkdijk = sellmeijer(15.0, 3.0, 8e-5, 1.8e-4, gamma_grain=14.715, viscosity=1.3e-6)
    assert ijkdijk.geometry == pytest.approx(1.34579, rel=1e-5)
    assert ijkdijk.resistance == pytest.approx(0.282583, rel=1e-5)
    assert ijkdijk.scale == pytest.approx(0.36235, rel=1e-4)
    assert ijkdijk.critical_head == pytest.approx(2.067, rel=1e-3)
    assert sellmeijer(50.0, 2.5, 1e-4, 2e-4).geometry == pytest.approx(1.86798, rel=1e-5)
    assert sellmeijer(50.0, 25.0, 1e-4, 2e-4).geometry == pytest.approx(1.11025, rel=1e-5)
    # D = L: the continuous limit, not a division by zero
    assert sellmeijer(20.0, 20.0, 1e-4, 2e-4).geometry == pytest.approx(0.91 * math.exp(0.1))
    check = sellmeijer_check(river_level=5.0, exit_level=1.0, cover_thickness=2.0, length=30.0,
                             aquifer_thickness=10.0, k=1e-4, d70=2e-4)
    assert check.value == pytest.approx(3.4)
    assert check.safety_factor == pytest.approx(3.1585 / 3.4, rel=1e-3)
    assert not check.passed
    assert "Sellmeijer" in check.text and "FAILS" in check.text


def test_exit_gradient_against_critical_and_allowable() -> None:
    soil = Soil("sand", 1e-5, 1e-5, gs=2.70, void_ratio=0.85)
    assert soil.critical_gradient == pytest.approx(0.919, abs=5e-4)
    check = exit_gradient_check(0.4, soil, required=1.5)
    assert check.limit == pytest.approx(0.9189, rel=1e-3)
    assert check.safety_factor == pytest.approx(0.9189 / 0.4, rel=1e-3)
    assert check.passed
    assert not exit_gradient_check(0.7, soil).passed
    allowed = allowable_gradient_check(0.3, "fine_sand")
    assert allowed.limit == 0.25 and not allowed.passed
    assert allowable_gradient_check(0.3, "fine_sand", allowable=0.4).passed
    with pytest.raises(KeyError, match="peat"):
        allowable_gradient_check(0.3, "peat")


def test_lane_creep_ratio() -> None:
    vertical, horizontal = creep_lengths([(0, 0), (0, -8), (0.5, -8), (0.5, 0), (6, 0)])
    assert vertical == pytest.approx(16.0)
    assert horizontal == pytest.approx(6.0)
    check = lane_check(vertical, horizontal, head_difference=2.5, soil_type="fine_sand")
    assert check.value == pytest.approx((16 + 2) / 2.5)
    assert check.limit == 7.0 and check.passed
    assert not lane_check(vertical, horizontal, 3.0, "very_fine_sand_or_silt").passed


def test_uplift_and_heave() -> None:
    uplift = uplift_check(head_below_blanket=4.0, exit_level=2.5, blanket_thickness=2.0,
                          gamma_sat=18.0)
    assert uplift.limit == pytest.approx(2.0 * (18.0 - 9.81) / 9.81)
    assert uplift.safety_factor == pytest.approx(uplift.limit / 1.5)
    assert uplift.passed
    heave = heave_check(4.0, 2.5, 2.0)
    assert heave.value == pytest.approx(0.75) and not heave.passed


def test_exit_checks_on_a_solution() -> None:
    from twin_seepage import SteadySolver, examples, exit_checks

    section = examples.flood_wall_section()
    result = SteadySolver(section, size=2.0).solve()
    found = exit_checks(section, result)
    assert [check.name for check in found] == ["exit gradient vs critical",
                                               "exit gradient vs allowable"]
    clay = section.layers[0].soil
    assert found[0].limit == pytest.approx(clay.critical_gradient)
    assert found[0].value == pytest.approx(result.exit_gradients().max()[0])
    assert "at x = " in found[0].text
    assert set(result.piezometer_heads(section.piezometers)) == {"P1", "P2", "P3"}
