"""Linear P1 finite elements on scipy sparse matrices for ``div(K kr grad h) = C dh/dt``.

The sparsity pattern is built once; a change of relative permeability, storage or of the set of
fixed-head nodes only rewrites the CSR data array. :class:`LinearSystem` keeps one sparse LU
factorisation and reuses it: directly while the matrix is unchanged (confined flow, a linear
transient), and as the preconditioner of a conjugate-gradient solve while it changes little (the
phreatic band moving during a tide); it refactorises only when CG needs too many iterations.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from twin_seepage.mesh import SectionMesh
from twin_seepage.sections import Section

log = logging.getLogger(__name__)


@dataclass
class Assembler:
    """Geometry-dependent element data and the CSR pattern of a mesh.

    Attributes
    ----------
    area : ndarray (m,)
        Element areas.
    grad : ndarray (m, 2, 3)
        Gradients of the three shape functions (d/dx, d/dz) of each element.
    local : ndarray (m, 9)
        Saturated element stiffness ``A (K grad N_i) . grad N_j`` flattened.
    """

    mesh: SectionMesh
    kx: np.ndarray
    kz: np.ndarray
    area: np.ndarray = field(init=False)
    grad: np.ndarray = field(init=False)
    local: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        nodes, tris = self.mesh.nodes, self.mesh.triangles
        x, z = nodes[tris, 0], nodes[tris, 1]
        b = np.stack([z[:, 1] - z[:, 2], z[:, 2] - z[:, 0], z[:, 0] - z[:, 1]], axis=1)
        c = np.stack([x[:, 2] - x[:, 1], x[:, 0] - x[:, 2], x[:, 1] - x[:, 0]], axis=1)
        twice = x[:, 0] * b[:, 0] + x[:, 1] * b[:, 1] + x[:, 2] * b[:, 2]
        self.area = 0.5 * np.abs(twice)
        self.grad = np.stack([b, c], axis=1) / twice[:, None, None]
        kb = self.kx[:, None] * b
        kc = self.kz[:, None] * c
        self.local = ((kb[:, :, None] * b[:, None, :] + kc[:, :, None] * c[:, None, :])
                      / (2.0 * np.abs(twice))[:, None, None]).reshape(-1, 9)
        rows = np.repeat(tris, 3, axis=1).ravel()
        cols = np.tile(tris, (1, 3)).ravel()
        n = self.mesh.n_nodes
        # position of every (element, i, j) entry in the CSR data array
        probe = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))
        probe.sum_duplicates()
        self._indptr, self._indices = probe.indptr, probe.indices
        key = rows.astype(np.int64) * n + cols
        csr_rows = np.repeat(np.arange(n), np.diff(self._indptr))
        csr_key = csr_rows.astype(np.int64) * n + self._indices
        self._slot = np.searchsorted(csr_key, key)
        self._rows = csr_rows
        self._diag = np.searchsorted(csr_key, np.arange(n, dtype=np.int64) * (n + 1))
        self._lump = np.bincount(tris.ravel(), weights=np.repeat(self.area / 3.0, 3),
                                 minlength=n)

    @classmethod
    def for_section(cls, section: Section, mesh: SectionMesh) -> Assembler:
        """Build the assembler with the permeabilities of the section's layers."""
        kx = np.array([layer.soil.kx for layer in section.layers])[mesh.layer]
        kz = np.array([layer.soil.kz for layer in section.layers])[mesh.layer]
        return cls(mesh, kx, kz)

    @property
    def n(self) -> int:
        """Return the number of unknowns (nodes)."""
        return self.mesh.n_nodes

    def stiffness_data(self, kr: np.ndarray | None = None) -> np.ndarray:
        """Return the CSR data of the conductance matrix with element factors ``kr``."""
        local = self.local if kr is None else self.local * kr[:, None]
        return np.bincount(self._slot, weights=local.ravel(), minlength=self._indices.size)

    def matrix(self, data: np.ndarray) -> sp.csr_matrix:
        """Wrap CSR data in a matrix with this mesh's pattern."""
        return sp.csr_matrix((data, self._indices, self._indptr), shape=(self.n, self.n))

    def lumped(self, per_element: np.ndarray | None = None) -> np.ndarray:
        """Return the lumped mass vector, optionally weighting each element."""
        if per_element is None:
            return self._lump
        weights = np.repeat(self.area * per_element / 3.0, 3)
        return np.bincount(self.mesh.triangles.ravel(), weights=weights, minlength=self.n)

    def lumped_nodal(self, per_element_node: np.ndarray) -> np.ndarray:
        """Sum ``area / 3 * value`` over elements for values given per element node (m, 3)."""
        weights = (self.area[:, None] / 3.0 * per_element_node).ravel()
        return np.bincount(self.mesh.triangles.ravel(), weights=weights, minlength=self.n)

    def constrain(self, data: np.ndarray, fixed: np.ndarray) -> np.ndarray:
        """Return CSR data with the rows and columns of the ``fixed`` (bool) nodes cleared.

        Their diagonal keeps its value (not 1), so the system stays well scaled whatever the
        permeability; the matching right-hand side is ``diagonal * fixed value``.
        """
        free = ~fixed
        out = data * (free[self._rows] & free[self._indices])
        out[self._diag[fixed]] = data[self._diag[fixed]]
        return out

    def diagonal(self, data: np.ndarray) -> np.ndarray:
        """Return the diagonal of the matrix with CSR data ``data``."""
        return data[self._diag]

    def gradients(self, head: np.ndarray) -> np.ndarray:
        """Return the head gradient (dh/dx, dh/dz) in each element, shape (m, 2)."""
        return np.einsum("eij,ej->ei", self.grad, head[self.mesh.triangles])


class LinearSystem:
    """Solve ``A x = b`` for a fixed pattern, reusing an LU factorisation when it can.

    Parameters
    ----------
    assembler : Assembler
        Provides the pattern.
    max_cg : int
        Largest number of preconditioned CG iterations before refactorising.
    refactor_after : int
        A change of more constraint rows than this since the factorisation makes the call
        refactorise. Otherwise CG runs with the stale factorisation until the time spent in CG
        since the factorisation exceeds the time the factorisation took (the "ski-rental"
        rule, within a factor two of the best choice made in hindsight).
    rtol : float
        Relative residual tolerance of the CG solves.
    """

    def __init__(self, assembler: Assembler, max_cg: int = 60, rtol: float = 1e-10,
                 refactor_after: int = 8) -> None:
        self.assembler = assembler
        self.max_cg = max_cg
        self.refactor_after = refactor_after
        self._factor_time = 0.0
        self._cg_time = 0.0
        self._stale = False
        self._fixed: np.ndarray | None = None
        self.rtol = rtol
        self._data: np.ndarray | None = None
        self._lu: spla.SuperLU | None = None
        self.factorisations = 0
        self.solves = 0
        self.cg_iterations = 0

    def _factor(self, data: np.ndarray) -> None:
        matrix = self.assembler.matrix(data).tocsc()
        started = time.perf_counter()
        self._lu = spla.splu(matrix, permc_spec="MMD_AT_PLUS_A",
                             options={"SymmetricMode": True})
        factor_time = time.perf_counter() - started
        self._data = data.copy()
        self.factorisations += 1
        self._factor_time = factor_time
        self._cg_time = 0.0

    def solve(self, data: np.ndarray, rhs: np.ndarray, x0: np.ndarray | None = None,
              rtol: float | None = None, fixed: np.ndarray | None = None) -> np.ndarray:
        """Solve the system whose CSR data is ``data`` (constraints already applied).

        ``rtol`` loosens the CG tolerance for inexact solves inside a non-linear iteration;
        ``fixed`` (bool per node) marks constrained rows, whose values are put into ``x0`` and
        left out of the tolerance's reference norm.
        """
        if x0 is not None and fixed is not None:
            x0 = x0.copy()
            x0[fixed] = rhs[fixed] / data[self.assembler._diag[fixed]]
        self.solves += 1
        moved = (fixed is not None and self._fixed is not None
                 and int(np.count_nonzero(fixed != self._fixed)) > self.refactor_after)
        if self._lu is None or self._data is None or self._stale or moved:
            # (many constraint rows changed since the factorisation: CG would need about as
            # many iterations, so refactorise straight away)
            self._stale = False
            self._factor(data)
            self._fixed = None if fixed is None else fixed.copy()
            return self._lu.solve(rhs)
        if np.array_equal(data, self._data):
            return self._lu.solve(rhs)
        matrix = self.assembler.matrix(data)
        tolerance = self.rtol if rtol is None else max(rtol, self.rtol)
        reference = rhs if fixed is None else np.where(fixed, 0.0, rhs)
        started = time.perf_counter()
        x, iterations, converged = pcg(matrix, rhs, self._lu.solve, x0, tolerance,
                                       self.max_cg, reference)
        self._cg_time += time.perf_counter() - started
        self.cg_iterations += iterations
        # CG has cost as much as a factorisation since the last one: refactorise next call
        self._stale = self._cg_time > self._factor_time
        if not converged:
            log.debug("CG stalled after %d iterations: refactorising", iterations)
            self._factor(data)
            self._fixed = None if fixed is None else fixed.copy()
            return self._lu.solve(rhs)
        return x


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    # an elementwise product and a pairwise sum: no multi-threaded BLAS call, which on a
    # shared, busy machine costs more than the arithmetic
    return float(np.multiply(a, b).sum())


def pcg(matrix: sp.csr_matrix, rhs: np.ndarray, precondition: Callable[[np.ndarray], np.ndarray],
        x0: np.ndarray | None, rtol: float, max_iter: int,
        reference: np.ndarray | None = None) -> tuple[np.ndarray, int, bool]:
    """Preconditioned conjugate gradients for a symmetric positive definite matrix.

    Converged when ``|b - A x| <= rtol |reference|`` (``reference`` defaults to ``b``).

    Returns
    -------
    x : ndarray
        The last iterate.
    iterations : int
        Preconditioner applications.
    converged : bool
        Whether the tolerance was reached.
    """
    x = np.zeros_like(rhs) if x0 is None else x0.astype(np.float64, copy=True)
    r = rhs - matrix @ x
    reference = rhs if reference is None else reference
    target = rtol * np.sqrt(_dot(reference, reference))
    if np.sqrt(_dot(r, r)) <= target:
        return x, 0, True
    z = precondition(r)
    p = z.copy()
    rz = _dot(r, z)
    for iteration in range(1, max_iter + 1):
        ap = matrix @ p
        alpha = rz / _dot(p, ap)
        x += alpha * p
        r -= alpha * ap
        if np.sqrt(_dot(r, r)) <= target:
            return x, iteration, True
        z = precondition(r)
        rz, previous = _dot(r, z), rz
        p = z + (rz / previous) * p
    return x, max_iter, False
