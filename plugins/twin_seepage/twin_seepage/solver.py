"""Steady seepage: confined flow, and unconfined flow with a phreatic surface on a fixed mesh.

Unknown: total head ``h`` at the nodes. In the unconfined mode the permeability of an element is
``K kr(p)`` with the pressure head ``p = h - z`` taken at the element centre and

    kr = 1                        for p >= 0
    kr = max(10 ** (4 p / hk), kr_min)   for p < 0      (log-linear, as PLAXIS' "approximate" model)

solved by Picard iteration with continuation of ``hk`` from a wide to the final narrow band. Seepage
faces are Signorini boundaries handled by an active set: a candidate node is held at ``h = z`` while
water leaves through it and released (no flow) as soon as the computed flux would enter; a released
node whose head rises above its elevation is held again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from twin_seepage.capacitance import CapacitanceSolver
from twin_seepage.errors import ConvergenceError
from twin_seepage.fem import Assembler, LinearSystem
from twin_seepage.mesh import EDGE_LAND, EDGE_RIVER, SectionMesh, build_mesh
from twin_seepage.results import SeepageResult
from twin_seepage.sections import Section

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SolverOptions:
    """Numerical settings.

    Parameters
    ----------
    unconfined : bool
        Find a phreatic surface (kr(p) switch); ``False`` treats all soil as saturated.
    hk : float or None
        Final pressure-head band (m) over which kr falls from 1 to ``kr_min``; ``None`` takes
        half the median element size (a band much narrower than the elements makes the phreatic
        iteration chatter).
    hk_start : float
        First band of the continuation (m).
    kr_min : float
        Floor of the relative permeability.
    capillary : float
        Pressure-head band (m) over which specific yield is released (transient runs).
    tol : float
        Convergence tolerance on the head change between iterations (m).
    max_iter : int
        Iteration limit per continuation stage (per time step in transient runs).
    lagged : bool
        Transient unconfined runs only: take kr and the storage capacity from the start of each
        step and solve once per step (plus seepage-face switches) instead of iterating to
        convergence; the water balance stays exact (modified Picard residual form), the
        coefficients lag by one step. Much faster for tides at 10-minute steps.
    """

    unconfined: bool = True
    hk: float | None = None
    hk_start: float = 2.0
    kr_min: float = 1e-4
    capillary: float = 0.1
    tol: float = 1e-5
    max_iter: int = 200
    lagged: bool = False


def relative_permeability(p: np.ndarray, hk: float, kr_min: float) -> np.ndarray:
    """Return the log-linear relative permeability of pressure heads ``p`` (m)."""
    return np.clip(10.0 ** (4.0 * np.minimum(p, 0.0) / hk), kr_min, 1.0)


def element_kr(head: np.ndarray, mesh: SectionMesh, hk: float, kr_min: float) -> np.ndarray:
    """Return kr per element averaged over the three edge midpoints."""
    p = head[mesh.triangles] - mesh.nodes[mesh.triangles, 1]
    mid = 0.5 * (p + p[:, [1, 2, 0]])
    return relative_permeability(mid, hk, kr_min).mean(axis=1)


class Anderson:
    """Anderson acceleration (type II) of a fixed-point iteration ``x <- g(x)``.

    Parameters
    ----------
    depth : int
        Number of previous iterates used.
    """

    def __init__(self, depth: int = 5) -> None:
        self.depth = depth
        self.reset()

    def reset(self) -> None:
        """Forget the history (after a change of the active set)."""
        self._f: list[np.ndarray] = []
        self._g: list[np.ndarray] = []

    def step(self, x: np.ndarray, gx: np.ndarray) -> np.ndarray:
        """Return the next iterate from the current one and its image."""
        f = gx - x
        self._f.append(f)
        self._g.append(gx)
        if len(self._f) > self.depth + 1:
            self._f.pop(0)
            self._g.pop(0)
        if len(self._f) < 2:
            return gx
        df = np.diff(np.array(self._f), axis=0).T
        dg = np.diff(np.array(self._g), axis=0).T
        gamma, *_ = np.linalg.lstsq(df, f, rcond=None)
        accelerated = gx - dg @ gamma
        # safeguard: an extrapolation far beyond the plain step means the history no longer
        # describes the map (a kr switch, a wetting front); fall back to the plain iterate
        step = float(np.max(np.abs(f)))
        if not np.all(np.isfinite(accelerated)) or (
                float(np.max(np.abs(accelerated - x))) > 2.0 * step + 1e-12):
            self.reset()
            return gx
        return accelerated


class BoundaryState:
    """Fixed heads and the seepage-face active set of one mesh.

    Parameters
    ----------
    section, mesh : Section, SectionMesh
        Geometry and boundary polylines.
    """

    def __init__(self, section: Section, mesh: SectionMesh) -> None:
        self.z = mesh.nodes[:, 1]
        self.river = mesh.boundary_nodes(EDGE_RIVER)
        self.land = mesh.boundary_nodes(EDGE_LAND)
        self.river_face = section.river.seepage_face
        self.land_face = section.land.seepage_face
        self.land_level = section.land.level
        self.active = np.zeros(mesh.n_nodes, dtype=bool)
        self.candidate = np.zeros(mesh.n_nodes, dtype=bool)
        self.fixed = np.zeros(mesh.n_nodes, dtype=bool)
        self.value = np.zeros(mesh.n_nodes)
        self.stage = float("nan")
        self.flips = np.zeros(mesh.n_nodes, dtype=np.int64)
        self.max_flips = 4

    def set_stage(self, stage: float) -> None:
        """Apply a river stage; the active set of seepage nodes is kept where still candidates."""
        self.stage = stage
        n = self.z.size
        head_fixed = np.zeros(n, dtype=bool)
        value = np.zeros(n)
        candidate = np.zeros(n, dtype=bool)
        wet = self.river[self.z[self.river] <= stage]
        head_fixed[wet], value[wet] = True, stage
        if self.river_face:
            candidate[self.river[self.z[self.river] > stage]] = True
        if self.land_level is not None:
            wet = self.land[self.z[self.land] <= self.land_level]
            head_fixed[wet], value[wet] = True, self.land_level
            dry = self.land[self.z[self.land] > self.land_level]
        else:
            dry = self.land
        if self.land_face:
            candidate[dry] = True
        candidate &= ~head_fixed
        self.candidate = candidate
        self.active &= candidate
        self.head_fixed = head_fixed
        self._base_value = value
        self._refresh()

    def _refresh(self) -> None:
        self.fixed = self.head_fixed | self.active
        self.value = np.where(self.active, self.z, self._base_value)

    def initial_active(self, head: np.ndarray) -> None:
        """Hold every candidate node whose head is at or above its elevation."""
        self.active = self.candidate & (head >= self.z)
        self._refresh()

    def update(self, head: np.ndarray, outflow: np.ndarray, tol: float) -> int:
        """Apply the Signorini switches; return how many nodes changed.

        A node that has flipped :attr:`max_flips` times (the exit point lying between two nodes
        makes the top node chatter) is kept held at ``h = z`` from then on.
        """
        settled = self.flips >= self.max_flips
        release = self.active & (outflow < 0.0) & ~settled
        hold = self.candidate & ~self.active & (head > self.z + tol)
        hold |= self.candidate & settled & ~self.active
        self.active = (self.active & ~release) | hold
        self.flips += release | hold
        self._refresh()
        return int(release.sum() + hold.sum())

    def reset_flips(self) -> None:
        """Allow every node to switch again (a new load or a new continuation stage)."""
        self.flips[:] = 0


def constrained(assembler: Assembler, data: np.ndarray, rhs: np.ndarray,
                state: BoundaryState) -> tuple[np.ndarray, np.ndarray]:
    """Return (data, rhs) with the fixed heads of ``state`` imposed symmetrically."""
    g = np.where(state.fixed, state.value, 0.0)
    lifted = rhs - assembler.matrix(data) @ g
    return (assembler.constrain(data, state.fixed),
            np.where(state.fixed, assembler.diagonal(data) * g, lifted))


def inexact_rtol(change: float, scale: float, tol: float) -> float | None:
    """Return a loose CG tolerance far from convergence, ``None`` (tight) near it."""
    if not np.isfinite(change):
        return 1e-4
    if change < 10.0 * tol:
        return None
    return float(np.clip(0.01 * change / scale, 1e-10, 1e-4))


def make_result(assembler: Assembler, state: BoundaryState, head: np.ndarray, kr: np.ndarray,
                residual: np.ndarray, iterations: int, time: float | None = None
                ) -> SeepageResult:
    """Package a solution; ``residual`` is ``A h - b`` with no constraint (the nodal reactions)."""
    boundary = state.fixed
    outflow = np.where(boundary, -residual, 0.0)
    gradient = assembler.gradients(head)
    velocity = -np.stack([assembler.kx, assembler.kz], axis=1) * kr[:, None] * gradient
    discharge = float(outflow[state.land].sum())
    river_inflow = float(-outflow[state.river].sum())
    return SeepageResult(assembler.mesh, head, gradient, velocity, kr, outflow,
                         np.flatnonzero(state.active), discharge, river_inflow, iterations, time)


class SteadySolver:
    """Steady solutions of one section on one mesh (assembly and pattern reused).

    Parameters
    ----------
    section : Section
        A validated section.
    mesh : SectionMesh, optional
        A mesh of it; built with ``size`` if not given.
    size : float
        Element size (m) when the mesh is built here.
    options : SolverOptions
        Numerical settings.
    """

    def __init__(self, section: Section, mesh: SectionMesh | None = None, size: float = 1.0,
                 options: SolverOptions | None = None) -> None:
        section.validate()
        self.section = section
        self.mesh = mesh if mesh is not None else build_mesh(section, size)
        self.options = options or SolverOptions()
        self.assembler = Assembler.for_section(section, self.mesh)
        self.system = LinearSystem(self.assembler)
        self._switching: CapacitanceSolver | None = None
        self.z = self.mesh.nodes[:, 1]
        median_area = float(np.median(self.assembler.area))
        self.element_size = float(np.sqrt(median_area * 4.0 / np.sqrt(3.0)))
        self.hk = self.options.hk if self.options.hk is not None else 0.5 * self.element_size

    def switching(self, data: np.ndarray, base_fixed: np.ndarray) -> CapacitanceSolver:
        """Return the (cached) capacitance solver of a constant matrix and base fixed set."""
        cached = self._switching
        if cached is not None and (cached.data is data or np.array_equal(cached.data, data)) \
                and np.array_equal(cached.base_fixed, base_fixed):
            return cached
        self._switching = CapacitanceSolver(self.assembler, data, base_fixed)
        self.system.factorisations += 1
        return self._switching

    def element_kr(self, head: np.ndarray, hk: float) -> np.ndarray:
        """Return kr of each element for nodal heads (1 everywhere in confined mode).

        kr is averaged over the three edge midpoints of the element (a rule exact for quadratic
        functions), which makes it a smoother function of the heads than a centre value.
        """
        if not self.options.unconfined:
            return np.ones(self.mesh.triangles.shape[0])
        return element_kr(head, self.mesh, hk, self.options.kr_min)

    def solve(self, river_stage: float | None = None, initial: np.ndarray | None = None
              ) -> SeepageResult:
        """Solve for a river stage (default: the river boundary's ``level``).

        Raises
        ------
        ConvergenceError
            If the phreatic/seepage-face iteration does not settle.
        """
        stage = self.section.river.level if river_stage is None else river_stage
        if stage is None:
            raise ValueError("no river stage: give river_stage or set section.river.level")
        opts = self.options
        state = BoundaryState(self.section, self.mesh)
        state.set_stage(float(stage))
        levels = [float(stage)] + ([state.land_level] if state.land_level is not None else [])
        head = np.full(self.mesh.n_nodes, max(levels)) if initial is None else initial.copy()
        if opts.unconfined:
            state.initial_active(head)  # (confined: start with no seepage face, then hold)
        if opts.unconfined:
            count = max(1, int(np.ceil(np.log2(max(opts.hk_start / self.hk, 1.0)))) + 1)
            count = 1 if opts.hk_start <= self.hk else count
            bands = np.geomspace(max(opts.hk_start, self.hk), self.hk, count)
        else:
            bands = np.array([np.inf])
        total = 0
        for stage_index, band in enumerate(bands):
            state.reset_flips()
            tol = opts.tol if stage_index == len(bands) - 1 else max(opts.tol, 1e-3)
            head, kr, residual, used = self._iterate(state, head, float(band), tol)
            total += used
        return make_result(self.assembler, state, head, kr, residual, total)

    def _iterate(self, state: BoundaryState, head: np.ndarray, band: float, tol: float
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        opts = self.options
        change = np.inf
        accelerator = Anderson()
        for iteration in range(1, opts.max_iter + 1):
            kr = self.element_kr(head, band)
            data = self.assembler.stiffness_data(kr)
            # (one steady solve: refactorising after a large switch of the seepage face is
            # cheaper than the capacitance columns, which pay off only over a transient run)
            matrix_data, rhs = constrained(self.assembler, data, np.zeros(head.size), state)
            scale = max(float(np.max(np.abs(head))), 1.0)
            loose = inexact_rtol(change, scale, tol) if opts.unconfined else None
            new = self.system.solve(matrix_data, rhs, x0=head, rtol=loose, fixed=state.fixed)
            residual = self.assembler.matrix(data) @ new
            switched = state.update(new, -residual, tol)
            change = float(np.max(np.abs(new - head)))
            if switched == 0 and (not opts.unconfined or (change < tol and loose is None)):
                return new, kr, residual, iteration
            if switched or change < tol:  # (a converged loose solve: repeat it tightly)
                accelerator.reset()
                head = new
            else:
                head = accelerator.step(head, new)
        raise ConvergenceError(f"phreatic iteration did not converge in {opts.max_iter} "
                               f"iterations (hk = {band:g} m, last head change {change:.3g} m)")


def solve_steady(section: Section, river_stage: float | None = None, size: float = 1.0,
                 options: SolverOptions | None = None) -> SeepageResult:
    """Validate, mesh and solve a section in one call; see :class:`SteadySolver`."""
    return SteadySolver(section, size=size, options=options).solve(river_stage)
