"""Switching fixed heads without refactorising: the capacitance-matrix (Lagrange) method.

When the conductance matrix is constant (confined flow, a fixed time step) only the set of
fixed-head nodes changes: river-bank nodes wet and dry with the tide, seepage-face nodes switch.
Factorise once the matrix ``A0`` in which only the always-fixed nodes are constrained; a further
set ``F`` of nodes held at ``g_F`` is imposed with Lagrange multipliers::

    A0 x + E_F lam = b,   E_F^T x = g_F
    =>  x = y - Z_F lam,   (E_F^T Z_F) lam = y_F - g_F,   y = A0^-1 b,   Z_F = A0^-1 E_F

The columns of ``Z`` are computed once per node on first use and kept, so a tidal run costs one
back-substitution per step plus a small dense solve, whatever wets or dries.
"""

from __future__ import annotations

import logging

import numpy as np
import scipy.sparse.linalg as spla

from twin_seepage.fem import Assembler

log = logging.getLogger(__name__)


class CapacitanceSolver:
    """Solve the constrained system for varying extra fixed sets with one factorisation.

    Parameters
    ----------
    assembler : Assembler
        Pattern and helpers.
    data : ndarray
        CSR data of the unconstrained matrix (conductance plus storage).
    base_fixed : ndarray of bool
        Nodes fixed in every solve (constrained in the factorised matrix).
    max_columns : int
        Largest number of cached columns (memory: ``n_nodes * max_columns`` floats).
    """

    def __init__(self, assembler: Assembler, data: np.ndarray, base_fixed: np.ndarray,
                 max_columns: int = 2000) -> None:
        self.assembler = assembler
        self.data = data
        self.matrix = assembler.matrix(data)
        self.base_fixed = base_fixed.copy()
        self.diagonal = assembler.diagonal(data)
        constrained = assembler.matrix(assembler.constrain(data, base_fixed)).tocsc()
        self.lu = spla.splu(constrained, permc_spec="MMD_AT_PLUS_A",
                            options={"SymmetricMode": True})
        self.max_columns = max_columns
        self._column_of: dict[int, np.ndarray] = {}
        self.solves = 0

    def _ensure(self, nodes: np.ndarray) -> list[np.ndarray]:
        missing = [int(n) for n in nodes if int(n) not in self._column_of]
        if missing:
            if len(self._column_of) + len(missing) > self.max_columns:
                raise MemoryError("too many switching nodes for the capacitance solver")
            unit = np.zeros((self.assembler.n, len(missing)))
            unit[missing, np.arange(len(missing))] = 1.0
            block = np.asfortranarray(self.lu.solve(unit))
            for offset, node in enumerate(missing):
                self._column_of[node] = block[:, offset]
            self.solves += len(missing)
        return [self._column_of[int(n)] for n in nodes]

    def solve(self, rhs: np.ndarray, fixed: np.ndarray, value: np.ndarray) -> np.ndarray:
        """Solve ``A x = rhs`` with ``x = value`` at the ``fixed`` nodes.

        ``fixed`` must include every node of ``base_fixed``.
        """
        base = self.base_fixed
        g = np.where(base, value, 0.0)
        lifted = rhs - self.matrix @ g
        b0 = np.where(base, self.diagonal * g, lifted)
        y = self.lu.solve(b0)
        self.solves += 1
        extra = np.flatnonzero(fixed & ~base)
        if extra.size == 0:
            return y
        columns = self._ensure(extra)  # each column contiguous: no n x k copy per solve
        capacitance = np.array([column[extra] for column in columns]).T
        multipliers = np.linalg.solve(capacitance, y[extra] - value[extra])
        x = y
        for column, multiplier in zip(columns, multipliers, strict=True):
            x -= multiplier * column
        x[extra] = value[extra]
        return x
