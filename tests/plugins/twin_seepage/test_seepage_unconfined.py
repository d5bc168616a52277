"""Unconfined flow through a rectangular dam: Dupuit-Charny discharge (reference/seepage.md §2.1).

Tolerance 0.5 % on q = k (h1^2 - h2^2) / (2 L) (exact for the discharge). The exit point is not
a hard target (the reference's own prototype did not converge it); only checked to lie above the
tailwater, i.e. a seepage face exists.
"""

from __future__ import annotations

import numpy as np
import pytest
from twin_seepage import Boundary, Layer, Section, Soil, SteadySolver, examples


def rectangular_dam(h1: float, h2: float, length: float = 10.0, top: float = 12.0) -> Section:
    soil = Soil("sand", 1.0, 1.0)
    return Section("dam", [Layer("dam", [(0, 0), (length, 0), (length, top), (0, top)], soil)],
                   river=Boundary([(0, 0), (0, top)], level=h1),
                   land=Boundary([(length, 0), (length, top)], level=h2))


@pytest.mark.parametrize(("h1", "h2"), [(10.0, 2.0), (10.0, 0.0)])
def test_dupuit_charny_discharge(h1: float, h2: float) -> None:
    length = 10.0
    solver = SteadySolver(rectangular_dam(h1, h2, length), size=0.25)
    result = solver.solve()
    exact = (h1**2 - h2**2) / (2 * length)
    assert result.discharge == pytest.approx(exact, rel=0.005)
    assert result.river_inflow == pytest.approx(result.discharge, rel=1e-6)
    face = result.mesh.nodes[result.seepage_nodes]
    assert face[:, 1].max() > h2 + 1.0  # a seepage face above the tailwater
    assert np.allclose(face[:, 0], length)
    line = result.phreatic_line()
    # the free surface falls from the reservoir level towards the outlet
    assert line[0, 1] == pytest.approx(h1, abs=0.3)
    assert np.all(np.diff(np.interp([1, 3, 5, 7, 9], line[:, 0], line[:, 1])) < 0)


def test_pressure_fields_are_consistent() -> None:
    result = SteadySolver(rectangular_dam(10.0, 2.0), size=0.5).solve()
    z = result.mesh.nodes[:, 1]
    assert np.allclose(result.pressure_head, result.head - z)
    assert np.allclose(result.pore_pressure, 9.81 * (result.head - z))
    assert result.velocity.shape == (result.mesh.triangles.shape[0], 2)
    # water moves from the river (x = 0) to the land side: mean vx > 0 in saturated elements
    assert result.velocity[result.kr > 0.99, 0].mean() > 0


def test_flood_wall_section_runs_and_balances() -> None:
    section = examples.flood_wall_section()
    result = SteadySolver(section, size=2.0).solve()
    assert result.discharge > 0
    assert result.river_inflow == pytest.approx(result.discharge, rel=1e-6)
    heads = result.head_at([[p.x, p.z] for p in section.piezometers])
    assert np.all(heads > 1.5) and np.all(heads < 4.5)
    gradients = result.exit_gradients()
    assert gradients.x.min() >= 53.0 - 1e-9
    worst, where = gradients.max()
    assert worst > 0 and 53.0 <= where < 60.0  # largest just beside the wall
