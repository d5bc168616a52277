"""Identify: which vector feature lies under a picked map point, and its properties.

:func:`identify` is the non-Qt half of "identify on click": the view turns a click into a map
point (on the terrain) and asks here which feature of the visible layers it hits.  Lines and
points win when the click is within ``tolerance_m`` of them (the nearest); otherwise the
smallest polygon containing the point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import shapely

from twin_app.io.vectors import VectorFeature


@dataclass(frozen=True)
class Identified:
    """A feature found under a point.

    Attributes
    ----------
    layer_id : str
        The layer it belongs to.
    index : int
        The feature's index in its file.
    properties : dict
        Its properties (a copy).
    distance_m : float
        From the point to the feature (0 inside a polygon).
    """

    layer_id: str
    index: int
    properties: dict[str, Any]
    distance_m: float


def identify(layers: Mapping[str, Sequence[VectorFeature]], easting: float, northing: float,
             tolerance_m: float = 5.0) -> Identified | None:
    """Return the feature under a map point, or ``None``.

    Parameters
    ----------
    layers : mapping of str to sequence of VectorFeature
        The visible layers, by layer id.
    easting, northing : float
        The picked point in the scene CRS.
    tolerance_m : float
        How far from a line or point a click still hits it (about a few pixels on screen).
    """
    point = shapely.Point(easting, northing)
    best_line: tuple[float, str, VectorFeature] | None = None
    best_area: tuple[float, str, VectorFeature] | None = None
    for layer_id, features in layers.items():
        for feature in features:
            geometry = feature.geometry
            if geometry.geom_type in ("Polygon", "MultiPolygon"):
                boundary = float(geometry.boundary.distance(point))
                if boundary <= tolerance_m and (best_line is None or boundary < best_line[0]):
                    best_line = (boundary, layer_id, feature)
                if geometry.covers(point) and (best_area is None
                                               or geometry.area < best_area[0]):
                    best_area = (float(geometry.area), layer_id, feature)
                continue
            distance = float(geometry.distance(point))
            if distance <= tolerance_m and (best_line is None or distance < best_line[0]):
                best_line = (distance, layer_id, feature)
    if best_line is not None:
        distance, layer_id, feature = best_line
        return Identified(layer_id, feature.index, dict(feature.properties), distance)
    if best_area is not None:
        _, layer_id, feature = best_area
        return Identified(layer_id, feature.index, dict(feature.properties), 0.0)
    return None
