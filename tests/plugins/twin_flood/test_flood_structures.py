"""Walls (weir law), gates (orifice law, operated between steps) and pumps (rate, stop level)."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from twin_flood import FloodModel, Gate, Pump, RasterGrid, TimeSeries, Wall, WaterLevelBoundary

log = logging.getLogger(__name__)
G = 9.81
CW = (2.0 / 3.0) ** 1.5 * np.sqrt(G)  # critical-flow broad-crested weir coefficient


def channel(structure: Wall | Gate, upstream: float = 1.5) -> FloodModel:
    """A 600 x 30 m channel: bed 0 m west of x = 300 m, -2 m east of it (free outfall).

    The west edge is held at ``upstream``; the east edge drains (level far below the bed).
    """
    ny, nx, dx = 3, 60, 10.0
    x = (np.arange(nx) + 0.5) * dx
    dem = np.tile(np.where(x < 300.0, 0.0, -2.0), (ny, 1))
    level = np.tile(np.where(x < 300.0, upstream, -2.0), (ny, 1))
    features = [WaterLevelBoundary("river", TimeSeries.constant(upstream, "m", "level"),
                                   edge="west"),
                WaterLevelBoundary("outfall", TimeSeries.constant(-10.0, "m", "level"),
                                   edge="east"),
                structure]
    return FloodModel(dem, dx, origin=(0.0, ny * dx), initial_level=level,
                      parameters={"manning": 0.01, "dtype": "float64"}, features=features)


def discharge(model: FloodModel, t0: float, t1: float) -> float:
    """Mean discharge [m3/s] leaving through the outfall between t0 and t1."""
    model.advance_to(t0)
    before = model.mass_balance().boundary_out
    model.advance_to(t1)
    return (model.mass_balance().boundary_out - before) / (t1 - t0)


def test_weir_flow_over_wall_matches_weir_law() -> None:
    """Steady flow over a 30 m wall, crest 1.0 m, head 0.5 m: Q = Cw H^1.5 L within 3 %."""
    wall = Wall("quay wall", line=[(300.0, 0.0), (300.0, 30.0)], crest=1.0)
    model = channel(wall)
    q_model = discharge(model, 1200.0, 1800.0)
    q_formula = CW * 0.5 ** 1.5 * 30.0
    faces = model.get_value("qx")[:, 30].sum() * model.grid.dx
    log.info("weir: Q model %.3f m3/s (flux on the wall faces %.3f), weir law %.3f m3/s, "
             "error %.2f %%; mass rel %.1e", q_model, faces, q_formula,
             100 * (q_model / q_formula - 1), model.mass_balance().relative_error)
    assert q_model == pytest.approx(q_formula, rel=0.03)
    assert faces == pytest.approx(q_model, rel=0.01)
    assert abs(model.mass_balance().relative_error) < 1e-12


def test_wall_holds_water_below_crest() -> None:
    """Below the crest nothing passes: the outfall receives no water."""
    model = channel(Wall("wall", line=[(300.0, 0.0), (300.0, 30.0)], crest=2.0))
    assert discharge(model, 0.0, 600.0) == 0.0
    assert model.get_value("depth")[:, 29].min() > 1.4


def test_gate_orifice_flow_and_operation() -> None:
    """Shut until 100 s, then 0.3 m open: free orifice law within 3 %; shut again via set_value."""
    opening = TimeSeries([0.0, 100.0, 101.0, 5000.0], [0.0, 0.0, 0.3, 0.3], "m", "length",
                         name="gate opening")
    gate = Gate("sluice", line=[(300.0, 0.0), (300.0, 30.0)], sill=0.0, opening=opening)
    model = channel(gate)
    assert discharge(model, 0.0, 100.0) == 0.0
    q_model = discharge(model, 1200.0, 1800.0)
    q_formula = 0.61 * 0.3 * np.sqrt(2 * G * (1.5 - 0.15)) * 30.0
    log.info("gate: Q model %.3f m3/s, orifice law %.3f m3/s, error %.2f %%", q_model, q_formula,
             100 * (q_model / q_formula - 1))
    assert q_model == pytest.approx(q_formula, rel=0.03)
    model.set_value("sluice", 0.0)  # the operator shuts the gate between steps
    downstream = []
    for t in (2000.0, 2500.0, 3000.0):
        model.advance_to(t)
        assert np.all(model.get_value("qx")[:, 30] == 0.0)
        downstream.append(model.get_value("depth")[:, 30:].sum())
    assert downstream[0] > downstream[1] > downstream[2]  # it only drains: nothing gets past


def basin(pumps: list[Pump], depth: float = 2.0) -> FloodModel:
    """Two 100 x 100 m basins (10 m cells) side by side, split by a 10 m high ridge."""
    dem = np.zeros((10, 21))
    dem[:, 10] = 10.0
    h = np.where(dem > 0, 0.0, depth)
    h[:, 11:] = 0.0
    return FloodModel(dem, 10.0, origin=(0.0, 100.0), initial_depth=h,
                      parameters={"manning": 0.03, "dtype": "float64"}, features=pumps)


def test_pump_empties_sump_at_its_rate_and_stops() -> None:
    """5 m3/s out of the domain: exactly rate x time until the stop level, then nothing."""
    rate = TimeSeries.constant(5.0, "m3/s", "discharge", name="pump rate")
    pump = Pump("station", sump=[(45.0, 45.0), (55.0, 55.0)], rate=rate, stop_level=0.5)
    model = basin([pump])
    model.advance_to(1000.0)
    early = model.mass_balance()
    model.advance_to(6000.0)
    late = model.mass_balance()
    level = model.get_value("water_level")[:, :10]
    available = 1.5 * 100.0 * 100.0
    log.info("pump: moved %.3f m3 in 1000 s (rate x time %.1f), total %.1f m3 (available above "
             "stop %.1f), final level %.3f..%.3f m, mass rel %.1e", early.pumped["station"],
             5000.0, late.pumped["station"], available, level.min(), level.max(),
             late.relative_error)
    assert early.pumped["station"] == pytest.approx(5000.0, rel=1e-9)
    assert late.pumped_out == pytest.approx(available, rel=0.01)
    assert np.all(level >= 0.5 - 0.02)
    assert np.all(level <= 0.5 + 0.02)
    assert abs(late.relative_error) < 1e-12


def test_pump_to_outlet_moves_water_between_basins() -> None:
    """A pump with an outlet moves water across the ridge; nothing leaves the domain."""
    rate = TimeSeries([0.0, 300.0, 301.0, 2000.0], [2.0, 2.0, 0.0, 0.0], "m3/s", "discharge")
    pump = Pump("transfer", sump=[(50.0, 50.0)], rate=rate, stop_level=0.1,
                outlet=(150.0, 50.0))
    model = basin([pump])
    model.advance_to(2000.0)
    balance = model.mass_balance()
    east = model.get_value("depth")[:, 11:].sum() * 100.0
    log.info("pump transfer: moved %.2f m3 (expected ~600), east basin holds %.2f m3",
             balance.pumped["transfer"], east)
    assert balance.pumped["transfer"] == pytest.approx(600.0 + 1.0, abs=2.0)
    assert east == pytest.approx(balance.pumped["transfer"], rel=1e-9)
    assert balance.pumped_out == 0.0
    assert abs(balance.relative_error) < 1e-12


def test_diagonal_wall_is_watertight() -> None:
    """A wall drawn at an angle across a basin blocks every link that crosses it."""
    dem = np.zeros((30, 30))
    h = np.zeros_like(dem)
    x, y = np.meshgrid(np.arange(30) * 10.0 + 5.0, 300.0 - np.arange(30) * 10.0 - 5.0)
    h[y > x + 10.0] = 1.0  # water on the north-west side of the line y = x + 10
    wall = Wall("diagonal", line=[(0.0, 10.0), (290.0, 300.0)], crest=5.0)
    model = FloodModel(dem, 10.0, origin=(0.0, 300.0), initial_depth=h, features=[wall],
                       parameters={"dtype": "float64"})
    before = float(model.get_value("depth")[y > x + 10.0].sum())
    model.advance_to(1800.0)
    depth = model.get_value("depth")
    assert depth[y < x + 10.0].max() == 0.0
    assert model.get_value("max_depth")[y < x + 10.0].max() == 0.0  # no transient either
    assert np.all(np.isnan(model.get_value("arrival_time")[y < x + 10.0]))
    assert float(depth[y > x + 10.0].sum()) == pytest.approx(before, rel=1e-12)


def test_wall_faces_are_exactly_the_links_the_line_separates() -> None:
    """For straight lines across the grid (some through cell centres), the faces returned are
    exactly the links whose two cell centres lie on different sides of the line."""
    grid = RasterGrid((25, 31), 10.0, (0.0, 250.0))
    xs, ys = grid.cell_centres()
    rng = np.random.default_rng(1)
    for trial in range(60):
        if trial % 3 == 0:
            xa, ya, xb, yb = 5 + 10 * rng.integers(0, 31), 0.0, 5 + 10 * rng.integers(0, 31), 250.0
        else:
            xa, ya, xb, yb = 0.0, rng.uniform(0, 250), 310.0, 5 + 10 * rng.integers(0, 25)
        faces = grid.line_faces([(xa, ya), (xb, yb)])
        got = set(zip(faces.axis.tolist(), faces.row.tolist(), faces.col.tolist(), strict=True))
        left = (xb - xa) * (ys - ya) - (yb - ya) * (xs - xa) > 0
        want = {(0, int(r), int(c)) for r, c in np.argwhere(left[:, 1:] != left[:, :-1] )
                } | {(1, int(r) + 1, int(c)) for r, c in np.argwhere(left[1:] != left[:-1])}
        want = {(a, r, c + 1) if a == 0 else (a, r, c) for a, r, c in want}
        assert got == want, (xa, ya, xb, yb)
