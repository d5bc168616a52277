"""Colour ramps and named colours used by the renderer."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# Height (m, scene datum) -> RGB: river bed blue-grey, mud flats, low land greens, high ground.
_HYPSOMETRIC_STOPS = np.array([-15.0, -6.0, -2.0, 0.5, 2.5, 4.0, 6.0, 10.0])
_HYPSOMETRIC_RGB = np.array(
    [
        [40, 62, 88],
        [74, 98, 112],
        [128, 124, 104],
        [170, 160, 120],
        [136, 168, 104],
        [104, 148, 88],
        [150, 150, 120],
        [200, 200, 190],
    ],
    dtype=np.float64,
)

SENSOR_COLOURS: dict[str, str] = {
    "water_level": "#1e90ff",
    "rainfall": "#00bcd4",
    "gate_opening": "#ffb300",
    "pump_state": "#e53935",
    "pump_flow": "#ff7043",
    "piezometer": "#8e24aa",
    "settlement": "#43a047",
    "inclination": "#795548",
}
"""Glyph colour of each sensor kind (until live state colours them)."""

WATER_RGB = (0.16, 0.45, 0.72)


def hypsometric_rgb(heights: NDArray[np.floating]) -> NDArray[np.uint8]:
    """Return an RGB colour (uint8, shape (n, 3)) for each height.

    Parameters
    ----------
    heights : ndarray
        Heights in metres in the scene datum; NaN gives grey.
    """
    flat = np.asarray(heights, dtype=np.float64).ravel()
    rgb = np.empty((flat.size, 3), dtype=np.float64)
    for channel in range(3):
        rgb[:, channel] = np.interp(flat, _HYPSOMETRIC_STOPS, _HYPSOMETRIC_RGB[:, channel])
    rgb[np.isnan(flat)] = 128
    return rgb.astype(np.uint8)


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    """Return ``#rrggbb`` as floats in 0..1."""
    value = colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]


def hex_to_rgb8(colours: str | list[str]) -> NDArray[np.uint8]:
    """Return ``#rrggbb`` (or a list of them) as uint8 RGB, shape (3,) or (n, 3)."""
    if isinstance(colours, str):
        return np.array([int(colours[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.uint8)
    return np.array([hex_to_rgb8(colour) for colour in colours], dtype=np.uint8).reshape(-1, 3)


PLAN_DELTA_COLOURS = {"ahead": "#2fb350", "on_plan": "#c9ced3", "behind": "#f0582b"}
"""4D planned against actual: ahead of plan green, on plan neutral grey, behind orange-red."""
