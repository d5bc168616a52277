"""Elevation profile along a polyline: terrain, structure crests and the water level.

:func:`elevation_profile` samples a DEM along a drawn line at the DEM's resolution, and reports
where the line crosses a structure (a BIM element's or placeholder box's footprint: its crest) or
a wall line carrying ``crest_m`` (GeoJSON), together with the current water level and the name of
the height datum, so that a chart can label its axis ("m, Wusong datum").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString

from twin_app.core.errors import InputError
from twin_app.core.footprints import Footprint
from twin_app.io.dem import DemRaster
from twin_app.io.vectors import VectorFeature


@dataclass(frozen=True)
class CrestCrossing:
    """Where the profile line crosses a structure or a wall line.

    Attributes
    ----------
    start_m, end_m : float
        Chainage (m along the line) where the crossing begins and ends (equal for a wall line).
    crest_m : float
        The crest level in the scene datum.
    name : str
        What is crossed.
    source : str
        ``"structure"`` (a model footprint) or ``"wall line"`` (a vector with ``crest_m``).
    """

    start_m: float
    end_m: float
    crest_m: float
    name: str
    source: str

    @property
    def middle_m(self) -> float:
        """The chainage of the crossing's middle."""
        return 0.5 * (self.start_m + self.end_m)


@dataclass(frozen=True)
class ElevationProfile:
    """Heights along a line.

    Attributes
    ----------
    distance : ndarray
        Chainage of each sample (m from the first vertex).
    easting, northing : ndarray
        The samples' map coordinates.
    ground : ndarray
        Terrain height of each sample (scene datum), NaN outside the DEM or on nodata.
    crests : list of CrestCrossing
        Structures and wall lines crossed, by chainage.
    water_level : float or None
        The water level shown with the profile.
    datum : str
        The height datum's name, for the axis label.
    step_m : float
        The sampling step (the DEM's cell size unless given).
    """

    distance: NDArray[np.float64]
    easting: NDArray[np.float64]
    northing: NDArray[np.float64]
    ground: NDArray[np.float64]
    crests: list[CrestCrossing] = field(default_factory=list)
    water_level: float | None = None
    datum: str = ""
    step_m: float = 1.0

    @property
    def length_m(self) -> float:
        """The line's length."""
        return float(self.distance[-1]) if self.distance.size else 0.0

    def crest_points(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return the crests as (chainage, level) arrays, two points per structure crossed."""
        xs: list[float] = []
        ys: list[float] = []
        for crest in self.crests:
            xs.extend((crest.start_m, crest.end_m))
            ys.extend((crest.crest_m, crest.crest_m))
        return np.asarray(xs), np.asarray(ys)

    def flooded(self) -> NDArray[np.bool_]:
        """Return where the ground lies below the water level (all False without one)."""
        if self.water_level is None:
            return np.zeros(self.ground.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            return self.ground < self.water_level


def elevation_profile(
    dem: DemRaster, line: Sequence[Sequence[float]], *, datum: str = "",
    footprints: Sequence[Footprint] = (), walls: Sequence[VectorFeature] = (),
    water_level: float | None = None, step_m: float | None = None,
) -> ElevationProfile:
    """Sample terrain heights along a polyline and find the crests it crosses.

    Parameters
    ----------
    dem : DemRaster
        The terrain, in the scene CRS and datum.
    line : sequence of (easting, northing)
        At least two distinct vertices, map coordinates.
    datum : str
        The datum's name for the chart ("Wusong datum").
    footprints : sequence of Footprint
        Structures: crossing one reports its crest over the crossed stretch.
    walls : sequence of VectorFeature
        Wall or bank lines; those with a numeric ``crest_m`` property report it where crossed.
    water_level : float, optional
        The level to show.
    step_m : float, optional
        Sampling step; the DEM's finest cell size by default.

    Raises
    ------
    InputError
        If the line has fewer than two distinct vertices.
    """
    vertices = np.asarray(line, dtype=np.float64)[:, :2]
    if len(vertices) < 2 or not np.any(np.hypot(*np.diff(vertices, axis=0).T) > 0):
        raise InputError("a profile needs a line of at least two different points",
                         hint="click at least two points on the terrain")
    path = LineString(vertices)
    step = float(step_m or min(dem.cell_size))
    count = max(2, math.ceil(path.length / step) + 1)
    distance = np.linspace(0.0, path.length, count)
    xy = shapely.get_coordinates(shapely.line_interpolate_point(path, distance))
    ground = dem.heights_at(xy[:, 0], xy[:, 1])
    crests = [*_structure_crossings(path, footprints), *_wall_crossings(path, walls)]
    crests.sort(key=lambda crest: crest.start_m)
    return ElevationProfile(distance, xy[:, 0], xy[:, 1], ground, crests, water_level, datum,
                            step)


def _structure_crossings(path: LineString,
                         footprints: Sequence[Footprint]) -> list[CrestCrossing]:
    out: list[CrestCrossing] = []
    for fp in footprints:
        if not path.intersects(fp.polygon):
            continue
        crossed = path.intersection(fp.polygon)
        for piece in getattr(crossed, "geoms", [crossed]):
            coords = shapely.get_coordinates(piece)
            if not len(coords):
                continue
            along = [float(path.project(shapely.Point(c))) for c in coords]
            out.append(CrestCrossing(min(along), max(along), fp.crest, fp.name, "structure"))
    return _merge(out)


def _merge(crossings: list[CrestCrossing]) -> list[CrestCrossing]:
    """Keep, where several elements of one structure overlap along the line, the highest."""
    crossings.sort(key=lambda c: (c.start_m, -c.crest_m))
    merged: list[CrestCrossing] = []
    for crossing in crossings:
        last = merged[-1] if merged else None
        if (last is not None and last.name == crossing.name
                and crossing.start_m <= last.end_m and crossing.crest_m <= last.crest_m):
            merged[-1] = CrestCrossing(last.start_m, max(last.end_m, crossing.end_m),
                                       last.crest_m, last.name, last.source)
        else:
            merged.append(crossing)
    return merged


def _wall_crossings(path: LineString, walls: Sequence[VectorFeature]) -> list[CrestCrossing]:
    out: list[CrestCrossing] = []
    for wall in walls:
        crest = wall.properties.get("crest_m")
        if not isinstance(crest, int | float) or isinstance(crest, bool):
            continue
        crossed = path.intersection(wall.geometry)
        name = str(wall.properties.get("name_en") or wall.properties.get("id") or "wall")
        for point in shapely.get_coordinates(crossed):
            along = float(path.project(shapely.Point(point)))
            out.append(CrestCrossing(along, along, float(crest), name, "wall line"))
    return out
