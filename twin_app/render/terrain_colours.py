"""Terrain colouring: hypsometric tints with hillshading, or an orthophoto's colours."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from twin_app.render.colours import hypsometric_rgb

SUN_AZIMUTH_DEG = 315.0
SUN_ALTITUDE_DEG = 45.0


def hillshade(heights: NDArray[np.floating], cell: float, z_factor: float = 3.0,
              azimuth_deg: float = SUN_AZIMUTH_DEG,
              altitude_deg: float = SUN_ALTITUDE_DEG) -> NDArray[np.float32]:
    """Return the illumination (0..1) of each node of a north-up grid (rows north to south).

    ``z_factor`` exaggerates slopes so that the low relief of the delta (banks of a few metres)
    still reads; NaN nodes get 1.
    """
    z = np.nan_to_num(np.asarray(heights, dtype=np.float64), nan=float(np.nanmean(heights))
                      if np.isfinite(heights).any() else 0.0)
    if min(z.shape) < 2:
        return np.ones(z.shape, dtype=np.float32)
    dz_drow, dz_dcol = np.gradient(z * z_factor, cell)
    dz_dx, dz_dy = dz_dcol, -dz_drow
    azimuth = math.radians(90.0 - azimuth_deg)
    altitude = math.radians(altitude_deg)
    light = np.array([math.cos(altitude) * math.cos(azimuth),
                      math.cos(altitude) * math.sin(azimuth), math.sin(altitude)])
    norm = np.sqrt(dz_dx**2 + dz_dy**2 + 1.0)
    shade = (-dz_dx * light[0] - dz_dy * light[1] + light[2]) / norm
    return np.clip(shade, 0.0, 1.0).astype(np.float32)


def shaded_colours(heights: NDArray[np.floating], cell: float) -> NDArray[np.uint8]:
    """Return hillshaded hypsometric colours, shape ``heights.shape + (3,)``."""
    base = hypsometric_rgb(heights).reshape(*np.shape(heights), 3).astype(np.float32)
    shade = hillshade(heights, cell)[..., None]
    return np.clip(base * (0.55 + 0.55 * shade), 0, 255).astype(np.uint8)


def image_colours(rgba: NDArray[np.uint8], heights: NDArray[np.floating],
                  cell: float) -> NDArray[np.uint8]:
    """Return an orthophoto's colours where it has data, shaded colours elsewhere."""
    fallback = shaded_colours(heights, cell)
    has_image = rgba[..., 3] > 0
    out = fallback.copy()
    out[has_image] = rgba[..., :3][has_image]
    return out
