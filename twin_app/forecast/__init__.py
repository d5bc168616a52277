"""Forecasts (预报): astronomical tide from harmonic analysis, plus surge and rain, from now on.

Qt-free and VTK-free.

- :mod:`~twin_app.forecast.tide`: UTide harmonic analysis of a gauge's record (quality:
  fraction of variance explained, residual RMS, constituents with 95 % intervals) and prediction;
- :mod:`~twin_app.forecast.inputs`: surge and rain forecasts from CSV / PI-XML / NetCDF files, or
  a design typhoon;
- :mod:`~twin_app.forecast.forecast`: :func:`make_forecast`, the next 24-72 h at every gauge from
  the telemetry store's current state, compared with warning levels, with sentences in zh and en;
- :mod:`~twin_app.forecast.drive`: a rehearsal driven by a forecast (boundaries, initial state).
"""

from twin_app.forecast.forecast import Forecast, GaugeForecast, make_forecast
from twin_app.forecast.inputs import (
    ForecastInputError,
    ForecastInputs,
    InputSeries,
    design_typhoon,
    read_inputs,
)
from twin_app.forecast.tide import (
    Constituent,
    TideAnalysis,
    TideAnalysisError,
    TideSettings,
    analyse_tide,
)

__all__ = [
    "Constituent",
    "Forecast",
    "ForecastInputError",
    "ForecastInputs",
    "GaugeForecast",
    "InputSeries",
    "TideAnalysis",
    "TideAnalysisError",
    "TideSettings",
    "analyse_tide",
    "design_typhoon",
    "make_forecast",
    "read_inputs",
]
