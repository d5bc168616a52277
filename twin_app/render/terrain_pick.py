"""Screen point to terrain point, and a static water plane (no Qt).

:func:`terrain_point_at` casts the ray under a display pixel and intersects it with the DEM
itself (not with whatever actors happen to be loaded), so drawing a profile line works on any
level of detail and through water surfaces.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyvista as pv

from twin_app.core.geo import SceneFrame
from twin_app.io.dem import DemRaster
from twin_app.render.water import WATER_STYLE

WATER_PLANE_NAME = "water-plane"


def _display_to_world(renderer: Any, x: float, y: float, depth: float) -> np.ndarray:
    renderer.SetDisplayPoint(x, y, depth)
    renderer.DisplayToWorld()
    world = np.asarray(renderer.GetWorldPoint(), dtype=np.float64)
    return world[:3] / (world[3] or 1.0)


def terrain_point_at(
    renderer: Any, dem: DemRaster, frame: SceneFrame, x: float, y: float,
    z_scale: float = 1.0, samples: int = 4000,
) -> tuple[float, float, float] | None:
    """Return the map point (easting, northing, height) of the terrain under a display pixel.

    Parameters
    ----------
    renderer : vtkRenderer
        The renderer (display coordinates: pixels from the bottom-left).
    dem : DemRaster
        The terrain.
    frame : SceneFrame
        The scene frame (the renderer works in the local frame).
    x, y : float
        Display coordinates.
    z_scale : float
        The vertical exaggeration of the drawing.
    samples : int
        Steps along the ray between the near and far clipping planes.

    Returns
    -------
    tuple of float or None
        ``None`` when the ray misses the DEM.
    """
    near = _display_to_world(renderer, x, y, 0.0)
    far = _display_to_world(renderer, x, y, 1.0)
    t = np.linspace(0.0, 1.0, samples)
    ray = near[None, :] + t[:, None] * (far - near)[None, :]
    easting = ray[:, 0] + frame.origin[0]
    northing = ray[:, 1] + frame.origin[1]
    height = ray[:, 2] / z_scale + frame.origin[2]
    ground = dem.heights_at(easting, northing)
    with np.errstate(invalid="ignore"):
        below = np.flatnonzero(height <= ground)
    if below.size == 0:
        return None
    k = int(below[0])
    if k > 0:  # refine between the last sample above and the first below
        above_gap = height[k - 1] - ground[k - 1]
        below_gap = ground[k] - height[k]
        f = above_gap / (above_gap + below_gap) if above_gap + below_gap > 0 else 0.0
        e = easting[k - 1] + f * (easting[k] - easting[k - 1])
        n = northing[k - 1] + f * (northing[k] - northing[k - 1])
        return (float(e), float(n), float(dem.height_at(e, n)))
    return (float(easting[k]), float(northing[k]), float(ground[k]))


def show_water_plane(plotter: Any, frame: SceneFrame, bounds: tuple[float, float, float, float],
                     level: float | None, z_scale: float = 1.0) -> Any:
    """Show (or move, or with ``level=None`` hide) a flat water plane over map ``bounds``.

    The plane is built once at z = 0 and moved to the level, as the scene's water bodies are.
    Returns the actor (``None`` when hidden and never shown).
    """
    actor = plotter.renderer.actors.get(WATER_PLANE_NAME)
    if level is None:
        if actor is not None:
            actor.SetVisibility(False)
        return actor
    if actor is None:
        left, bottom, right, top = bounds
        x0, y0 = left - frame.origin[0], bottom - frame.origin[1]
        x1, y1 = right - frame.origin[0], top - frame.origin[1]
        plane = pv.Plane(center=((x0 + x1) / 2, (y0 + y1) / 2, 0.0), direction=(0, 0, 1),
                         i_size=x1 - x0, j_size=y1 - y0, i_resolution=1, j_resolution=1)
        actor = plotter.add_mesh(plane, name=WATER_PLANE_NAME, reset_camera=False,
                                 render=False, pickable=False, **WATER_STYLE)
        actor.SetScale(1.0, 1.0, z_scale)
    actor.SetVisibility(True)
    actor.SetPosition(0.0, 0.0, (level - frame.origin[2]) * z_scale)
    return actor
