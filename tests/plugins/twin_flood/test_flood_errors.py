"""Bad input is refused before the run with a message that says what to do; instability stops."""

from __future__ import annotations

import numpy as np
import pytest
from twin_flood import (
    FloodInputError,
    FloodInstabilityError,
    FloodModel,
    FloodParameterError,
    FloodParameters,
    FloodSeriesError,
    FloodUnitsError,
    Inflow,
    Rainfall,
    TimeSeries,
    Wall,
)

DEM = np.zeros((10, 20))


def inflow(times: list[float], values: list[float], **kw: object) -> Inflow:
    return Inflow("river", [(5.0, 50.0)], TimeSeries(times, values, "m3/s", "discharge", **kw))


def test_alpha_too_large_is_detected_and_stopped() -> None:
    """alpha = 3 on a sloshing basin blows up; the run stops with advice on what to change."""
    x = np.arange(40) * 10.0
    model = FloodModel(np.zeros((20, 40)), 10.0, origin=(0.0, 200.0),
                       initial_level=np.tile(1.0 + 0.5 * np.cos(np.pi * x / 400.0), (20, 1)),
                       parameters={"alpha": 3.0, "manning": 0.01, "theta": 1.0})
    with pytest.raises(FloodInstabilityError, match=r"unstable.*Reduce alpha \(now 3"):
        model.advance_to(3600.0)
    with pytest.raises(FloodInstabilityError):
        model.step()  # a failed run stays failed
    stable = FloodModel(np.zeros((20, 40)), 10.0, origin=(0.0, 200.0),
                        initial_level=np.tile(1.0 + 0.5 * np.cos(np.pi * x / 400.0), (20, 1)),
                        parameters={"alpha": 0.5, "manning": 0.01, "theta": 1.0})
    stable.advance_to(3600.0)
    assert abs(stable.mass_balance().relative_error) < 1e-5


def test_dem_with_nodata() -> None:
    dem = DEM.copy()
    dem[3, 4] = np.nan
    with pytest.raises(FloodInputError, match=r"no-data.*\(3, 4\).*nodata='inactive'"):
        FloodModel(dem, 10.0)
    model = FloodModel(dem, 10.0, origin=(0.0, 100.0), nodata="inactive", initial_depth=0.5)
    model.advance_to(60.0)
    assert model.get_value("depth")[3, 4] == 0.0
    assert np.isnan(model.get_value("water_level")[3, 4])
    with pytest.raises(FloodInputError, match="no-data cell"):
        model.add_feature(Inflow("bad", [(45.0, 65.0)],
                                 TimeSeries.constant(1.0, "m3/s", "discharge")))


def test_dem_must_cover_domain_and_points() -> None:
    with pytest.raises(FloodInputError, match="covers the whole domain"):
        FloodModel(DEM, 10.0, origin=(0.0, 100.0), extent=(0.0, 0.0, 300.0, 100.0))
    with pytest.raises(FloodInputError, match="outside the DEM"):
        FloodModel(DEM, 10.0, origin=(0.0, 100.0),
                   features=[Inflow("far", [(500.0, 50.0)],
                                    TimeSeries.constant(1.0, "m3/s", "discharge"))])
    with pytest.raises(FloodInputError, match="outside the DEM"):
        FloodModel(DEM, 10.0, origin=(0.0, 100.0),
                   features=[Wall("w", line=[(50.0, 0.0), (50.0, 300.0)], crest=1.0)])
    with pytest.raises(FloodInputError, match="2-D"):
        FloodModel(np.zeros(5), 10.0)
    with pytest.raises(FloodInputError, match="positive number of metres"):
        FloodModel(DEM, -1.0)


def test_negative_or_nan_depths() -> None:
    depth = np.zeros_like(DEM)
    depth[2, 2] = -0.1
    with pytest.raises(FloodInputError, match=r"negative or NaN at 1 cells.*\(2, 2\)"):
        FloodModel(DEM, 10.0, initial_depth=depth)
    with pytest.raises(FloodInputError, match="not both"):
        FloodModel(DEM, 10.0, initial_depth=0.0, initial_level=1.0)


def test_unknown_and_out_of_range_parameters() -> None:
    with pytest.raises(FloodParameterError, match="did you mean 'alpha'"):
        FloodModel(DEM, 10.0, parameters={"alpah": 0.5})
    with pytest.raises(FloodParameterError, match=r"'theta' = 1.5.*outside \[0, 1\]"):
        FloodParameters(theta=1.5)
    with pytest.raises(FloodParameterError, match="float32"):
        FloodParameters(dtype="float16")
    with pytest.raises(FloodInputError, match="Manning"):
        FloodModel(DEM, 10.0, manning=np.full((3, 3), 0.03))
    with pytest.raises(FloodInputError, match="Manning"):
        FloodModel(DEM, 10.0, manning=-0.01)


def test_units() -> None:
    params = FloodParameters.from_mapping({"max_dt": "1 min", "depth_threshold": "2 mm"})
    assert params.max_dt == 60.0
    assert params.depth_threshold == pytest.approx(0.002)
    with pytest.raises(FloodUnitsError, match="'parsec' is not a time unit"):
        FloodParameters.from_mapping({"max_dt": "10 parsec"})
    with pytest.raises(FloodUnitsError, match="not a level unit"):
        TimeSeries([0, 1], [1, 2], "ft", "level")
    with pytest.raises(FloodUnitsError, match="not a rain_rate unit"):
        TimeSeries([0, 1], [1, 2], "m3/s", "rain_rate")
    rain = TimeSeries([0, 3600], [36.0, 36.0], "mm/h", "rain_rate")
    assert rain(100.0) == pytest.approx(1e-5)
    with pytest.raises(FloodInputError, match="a rain_rate series is needed"):
        Rainfall("rain", series=TimeSeries([0, 1], [1, 2], "m", "level"))


def test_series_with_gaps_or_too_short() -> None:
    with pytest.raises(FloodSeriesError, match=r"gap \(NaN or inf\) at t = 20"):
        inflow([0, 10, 20, 30], [1, 2, np.nan, 3])
    with pytest.raises(FloodSeriesError, match="gap of 50 s between t = 10 and t = 60"):
        inflow([0, 10, 60], [1, 2, 3], max_gap=15)
    with pytest.raises(FloodSeriesError, match="increase strictly"):
        inflow([0, 10, 10], [1, 2, 3])
    model = FloodModel(DEM, 10.0, origin=(0.0, 100.0), features=[inflow([0, 600], [1, 1])])
    with pytest.raises(FloodSeriesError, match="extend the series to cover the run"):
        model.advance_to(3600.0)
    assert model.steps == 0  # refused before any step
    model.set_value("river", 2.0)  # an override needs no series
    model.advance_to(3600.0)
    assert model.mass_balance().inflow == pytest.approx(7200.0)


def test_feature_names_and_values() -> None:
    model = FloodModel(DEM, 10.0, origin=(0.0, 100.0), features=[inflow([0, 600], [1, 1])])
    with pytest.raises(FloodInputError, match="unique"):
        model.add_feature(inflow([0, 600], [1, 1]))
    with pytest.raises(FloodInputError, match="no feature named 'rain'"):
        model.set_value("rain", 1.0)
    with pytest.raises(FloodInputError, match=">= 0"):
        model.set_value("river", -1.0)
    with pytest.raises(FloodInputError, match="no variable"):
        model.get_value("speed")
