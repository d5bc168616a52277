"""Distance and elevation measurements between points picked in the scene, in the scene datum."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from twin_app.core.geo import SceneFrame


@dataclass(frozen=True)
class Measurement:
    """What an engineer reads off two picked points.

    Attributes
    ----------
    start, end : tuple of float
        The points in map coordinates (easting, northing in the scene CRS; height in its datum).
    distance_m : float
        Straight-line distance.
    horizontal_m : float
        Distance in plan.
    rise_m : float
        Height of ``end`` above ``start`` (negative if below).
    slope_percent : float or None
        ``rise / horizontal`` in percent; ``None`` for a vertical pair.
    """

    start: tuple[float, float, float]
    end: tuple[float, float, float]
    distance_m: float
    horizontal_m: float
    rise_m: float
    slope_percent: float | None

    def summary(self, datum: str, language: str = "en") -> str:
        """Return a one-line readout, e.g. for the status bar."""
        slope = "—" if self.slope_percent is None else f"{self.slope_percent:.1f}%"
        if language.lower().startswith("zh"):
            return (f"距离 {self.distance_m:.2f} m，水平 {self.horizontal_m:.2f} m，"
                    f"高差 {self.rise_m:+.2f} m，坡度 {slope}；"
                    f"起点高程 {self.start[2]:.2f} m，终点高程 {self.end[2]:.2f} m（{datum}）")
        return (f"distance {self.distance_m:.2f} m, horizontal {self.horizontal_m:.2f} m, "
                f"rise {self.rise_m:+.2f} m, slope {slope}; elevations {self.start[2]:.2f} m "
                f"to {self.end[2]:.2f} m ({datum})")


def measure(frame: SceneFrame, start_local: ArrayLike, end_local: ArrayLike) -> Measurement:
    """Measure between two points given in the scene's local frame (z without exaggeration).

    Parameters
    ----------
    frame : SceneFrame
        The scene's frame (origin shift; heights in the scene datum).
    start_local, end_local : array_like, shape (3,)
        The picked points.

    Returns
    -------
    Measurement
        Distances and heights; heights are in the scene's vertical datum.
    """
    start = frame.local_to_map(np.asarray(start_local, dtype=np.float64))
    end = frame.local_to_map(np.asarray(end_local, dtype=np.float64))
    delta = end - start
    horizontal = float(np.hypot(delta[0], delta[1]))
    rise = float(delta[2])
    slope = None if horizontal < 1e-9 else 100.0 * rise / horizontal
    return Measurement(
        start=tuple(float(v) for v in start), end=tuple(float(v) for v in end),
        distance_m=float(np.linalg.norm(delta)), horizontal_m=horizontal, rise_m=rise,
        slope_percent=slope,
    )
