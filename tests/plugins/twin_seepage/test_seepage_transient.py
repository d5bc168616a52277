"""Transient flow: 1D sudden river rise (erfc) and tidal propagation (Ferris), §3 of the reference.

erfc: T = 5e-4 m2/s, S = 1e-3, dH = 1 m; h/dH at x = 50 m, t = 1 h is erfc(0.5893) = 0.40466,
tolerance 1 % (measured -0.55 % with 1 m elements and 60 s implicit Euler steps). Inflow
q(0, 1 h) = dH sqrt(T S / (pi t)) = 6.649e-6 m2/s, tolerance 2 %.
Ferris: t0 = 12.42 h, x = 50 m: amplitude ratio 0.5528 (tol 1 %), lag 1.172 h (tol 2 %).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import erfc
from twin_seepage import (
    Boundary,
    Layer,
    Piezometer,
    Section,
    Soil,
    SolverOptions,
    TimeSeries,
    TransientSolver,
)

T, S = 5e-4, 1e-3


def strip(length: float) -> Section:
    soil = Soil("aquifer", T, T, ss=S, sy=0.0)  # 1 m thick: transmissivity T, storativity S
    return Section("strip", [Layer("aquifer", [(0, -1), (length, -1), (length, 0), (0, 0)], soil)],
                   river=Boundary([(0, -1), (0, 0)], level=0.0),
                   land=Boundary([(length, -1), (length, 0)], level=None, seepage_face=False),
                   piezometers=[Piezometer(f"x{x:g}", x, -0.5) for x in (10.0, 50.0, 100.0)])


def test_sudden_rise_erfc() -> None:
    solver = TransientSolver(strip(800.0), size=1.0, options=SolverOptions(unconfined=False))
    stage = TimeSeries(np.array([0.0, 6 * 3600.0]), np.array([1.0, 1.0]))
    result = solver.run(stage, 60.0, initial=np.zeros(solver.mesh.n_nodes))
    diffusivity = T / S
    for when, column, x in ((3600.0, 1, 50.0), (6 * 3600.0, 1, 50.0), (6 * 3600.0, 2, 100.0)):
        i = int(np.argmin(np.abs(result.times - when)))
        exact = erfc(x / (2 * np.sqrt(diffusivity * when)))
        assert result.piezometer_heads[i, column] == pytest.approx(exact, rel=0.01)
    i = int(np.argmin(np.abs(result.times - 3600.0)))
    assert result.river_inflow[i] == pytest.approx(np.sqrt(T * S / (np.pi * 3600.0)), rel=0.02)
    assert result.factorisations == 1  # the matrix never changed: one LU for 360 steps


def test_tidal_propagation_ferris() -> None:
    period, amplitude = 44712.0, 1.0
    solver = TransientSolver(strip(600.0), size=1.0, options=SolverOptions(unconfined=False))
    dt = period / 240
    times = np.arange(0.0, 5 * period + dt, dt)
    stage = TimeSeries(times, amplitude * np.sin(2 * np.pi * times / period))
    result = solver.run(stage, dt, initial=np.zeros(solver.mesh.n_nodes))
    last = result.times >= 3 * period
    t, h = result.times[last], result.piezometer_heads[last, 1]
    # least-squares fit of a sinusoid of the tidal period
    design = np.stack([np.sin(2 * np.pi * t / period), np.cos(2 * np.pi * t / period),
                       np.ones_like(t)], axis=1)
    a, b, _ = np.linalg.lstsq(design, h, rcond=None)[0]
    ratio = np.hypot(a, b) / amplitude
    lag_hours = -np.arctan2(b, a) / (2 * np.pi) * period / 3600.0
    a_coef = np.sqrt(np.pi * S / (period * T))
    assert ratio == pytest.approx(np.exp(-50.0 * a_coef), rel=0.01)
    assert lag_hours == pytest.approx(50.0 * np.sqrt(period * S / (4 * np.pi * T)) / 3600, rel=0.02)


def test_unconfined_tide_on_flood_wall_lagged_matches_iterated() -> None:
    """On the flood wall (clay blanket over a confined sand) kr hardly moves in 10 minutes:
    the lagged and iterated runs agree to round-off."""
    from twin_seepage import examples

    section = examples.flood_wall_section()
    times = np.arange(0.0, 6 * 3600.0 + 1, 600.0)
    stage = TimeSeries(times, 2.5 + 1.8 * np.sin(2 * np.pi * times / 44712.0))
    full = TransientSolver(section, size=3.0).run(stage, 600.0)
    lagged = TransientSolver(section, size=3.0,
                             options=SolverOptions(lagged=True)).run(stage, 600.0)
    assert np.abs(full.piezometer_heads - lagged.piezometer_heads).max() < 0.01
    assert np.all(np.isfinite(full.discharge))
    assert full.piezometer("P1").values.shape == times.shape


def test_unconfined_tide_in_a_sand_dam_conserves_water() -> None:
    """A tide moves the phreatic surface through a sand dam: the net inflow integrated over the
    run equals the change in stored water (modified Picard keeps the balance to 0.1 %)."""
    soil = Soil("sand", 1e-4, 1e-4, ss=1e-4, sy=0.2)
    section = Section("dam", [Layer("dam", [(0, 0), (20, 0), (20, 12), (0, 12)], soil)],
                      river=Boundary([(0, 0), (0, 12)], level=6.0),
                      land=Boundary([(20, 0), (20, 12)], level=2.0),
                      piezometers=[Piezometer("A", 5.0, 1.0)])
    times = np.arange(0.0, 6 * 3600.0 + 1, 600.0)
    stage = TimeSeries(times, 6.0 + 3.0 * np.sin(2 * np.pi * times / 44712.0))
    solver = TransientSolver(section, size=1.0)
    start = solver.solve(6.0).head
    result = solver.run(stage, 600.0, initial=start, output_every=1)
    net = np.sum((result.river_inflow[1:] - result.discharge[1:]) * np.diff(result.times))
    stored = solver.water_volume(result.heads[-1]) - solver.water_volume(start)
    through = np.sum(np.abs(result.river_inflow[1:]) * np.diff(result.times))
    assert abs(net - stored) < 1e-3 * through
    heads = result.piezometer_heads[:, 0]
    assert heads.max() - heads.min() > 1.0  # the tide reaches into the dam
    assert np.all(np.isfinite(result.discharge))
    # lagged coefficients (one solve per step) stay close to the iterated solution here
    lagged = TransientSolver(section, size=1.0, options=SolverOptions(lagged=True))
    quick = lagged.run(stage, 600.0, initial=start)
    assert np.abs(quick.piezometer_heads - result.piezometer_heads).max() < 0.1
