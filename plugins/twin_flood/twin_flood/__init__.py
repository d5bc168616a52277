"""twin_flood: a 2-D local-inertial flood solver on a raster DEM.

The scheme is Bates et al. (2010) with the theta weighting of de Almeida et al. (2012), with an
adaptive CFL time step, wet/dry faces, Manning's n as a map, rain, inflow hydrographs, water-level
boundaries, walls, gates and pumps, and a mass-balance account.  numpy arrays in, numpy arrays
out; the lifecycle (create, ``advance_to`` / ``step``, ``get_value``, ``set_value``) maps onto
BMI.  Quick start::

    from twin_flood import FloodModel, Inflow, TimeSeries
    model = FloodModel(dem, dx=5.0, origin=(x0, y0), parameters={"alpha": 0.7},
                       features=[Inflow("river", [(x, y)],
                                        TimeSeries([0, 3600], [0, 20], "m3/s", "discharge"))])
    model.advance_to(3600.0)
    depth = model.get_value("depth")
"""

from twin_flood.errors import (
    FloodError,
    FloodInputError,
    FloodInstabilityError,
    FloodParameterError,
    FloodSeriesError,
    FloodUnitsError,
)
from twin_flood.features import Feature, Gate, Inflow, Pump, Rainfall, Wall, WaterLevelBoundary
from twin_flood.grid import FaceSet, RasterGrid
from twin_flood.massbalance import MassBalance
from twin_flood.model import VARIABLES, FloodModel
from twin_flood.params import PARAMETER_TABLE, FloodParameters
from twin_flood.series import TimeSeries

__all__ = [
    "PARAMETER_TABLE",
    "VARIABLES",
    "FaceSet",
    "Feature",
    "FloodError",
    "FloodInputError",
    "FloodInstabilityError",
    "FloodModel",
    "FloodParameterError",
    "FloodParameters",
    "FloodSeriesError",
    "FloodUnitsError",
    "Gate",
    "Inflow",
    "MassBalance",
    "Pump",
    "Rainfall",
    "RasterGrid",
    "TimeSeries",
    "Wall",
    "WaterLevelBoundary",
]

__version__ = "0.1.0"
