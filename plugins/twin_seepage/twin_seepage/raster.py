"""Sample mesh fields on a regular raster of the section plane (for a host that wants a grid).

A :class:`RasterSampler` finds, once, the element and the barycentric weights of every raster
node; nodal fields are then interpolated with one gather, element fields with one take. Nodes
outside the flow domain (in a wall, above the ground, in the river) get NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin_seepage.mesh import SectionMesh


@dataclass(frozen=True)
class RasterSampler:
    """Interpolation of a mesh onto the raster ``x`` (columns) by ``z`` (rows).

    Attributes
    ----------
    x, z : ndarray
        Column and row coordinates (ascending).
    element : ndarray of int64, shape (len(z), len(x))
        Element holding each raster node, -1 outside the mesh.
    weights : ndarray, shape (len(z), len(x), 3)
        Barycentric weights of the element's corners.
    """

    mesh: SectionMesh
    x: np.ndarray
    z: np.ndarray
    element: np.ndarray
    weights: np.ndarray

    @classmethod
    def build(cls, mesh: SectionMesh, spacing: float) -> RasterSampler:
        """Cover the mesh's bounding box with a raster of ``spacing`` metres."""
        lo, hi = mesh.nodes.min(axis=0), mesh.nodes.max(axis=0)
        x = lo[0] + spacing * np.arange(int(np.floor((hi[0] - lo[0]) / spacing + 1e-9)) + 1)
        z = lo[1] + spacing * np.arange(int(np.floor((hi[1] - lo[1]) / spacing + 1e-9)) + 1)
        element = np.full((z.size, x.size), -1, dtype=np.int64)
        weights = np.zeros((z.size, x.size, 3))
        corners = mesh.nodes[mesh.triangles]
        tol = 1e-9
        for e, (a, b, c) in enumerate(corners):
            i0, i1 = np.searchsorted(x, [min(a[0], b[0], c[0]) - tol,
                                         max(a[0], b[0], c[0]) + tol], side="left")
            j0, j1 = np.searchsorted(z, [min(a[1], b[1], c[1]) - tol,
                                         max(a[1], b[1], c[1]) + tol], side="left")
            if i0 >= i1 or j0 >= j1:
                continue
            px, pz = np.meshgrid(x[i0:i1], z[j0:j1])
            det = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])
            l1 = ((b[0] - px) * (c[1] - pz) - (c[0] - px) * (b[1] - pz)) / det
            l2 = ((c[0] - px) * (a[1] - pz) - (a[0] - px) * (c[1] - pz)) / det
            l3 = 1.0 - l1 - l2
            inside = (l1 >= -tol) & (l2 >= -tol) & (l3 >= -tol)
            if not inside.any():
                continue
            rows, cols = np.nonzero(inside)
            element[j0 + rows, i0 + cols] = e
            weights[j0 + rows, i0 + cols] = np.stack([l1, l2, l3], axis=-1)[rows, cols]
        return cls(mesh, x, z, element, weights)

    @property
    def shape(self) -> tuple[int, int]:
        """Return ``(rows, columns)`` = ``(len(z), len(x))``."""
        return (int(self.z.size), int(self.x.size))

    @property
    def inside(self) -> np.ndarray:
        """Return the mask of raster nodes inside the mesh."""
        return self.element >= 0

    def nodal(self, values: np.ndarray) -> np.ndarray:
        """Interpolate a nodal field (n,) onto the raster; NaN outside."""
        out = np.full(self.shape, np.nan)
        inside = self.inside
        corner = self.mesh.triangles[self.element[inside]]
        out[inside] = np.sum(np.asarray(values)[corner] * self.weights[inside], axis=-1)
        return out

    def elemental(self, values: np.ndarray) -> np.ndarray:
        """Take an element field (m,) onto the raster; NaN outside."""
        out = np.full(self.shape, np.nan)
        inside = self.inside
        out[inside] = np.asarray(values)[self.element[inside]]
        return out
