"""Rain (uniform, patterned), tide boundaries and flood statistics."""

from __future__ import annotations

import numpy as np
import pytest
from twin_flood import FloodModel, Rainfall, TimeSeries, WaterLevelBoundary


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.1])
def test_rain_on_closed_slopes_is_all_stored(slope: float) -> None:
    """Landlab's mass-balance case: 8 x 32 cells of 25 m, rain 3.6 mm/h for 900 s, closed."""
    x = np.arange(32) * 25.0
    dem = np.tile(slope * x, (8, 1))
    rain = Rainfall("rain", series=TimeSeries([0, 900], [3.6, 3.6], "mm/h", "rain_rate"))
    model = FloodModel(dem, 25.0, parameters={"dtype": "float64"}, features=[rain])
    model.advance_to(900.0)
    balance = model.mass_balance()
    assert balance.rain == pytest.approx(0.001 * 900 * 8 * 32 * 625.0 / 1000.0, rel=1e-12)
    assert balance.stored == pytest.approx(balance.rain, rel=1e-12)


def test_rain_pattern_and_nodata_cells() -> None:
    """A pattern scales the rain per cell; no-data cells get none."""
    dem = np.zeros((10, 10))
    dem[0, 0] = np.nan
    pattern = np.zeros((10, 10))
    pattern[:, 5:] = 2.0
    rain = Rainfall("rain", series=TimeSeries.constant(10.0, "mm/h", "rain_rate"),
                    pattern=pattern)
    model = FloodModel(dem, 10.0, nodata="inactive", features=[rain],
                       parameters={"dtype": "float64"})
    model.advance_to(3600.0)
    balance = model.mass_balance()
    assert balance.rain == pytest.approx(0.01 * 2.0 * 50 * 100.0, rel=1e-12)
    assert balance.stored == pytest.approx(balance.rain, rel=1e-12)
    assert model.get_value("depth")[0, 0] == 0.0


def test_tide_fills_and_drains_with_statistics() -> None:
    """A tide on the east edge floods a 0.5 m low area: arrival, duration and max depth."""
    dem = np.full((5, 20), 0.5)
    times = np.arange(0.0, 7201.0, 600.0)
    tide = TimeSeries(times, 0.5 + np.sin(np.pi * times / 7200.0), "m", "level", max_gap=600)
    model = FloodModel(dem, 10.0, parameters={"dtype": "float64", "manning": 0.02},
                       features=[WaterLevelBoundary("tide", tide, edge="east")])
    model.advance_to(7200.0)
    arrival = model.get_value("arrival_time")
    duration = model.get_value("duration_wet")
    max_depth = model.get_value("max_depth")
    assert max_depth[:, -1] == pytest.approx(1.0, abs=0.01)  # in-step swing of boundary cells
    assert np.all(np.isfinite(arrival[:, -5:]))
    assert np.all(np.diff(arrival[2, -10:]) <= 0)  # the flood arrives from the east
    assert np.all(duration[:, -1] > duration[:, -5])
    assert np.all((duration >= 0) & (duration <= 7200.0))
    balance = model.mass_balance()
    assert balance.boundary_in > 0 and balance.boundary_out > 0
    assert abs(balance.relative_error) < 1e-12
