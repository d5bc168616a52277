"""Checks of the gridded inputs (DEM, Manning map, initial state), run before any step."""

from __future__ import annotations

from typing import Any

import numpy as np

from twin_flood.errors import FloodInputError

__all__ = ["check_dem", "check_depth", "check_manning"]


def _first(mask: np.ndarray) -> tuple[int, int]:
    r, c = np.argwhere(mask)[0]
    return int(r), int(c)


def check_dem(dem: Any, nodata: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the DEM as float64 and the mask of active (valid) cells.

    Parameters
    ----------
    dem : array_like
        Ground levels [m], 2-D.
    nodata : {"error", "inactive"}
        Whether NaN cells are an error or cells outside the domain.

    Returns
    -------
    tuple of numpy.ndarray
        ``(z, active)``.

    Raises
    ------
    FloodInputError
        If the DEM is not a 2-D numeric array of at least 2 x 2 cells, holds infinities, holds
        NaN when ``nodata == "error"``, or has no valid cell.
    """
    if nodata not in ("error", "inactive"):
        raise FloodInputError(f"nodata = {nodata!r}; use 'error' or 'inactive'")
    try:
        z = np.array(dem, dtype=np.float64)
    except (TypeError, ValueError):
        raise FloodInputError("the DEM is not a numeric array; pass a 2-D array of ground "
                              "levels in metres") from None
    if z.ndim != 2 or min(z.shape) < 2:
        raise FloodInputError(f"the DEM has shape {z.shape}; it must be 2-D with at least 2 x 2 "
                              "cells")
    nan = np.isnan(z)
    if np.isinf(z).any():
        r, c = _first(np.isinf(z))
        raise FloodInputError(f"the DEM holds an infinite level at cell ({r}, {c}); mark no-data "
                              "cells as NaN")
    if nan.any() and nodata == "error":
        r, c = _first(nan)
        raise FloodInputError(
            f"the DEM has {int(nan.sum())} no-data (NaN) cells, the first at ({r}, {c}); fill "
            "them, or pass nodata='inactive' to leave them out of the domain")
    active = ~nan
    if not active.any():
        raise FloodInputError("the DEM has no valid cell")
    if np.abs(z[active]).max() > 1e5:
        raise FloodInputError("the DEM has levels beyond +-100 km: are the units metres and the "
                              "no-data value converted to NaN?")
    return np.where(active, z, 0.0), active


def check_manning(manning: Any, shape: tuple[int, int], active: np.ndarray) -> np.ndarray:
    """Return Manning's n as a float64 map of ``shape``.

    Raises
    ------
    FloodInputError
        If the map has the wrong shape, or a value is NaN, negative or above 1 on the domain.
    """
    n = np.array(manning, dtype=np.float64)
    if n.ndim == 0:
        n = np.full(shape, float(n))
    if n.shape != shape:
        raise FloodInputError(f"the Manning map has shape {n.shape}, the DEM {shape}; resample it "
                              "onto the DEM grid")
    bad = active & ~((n >= 0.0) & (n <= 1.0))
    if bad.any():
        r, c = _first(bad)
        raise FloodInputError(
            f"Manning's n is NaN, negative or above 1 s/m^(1/3) at {int(bad.sum())} cells, e.g. "
            f"{n[r, c]!r} at ({r}, {c}); typical values are 0.01-0.2")
    return np.where(active, n, 0.0)


def check_depth(depth: Any, level: Any, z: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Return the initial depth [m] from a depth or a water level (at most one given).

    Raises
    ------
    FloodInputError
        If both are given, the shape is wrong, or a depth is negative or not finite.
    """
    if depth is not None and level is not None:
        raise FloodInputError("give initial_depth or initial_level, not both")
    if level is not None:
        lv = np.broadcast_to(np.asarray(level, dtype=np.float64), z.shape)
        if not np.all(np.isfinite(lv[active])):
            raise FloodInputError("the initial water level is NaN or infinite on the domain")
        h = np.maximum(lv - z, 0.0)
    elif depth is not None:
        try:
            h = np.array(np.broadcast_to(np.asarray(depth, dtype=np.float64), z.shape))
        except ValueError:
            raise FloodInputError(f"the initial depth has shape {np.shape(depth)}, the DEM "
                                  f"{z.shape}") from None
        bad = active & ~(h >= 0.0)
        if bad.any():
            r, c = _first(bad)
            raise FloodInputError(
                f"the initial depth is negative or NaN at {int(bad.sum())} cells, e.g. "
                f"{h[r, c]!r} m at ({r}, {c}); depths must be >= 0 (give a water level with "
                "initial_level instead)")
        if not np.all(np.isfinite(h[active])):
            raise FloodInputError("the initial depth is infinite somewhere")
    else:
        h = np.zeros(z.shape)
    return np.where(active, h, 0.0)
