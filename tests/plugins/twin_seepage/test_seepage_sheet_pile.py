"""Confined flow under a single sheet pile against Harr's closed form (reference/seepage.md §1).

Tolerances: discharge 1 % (closed form exact; P1 elements with local refinement at the pile tip),
exit gradient beside the pile 2 %, head on the line below the tip H/2 within 0.002 H.
Measured (T = 10 m, element size 1 m, 0.1 m at the tip): q error +0.53 % (s/T = 0.5).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ellipk
from twin_seepage import SolverOptions, SteadySolver, build_mesh


def harr(s_over_t: float) -> tuple[float, float]:
    """Return q/(kH) and i_E s/H for a single pile (modulus convention, scipy takes m = k^2)."""
    lam = np.sin(np.pi * s_over_t / 2)
    q = ellipk(np.cos(np.pi * s_over_t / 2) ** 2) / (2 * ellipk(lam**2))
    exit_gradient = np.pi * s_over_t / (4 * ellipk(lam**2) * lam)
    return float(q), float(exit_gradient)


def test_closed_form_table() -> None:
    assert harr(0.5) == pytest.approx((0.50000, 0.29954), abs=1e-5)
    assert harr(0.7) == pytest.approx((0.37055, 0.27502), abs=1e-5)


@pytest.mark.parametrize("s_over_t", [0.3, 0.5, 0.7])
def test_discharge_and_exit_gradient(sheet_pile, s_over_t: float) -> None:
    t, h = 10.0, 1.0
    s = s_over_t * t
    section = sheet_pile(s, t, h)
    mesh = build_mesh(section, size=1.0, refine=0.1)
    result = SteadySolver(section, mesh, options=SolverOptions(unconfined=False)).solve()
    q_exact, ie_exact = harr(s_over_t)
    assert result.discharge == pytest.approx(q_exact, rel=0.01)
    assert result.river_inflow == pytest.approx(result.discharge, rel=1e-8)
    exit_gradient = result.exit_gradient_at(1e-3, 0.0, 0.05) * s / h
    assert exit_gradient == pytest.approx(ie_exact, rel=0.02)
    # antisymmetry: head H/2 on the vertical line below the tip
    below = result.head_at([[0.0, -s - 0.5 * (t - s)], [0.0, -t]])
    assert below == pytest.approx([0.5 * h, 0.5 * h], abs=0.002 * h)


def test_craig_example(sheet_pile) -> None:
    """Craig: s = 6.0 m, T = 8.6 m, H = 4.0 m, k = 1.5e-5 m/s -> q = 2.232e-5 m3/s/m (1 %)."""
    section = sheet_pile(6.0, 8.6, 4.0, k=1.5e-5, half_width=50.0)
    result = SteadySolver(section, size=0.5, options=SolverOptions(unconfined=False)).solve()
    assert result.discharge == pytest.approx(2.232e-5, rel=0.01)


def test_mesh_convergence_of_discharge(sheet_pile) -> None:
    """Halving the element size roughly halves the error (O(h), tip singularity) and the
    Richardson extrapolation lands within 0.2 % of the closed form."""
    section = sheet_pile(5.0)
    q_exact, _ = harr(0.5)
    errors, values = [], []
    for size in (2.0, 1.0, 0.5):
        result = SteadySolver(section, build_mesh(section, size, refine=0.1),
                              options=SolverOptions(unconfined=False)).solve()
        values.append(result.discharge)
        errors.append(abs(result.discharge - q_exact) / q_exact)
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 0.005
    ratio = errors[1] / errors[2]
    assert 1.4 < ratio < 3.0
    extrapolated = 2 * values[2] - values[1]
    assert extrapolated == pytest.approx(q_exact, rel=0.002)


def test_plaxis_confined_flow_around_an_impermeable_wall() -> None:
    """PLAXIS V&V (reference §1.4): 10 m layer, 10 m impermeable dam base, 5 m wall at its
    centre, water 5 m / 3 m, k = 1 m/day, closed sides. PLAXIS 2D: 0.8180 m3/day/m; an
    independent FV solution extrapolates to 0.808. Tolerances: 2 % against PLAXIS, and the
    Richardson extrapolation of two meshes within 0.3 % of the FV value."""
    from twin_seepage import Boundary, Layer, Section, SheetPile, Soil

    soil = Soil("soil", 1.0 / 86400, 1.0 / 86400)
    section = Section("plaxis wall", [Layer("soil", [(0, -10), (40, -10), (40, 0), (0, 0)],
                                            soil)],
                      river=Boundary([(0, 0), (15, 0)], level=5.0),
                      land=Boundary([(25, 0), (40, 0)], level=3.0),
                      sheet_piles=[SheetPile("wall", [(20, 0), (20, -5)])])
    flows = [SteadySolver(section, size=size, options=SolverOptions(unconfined=False))
             .solve().discharge * 86400 for size in (0.5, 0.25)]
    assert flows[1] == pytest.approx(0.8180, rel=0.02)
    assert 2 * flows[1] - flows[0] == pytest.approx(0.808, rel=0.003)


def test_full_cut_off_stops_the_flow(sheet_pile) -> None:
    """A pile down to the impermeable base splits the mesh: no flow, land side at its level."""
    section = sheet_pile(10.0)
    result = SteadySolver(section, size=1.0, options=SolverOptions(unconfined=False)).solve()
    assert abs(result.discharge) < 1e-12
    assert result.head_at([[5.0, -5.0]]) == pytest.approx([0.0], abs=1e-9)
    assert result.head_at([[-5.0, -5.0]]) == pytest.approx([1.0], abs=1e-9)
