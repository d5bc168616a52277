"""Camera paths for fly-throughs: interpolate between viewpoints, frame by frame.

Between two stops the position and the focal point move along a centripetal Catmull-Rom spline
through all the stops (smooth at every stop, no overshoot on uneven spacing), with an
ease-in/ease-out in time per leg so the camera slows down at each stop; the up vector and the view
angle are blended linearly.  Pure numpy; the frames are in whatever frame the stops are in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from twin_app.core.errors import InputError
from twin_app.core.review import CameraState


def _smoothstep(t: float) -> float:
    return t * t * (3.0 - 2.0 * t)


def _catmull_rom(points: NDArray[np.float64], leg: int, t: float) -> NDArray[np.float64]:
    """Centripetal Catmull-Rom between ``points[leg]`` and ``points[leg + 1]`` at ``t``."""
    n = len(points)
    p0 = points[max(leg - 1, 0)]
    p1, p2 = points[leg], points[leg + 1]
    p3 = points[min(leg + 2, n - 1)]
    if leg == 0:
        p0 = 2.0 * p1 - p2
    if leg + 2 >= n:
        p3 = 2.0 * p2 - p1

    def knot(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
        return max(float(np.linalg.norm(b - a)) ** 0.5, 1e-9)

    t0, t1 = 0.0, knot(p0, p1)
    t2 = t1 + knot(p1, p2)
    t3 = t2 + knot(p2, p3)
    u = t1 + (t2 - t1) * t
    a1 = (t1 - u) / (t1 - t0) * p0 + (u - t0) / (t1 - t0) * p1
    a2 = (t2 - u) / (t2 - t1) * p1 + (u - t1) / (t2 - t1) * p2
    a3 = (t3 - u) / (t3 - t2) * p2 + (u - t2) / (t3 - t2) * p3
    b1 = (t2 - u) / (t2 - t0) * a1 + (u - t0) / (t2 - t0) * a2
    b2 = (t3 - u) / (t3 - t1) * a2 + (u - t1) / (t3 - t1) * a3
    return (t2 - u) / (t2 - t1) * b1 + (u - t1) / (t2 - t1) * b2


def camera_path(stops: Sequence[CameraState], n_frames: int, *,
                ease: bool = True) -> list[CameraState]:
    """Return ``n_frames`` cameras that fly through ``stops`` in order.

    Parameters
    ----------
    stops : sequence of CameraState
        At least one camera; with one, every frame is that camera.
    n_frames : int
        Number of frames (at least 1).  The first frame is the first stop and the last frame
        the last stop; each leg gets time in proportion to the distance the camera travels
        (position and focal point), so the speed is even across legs of different length.
    ease : bool
        Slow down at every stop (ease-in/ease-out per leg).

    Returns
    -------
    list of CameraState
        The frames' cameras (projection and view height are taken from each leg's start).
    """
    if not stops:
        raise InputError("a camera path needs at least one viewpoint",
                         hint="add viewpoints to the scene or the review")
    if n_frames < 1:
        raise InputError(f"a video needs at least one frame, not {n_frames}")
    if len(stops) == 1 or n_frames == 1:
        return [stops[0]] * n_frames
    positions = np.array([s.position for s in stops], dtype=np.float64)
    focals = np.array([s.focal_point for s in stops], dtype=np.float64)
    lengths = (np.linalg.norm(np.diff(positions, axis=0), axis=1)
               + np.linalg.norm(np.diff(focals, axis=0), axis=1))
    if float(lengths.sum()) <= 0.0:
        lengths = np.ones(len(stops) - 1)
    lengths = np.maximum(lengths, lengths.sum() * 1e-3)
    edges = np.concatenate([[0.0], np.cumsum(lengths)]) / lengths.sum()
    frames = []
    for k in range(n_frames):
        s = k / (n_frames - 1)
        leg = int(min(np.searchsorted(edges, s, side="right") - 1, len(stops) - 2))
        t = (s - edges[leg]) / (edges[leg + 1] - edges[leg])
        t = _smoothstep(min(max(t, 0.0), 1.0)) if ease else min(max(t, 0.0), 1.0)
        a, b = stops[leg], stops[leg + 1]
        up = (1.0 - t) * np.asarray(a.up) + t * np.asarray(b.up)
        if float(np.linalg.norm(up)) < 1e-9:
            up = np.asarray(b.up, dtype=np.float64)
        height = None
        if a.view_height_m is not None and b.view_height_m is not None:
            height = (1.0 - t) * a.view_height_m + t * b.view_height_m
        frames.append(CameraState(
            position=_tuple(_catmull_rom(positions, leg, t)),
            focal_point=_tuple(_catmull_rom(focals, leg, t)),
            up=_tuple(up / np.linalg.norm(up)),
            view_angle_deg=(1.0 - t) * a.view_angle_deg + t * b.view_angle_deg,
            projection=a.projection if t < 0.5 else b.projection,
            view_height_m=height if height is not None else (
                a.view_height_m if t < 0.5 else b.view_height_m)))
    return frames


def _tuple(values: NDArray[np.float64]) -> tuple[float, float, float]:
    return (float(values[0]), float(values[1]), float(values[2]))
