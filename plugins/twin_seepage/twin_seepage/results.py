"""Solver outputs and what is derived from them (velocities, phreatic line, exit gradients)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from twin_seepage.mesh import EDGE_LAND, SectionMesh
from twin_seepage.sections import Piezometer

GAMMA_W = 9.81  # kN/m3


@dataclass(frozen=True)
class PointLocator:
    """Barycentric interpolation weights of points in a mesh (element and three weights)."""

    element: np.ndarray
    weights: np.ndarray

    @classmethod
    def build(cls, mesh: SectionMesh, points: ArrayLike) -> PointLocator:
        """Locate ``points`` (k, 2); a point outside every element takes the nearest one."""
        pts = np.atleast_2d(np.asarray(points, dtype=np.float64))
        xy = mesh.nodes[mesh.triangles]  # (m, 3, 2)
        a, b, c = xy[:, 0], xy[:, 1], xy[:, 2]
        det = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1])
        elements = np.empty(len(pts), dtype=np.int64)
        weights = np.empty((len(pts), 3))
        for k, (px, pz) in enumerate(pts):
            l1 = ((b[:, 0] - px) * (c[:, 1] - pz) - (c[:, 0] - px) * (b[:, 1] - pz)) / det
            l2 = ((c[:, 0] - px) * (a[:, 1] - pz) - (a[:, 0] - px) * (c[:, 1] - pz)) / det
            lam = np.stack([l1, l2, 1.0 - l1 - l2], axis=1)
            worst = lam.min(axis=1)
            e = int(np.argmax(worst))
            elements[k] = e
            weights[k] = np.clip(lam[e], 0.0, 1.0) / np.clip(lam[e], 0.0, 1.0).sum()
        return cls(elements, weights)

    def values(self, mesh: SectionMesh, nodal: np.ndarray) -> np.ndarray:
        """Interpolate nodal values; ``nodal`` may be (n,) or (t, n) -> (k,) or (t, k)."""
        corner = mesh.triangles[self.element]  # (k, 3)
        return np.sum(np.asarray(nodal)[..., corner] * self.weights, axis=-1)


@dataclass(frozen=True)
class ExitGradients:
    """Hydraulic gradients in the elements along the land-side surface (one per boundary edge).

    Attributes
    ----------
    x, z : ndarray
        Midpoints of the land-side boundary edges, sorted by x.
    magnitude : ndarray
        ``|grad h|`` in the adjacent element.
    upward : ndarray
        Upward component ``-dh/dz`` (positive where water rises out of the ground).
    """

    x: np.ndarray
    z: np.ndarray
    magnitude: np.ndarray
    upward: np.ndarray

    def max(self) -> tuple[float, float]:
        """Return (largest upward gradient, its x)."""
        if self.upward.size == 0:
            return 0.0, float("nan")
        i = int(np.argmax(self.upward))
        return float(self.upward[i]), float(self.x[i])


@dataclass
class SeepageResult:
    """A steady solution, or one time of a transient one.

    Attributes
    ----------
    mesh : SectionMesh
        The mesh the fields live on.
    head : ndarray (n,)
        Total head (m) at the nodes.
    gradient : ndarray (m, 2)
        Head gradient per element.
    velocity : ndarray (m, 2)
        Darcy velocity (m/s) per element: ``-K kr grad h``.
    kr : ndarray (m,)
        Relative permeability per element (1 when saturated).
    outflow : ndarray (n,)
        Nodal boundary outflow (m3/s per m run; negative = inflow), zero inside.
    seepage_nodes : ndarray
        Nodes of the active seepage face (h = z, water leaving).
    discharge : float
        Land-side outflow (m3/s per m run) through the land boundary.
    river_inflow : float
        Inflow from the river (m3/s per m run).
    iterations : int
        Non-linear iterations used.
    time : float or None
        Seconds from the start of a transient.
    """

    mesh: SectionMesh
    head: np.ndarray
    gradient: np.ndarray
    velocity: np.ndarray
    kr: np.ndarray
    outflow: np.ndarray
    seepage_nodes: np.ndarray
    discharge: float
    river_inflow: float
    iterations: int = 0
    time: float | None = None

    @property
    def pressure_head(self) -> np.ndarray:
        """Return the pressure head ``h - z`` (m)."""
        return self.head - self.mesh.nodes[:, 1]

    @property
    def pore_pressure(self) -> np.ndarray:
        """Return the pore pressure (kPa), negative above the phreatic line."""
        return GAMMA_W * self.pressure_head

    def head_at(self, points: ArrayLike) -> np.ndarray:
        """Interpolate the head at (x, z) points (k, 2)."""
        return PointLocator.build(self.mesh, points).values(self.mesh, self.head)

    def piezometer_heads(self, piezometers: Sequence[Piezometer]) -> dict[str, float]:
        """Return the predicted head at each piezometer, by id."""
        if not piezometers:
            return {}
        heads = self.head_at([[p.x, p.z] for p in piezometers])
        return {p.id: float(h) for p, h in zip(piezometers, heads, strict=True)}

    def phreatic_segments(self) -> np.ndarray:
        """Return the phreatic line (pressure head 0) as segments, shape (k, 2, 2)."""
        return phreatic_segments(self.mesh, self.pressure_head)

    def phreatic_line(self) -> np.ndarray:
        """Return points of the phreatic line sorted by x, shape (k, 2)."""
        segments = self.phreatic_segments()
        if segments.size == 0:
            return np.empty((0, 2))
        points = np.unique(np.round(segments.reshape(-1, 2), 9), axis=0)
        return points[np.argsort(points[:, 0], kind="stable")]

    def exit_gradients(self) -> ExitGradients:
        """Return the gradients in the elements along the land-side surface."""
        return exit_gradients(self.mesh, self.gradient)

    def exit_gradient_at(self, x: float, z_surface: float, depth: float) -> float:
        """Return the upward gradient averaged over ``depth`` below the surface point (x, z)."""
        top, bottom = self.head_at([[x, z_surface], [x, z_surface - depth]])
        return float((bottom - top) / depth)


def phreatic_segments(mesh: SectionMesh, pressure: np.ndarray) -> np.ndarray:
    """Return the zero contour of a nodal field as segments (k, 2, 2)."""
    p = pressure[mesh.triangles]
    xy = mesh.nodes[mesh.triangles]
    crossing = (p.min(axis=1) < 0.0) & (p.max(axis=1) > 0.0)
    segments = []
    for e in np.flatnonzero(crossing):
        ends = []
        for i, j in ((0, 1), (1, 2), (2, 0)):
            if (p[e, i] < 0.0) != (p[e, j] < 0.0):
                t = p[e, i] / (p[e, i] - p[e, j])
                ends.append(xy[e, i] + t * (xy[e, j] - xy[e, i]))
        if len(ends) == 2:
            segments.append(ends)
    return np.array(segments).reshape(-1, 2, 2)


def exit_gradients(mesh: SectionMesh, gradient: np.ndarray) -> ExitGradients:
    """Gradients of the elements owning the land-side boundary edges that face upwards.

    Edges whose outward normal has no upward component (a vertical far-field face, the side of
    a slit) are left out: water cannot lift grains out of the ground there.
    """
    edges = mesh.edges[mesh.edge_kind == EDGE_LAND]
    if edges.size == 0:
        empty = np.empty(0)
        return ExitGradients(empty, empty, empty, empty)
    near = np.flatnonzero(np.isin(mesh.triangles, edges).any(axis=1))
    tris = np.sort(mesh.triangles[near], axis=1)
    keys = {}
    for e, (a, b, c) in zip(near, tris, strict=True):
        for pair in ((a, b), (b, c), (a, c)):
            keys[(int(pair[0]), int(pair[1]))] = int(e)
    owner = np.array([keys[(int(min(a, b)), int(max(a, b)))] for a, b in edges])
    a, b = mesh.nodes[edges[:, 0]], mesh.nodes[edges[:, 1]]
    centre = mesh.nodes[mesh.triangles[owner]].mean(axis=1)
    normal = np.stack([b[:, 1] - a[:, 1], a[:, 0] - b[:, 0]], axis=1)
    inward = np.einsum("ij,ij->i", normal, centre - a) > 0
    normal[inward] *= -1.0
    up = normal[:, 1] > 1e-9 * np.hypot(normal[:, 0], normal[:, 1])
    edges, owner = edges[up], owner[up]
    middle = mesh.nodes[edges].mean(axis=1)
    order = np.argsort(middle[:, 0], kind="stable")
    g = gradient[owner][order]
    return ExitGradients(middle[order, 0], middle[order, 1], np.hypot(g[:, 0], g[:, 1]),
                         -g[:, 1])
