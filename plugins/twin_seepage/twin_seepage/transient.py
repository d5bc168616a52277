"""Transient seepage driven by a river-stage series: implicit Euler with storage.

Water content per unit volume as a function of the pressure head ``p``::

    theta(p) = Ss max(p, 0) + Sy (F(p) - 1),   F(p) = (1 + tanh(p / (2 hc))) / 2

(elastic storage when saturated; the drainable pores fill along a logistic step of width ``hc``
centred on the phreatic surface, so the capacity ``d theta / dp`` has no jump there).

Each step solves ``(theta(h) - theta(h_old)) / dt - div(K kr grad h) = 0`` with lumped storage by
the mass-conservative modified Picard scheme (Celia et al. 1990). In confined mode theta is linear
and kr = 1, so the matrix only changes when the river stage wets or dries a boundary node and one
LU factorisation serves the whole run; in unconfined mode the stale factorisation preconditions CG
solves of the slowly changing matrices (see :class:`twin_seepage.fem.LinearSystem`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from twin_seepage.errors import ConvergenceError, StageSeriesError
from twin_seepage.mesh import SectionMesh
from twin_seepage.results import PointLocator, SeepageResult
from twin_seepage.sections import Section
from twin_seepage.series import TimeSeries
from twin_seepage.solver import (
    Anderson,
    BoundaryState,
    SolverOptions,
    SteadySolver,
    constrained,
    inexact_rtol,
    make_result,
)

log = logging.getLogger(__name__)


@dataclass
class TransientResult:
    """Series produced by :meth:`TransientSolver.run`.

    Attributes
    ----------
    times : ndarray (t,)
        Seconds from the start of the stage series, one per step (the initial state first).
    stage : ndarray (t,)
        River stage applied at each time.
    discharge, river_inflow : ndarray (t,)
        Land-side outflow and river inflow (m3/s per m run) at each time.
    piezometer_ids : list of str
        Column names of ``piezometer_heads``.
    piezometer_heads : ndarray (t, k)
        Predicted head at each piezometer.
    output_times : ndarray (s,)
        Times at which full head fields were kept.
    heads : ndarray (s, n)
        Nodal heads at ``output_times``.
    final : SeepageResult
        The full result at the last time.
    factorisations, solves, cg_iterations : int
        Linear-algebra counters (how often the LU factorisation was rebuilt).
    """

    mesh: SectionMesh
    times: np.ndarray
    stage: np.ndarray
    discharge: np.ndarray
    river_inflow: np.ndarray
    piezometer_ids: list[str]
    piezometer_heads: np.ndarray
    output_times: np.ndarray
    heads: np.ndarray
    final: SeepageResult
    factorisations: int = 0
    solves: int = 0
    cg_iterations: int = 0

    def piezometer(self, piezometer_id: str, start: np.datetime64 | None = None) -> TimeSeries:
        """Return the predicted head series of one piezometer.

        Parameters
        ----------
        piezometer_id : str
            Id of a piezometer of the section.
        start : numpy.datetime64, optional
            Clock time of the run's first step (e.g. the first time of a datetime stage
            series); the series' times are then datetimes, else seconds.
        """
        column = self.piezometer_ids.index(piezometer_id)
        times = self.times
        if start is not None:
            times = np.datetime64(start, "ms") + np.rint(times * 1000).astype("timedelta64[ms]")
        return TimeSeries(times, self.piezometer_heads[:, column], piezometer_id)

    def predicted(self, start: np.datetime64 | None = None) -> dict[str, TimeSeries]:
        """Return every piezometer's predicted series (see :meth:`piezometer`)."""
        return {pid: self.piezometer(pid, start) for pid in self.piezometer_ids}


class TransientSolver(SteadySolver):
    """Transient runs of one section (mesh, assembly and factorisation reused between steps).

    Parameters
    ----------
    section, mesh, size, options
        As for :class:`~twin_seepage.solver.SteadySolver`.
    """

    def __init__(self, section: Section, mesh: SectionMesh | None = None, size: float = 1.0,
                 options: SolverOptions | None = None) -> None:
        super().__init__(section, mesh, size, options)
        tris = self.mesh.triangles
        self._ss = np.array([layer.soil.ss for layer in section.layers])[self.mesh.layer]
        self._sy = np.array([layer.soil.sy for layer in section.layers])[self.mesh.layer]
        self._z = self.mesh.nodes[tris, 1]
        self._m_ss = self.assembler.lumped(self._ss)
        self._k_sat = self.assembler.stiffness_data()
        self._data_dt: tuple[float, np.ndarray] | None = None
        self._base_fixed = np.zeros(self.mesh.n_nodes, dtype=bool)
        self._memo: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._last_stiffness: np.ndarray | None = None

    def _theta(self, head: np.ndarray, head_old: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """Return lumped nodal (water content, capacity) for nodal heads.

        With ``head_old`` the capacity is the larger of the slopes at the two heads (an
        L-scheme-like bound that keeps the Picard iteration from overshooting across the
        phreatic surface, where the slope jumps from Sy/hc to Ss).
        """
        if not self.options.unconfined:  # linear: lumped Ss (h - z)
            return self._m_ss * (head - self.z), self._m_ss
        theta, capacity = self._water(head)
        if head_old is not None:
            capacity = np.maximum(capacity, self._water(head_old)[1])
        return theta, capacity

    def water_volume(self, head: np.ndarray) -> float:
        """Return the stored water (m3 per m run) relative to the state with ``p = 0`` everywhere.

        The change of this volume over a run equals the time integral of ``river_inflow -
        discharge`` (the scheme is mass-conservative); a check for callers and tests.
        """
        return float(self._theta(np.asarray(head, dtype=np.float64))[0].sum())

    def _water(self, head: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lumped nodal water content and capacity; the last few heads are memoised."""
        key = hash(head.tobytes())
        if key in self._memo:
            return self._memo[key]
        theta, capacity = self._water_elements(head)
        value = (self.assembler.lumped_nodal(theta), self.assembler.lumped_nodal(capacity))
        if len(self._memo) >= 4:
            self._memo.pop(next(iter(self._memo)))
        self._memo[key] = value
        return value

    def _water_elements(self, head: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = head[self.mesh.triangles] - self._z
        ss = self._ss[:, None]
        hc = self.options.capillary
        sy = self._sy[:, None]
        # drainable pores: a logistic step of width hc centred on p = 0 (smooth capacity, so
        # the Picard linearisation does not jump at the phreatic surface); elastic storage
        # for p > 0
        filled = 0.5 * (1.0 + np.tanh(0.5 * p / hc))
        theta = ss * np.maximum(p, 0.0) + sy * (filled - 1.0)
        capacity = ss * (p > 0.0) + sy / hc * filled * (1.0 - filled)
        return theta, capacity

    def run(self, stage: TimeSeries, dt: float, initial: np.ndarray | None = None,
            t_end: float | None = None, output_every: int = 6, max_gap: float | None = None
            ) -> TransientResult:
        """Run from the first time of ``stage`` to ``t_end`` (default: its last time).

        Parameters
        ----------
        stage : TimeSeries
            River stage (m); validated for gaps first (``max_gap`` in seconds).
        dt : float
            Time step (s).
        initial : ndarray, optional
            Initial nodal heads; default: the steady state for the first stage value.
        t_end : float, optional
            End time in the series' seconds.
        output_every : int
            Keep the full head field every this many steps (and at the end); the default keeps
            hourly fields at 10-minute steps (a week on 50,000 nodes is then 70 MB, not 400).

        Raises
        ------
        StageSeriesError
            If the stage series has gaps or missing values.
        ConvergenceError
            If a step does not converge.
        """
        stage.validate(max_gap)
        seconds = stage.seconds
        if dt <= 0:
            raise StageSeriesError(f"time step dt = {dt!r} s must be > 0")
        end = seconds[-1] if t_end is None else float(t_end)
        steps = int(np.ceil((end - seconds[0]) / dt - 1e-9))
        times = seconds[0] + dt * np.arange(steps + 1)
        times[-1] = min(times[-1], end) if steps else times[-1]
        levels = stage.at(times)
        head = (self.solve(float(levels[0])).head if initial is None
                else np.asarray(initial, dtype=np.float64).copy())
        state = BoundaryState(self.section, self.mesh)
        state.set_stage(float(levels.min()))
        self._base_fixed = state.head_fixed.copy()  # fixed whatever the stage
        self._last_stiffness = None
        state.set_stage(float(levels[0]))
        state.initial_active(head)
        ids = [p.id for p in self.section.piezometers]
        locator = (PointLocator.build(self.mesh, [[p.x, p.z] for p in self.section.piezometers])
                   if ids else None)
        piezo = np.zeros((steps + 1, len(ids)))
        discharge = np.zeros(steps + 1)
        inflow = np.zeros(steps + 1)
        kept_times, kept = [times[0]], [head.copy()]
        discharge[0], inflow[0] = self._fluxes(state, head, head, 1.0)
        if locator is not None:
            piezo[0] = locator.values(self.mesh, head)
        for n in range(1, steps + 1):
            step = float(times[n] - times[n - 1])
            state.set_stage(float(levels[n]))
            state.reset_flips()
            head_old = head
            head, _ = self._advance(state, head_old, step)
            if n % output_every == 0 or n == steps:
                kept_times.append(times[n])
                kept.append(head.copy())
            discharge[n], inflow[n] = self._fluxes(state, head, head_old, step)
            if locator is not None:
                piezo[n] = locator.values(self.mesh, head)
        result = self._step_result(state, head, head_old if steps else head,
                                   float(times[-1] - times[-2]) if steps else 1.0, 0,
                                   float(times[-1]))
        switching = self._switching.solves if self._switching is not None else 0
        solves = self.system.solves + switching
        log.debug("transient: %d steps, %d factorisations, %d solves", steps,
                  self.system.factorisations, solves)
        return TransientResult(self.mesh, times, levels, discharge, inflow, ids, piezo,
                               np.array(kept_times), np.array(kept), result,
                               self.system.factorisations, solves,
                               self.system.cg_iterations)

    def _advance(self, state: BoundaryState, head_old: np.ndarray, dt: float
                 ) -> tuple[np.ndarray, int]:
        opts = self.options
        theta_old, _ = self._theta(head_old)
        head = head_old.copy()
        accelerator = Anderson()
        change = np.inf
        base = None if opts.unconfined else self._k_sat
        diag = self.assembler._diag
        lagged = opts.unconfined and opts.lagged
        if lagged:  # coefficients of the start of the step, one solve (plus face switches)
            base = self.assembler.stiffness_data(self.element_kr(head_old, self.hk))
            _, capacity_old = self._theta(head_old)
        for iteration in range(1, opts.max_iter + 1):
            if base is not None:
                stiffness = base
            else:
                stiffness = self.assembler.stiffness_data(self.element_kr(head, self.hk))
            theta, capacity = self._theta(head, head_old)
            if lagged:
                capacity = capacity_old
            rhs = capacity / dt * head - (theta - theta_old) / dt
            loose = None
            if base is not None and not lagged:  # confined: constant matrix, switch by Lagrange
                data = self._confined_data(dt)
                new = self.switching(data, self._base_fixed).solve(rhs, state.fixed, state.value)
            else:
                data = stiffness.copy()
                data[diag] += capacity / dt
                matrix_data, rhs = constrained(self.assembler, data, rhs, state)
                scale = max(float(np.max(np.abs(head))), 1.0)
                loose = None if lagged else inexact_rtol(change, scale, opts.tol)
                new = self.system.solve(matrix_data, rhs, x0=head, rtol=loose,
                                        fixed=state.fixed)
            if state.candidate.any():
                theta_new, _ = self._theta(new)
                residual = self.assembler.matrix(stiffness) @ new + (theta_new - theta_old) / dt
                switched = state.update(new, -residual, opts.tol)
            else:
                switched = 0
            change = float(np.max(np.abs(new - head)))
            self._last_stiffness = stiffness
            if switched == 0 and (not opts.unconfined or lagged
                                  or (change < opts.tol and loose is None)):
                return new, iteration
            if switched or change < opts.tol:
                accelerator.reset()
                head = new
            else:
                head = accelerator.step(head, new)
        if change < 100.0 * opts.tol:  # stagnating just above the tolerance: accept, say so
            log.warning("time step of %g s stopped at a head change of %.2g m after %d "
                        "iterations (tolerance %g m)", dt, change, opts.max_iter, opts.tol)
            return head, opts.max_iter
        raise ConvergenceError(f"time step of {dt:g} s did not converge in {opts.max_iter} "
                               f"iterations (last head change {change:.3g} m)")

    def _confined_data(self, dt: float) -> np.ndarray:
        if self._data_dt is None or self._data_dt[0] != dt:
            data = self._k_sat.copy()
            data[self.assembler._diag] += self._m_ss / dt
            self._data_dt = (dt, data)
        return self._data_dt[1]

    def _fluxes(self, state: BoundaryState, head: np.ndarray, head_old: np.ndarray, dt: float
                ) -> tuple[float, float]:
        """Return (land-side outflow, river inflow) from the nodal balance of a step."""
        if not self.options.unconfined:
            stiffness = self._k_sat
        elif self.options.lagged and self._last_stiffness is not None:
            stiffness = self._last_stiffness  # the matrix the step was solved with
        else:
            stiffness = self.assembler.stiffness_data(self.element_kr(head, self.hk))
        nodes = np.concatenate([state.land, state.river])
        rows = self.assembler.matrix(stiffness)[nodes]
        theta, _ = self._theta(head)
        theta_old, _ = self._theta(head_old)
        residual = rows @ head + (theta - theta_old)[nodes] / dt
        outflow = np.where(state.fixed[nodes], -residual, 0.0)
        return float(outflow[: state.land.size].sum()), float(-outflow[state.land.size:].sum())

    def _step_result(self, state: BoundaryState, head: np.ndarray, head_old: np.ndarray,
                     dt: float, iterations: int, time: float) -> SeepageResult:
        kr = self.element_kr(head, self.hk)
        theta, _ = self._theta(head)
        theta_old, _ = self._theta(head_old)
        residual = (self.assembler.matrix(self.assembler.stiffness_data(kr)) @ head
                    + (theta - theta_old) / dt)
        return make_result(self.assembler, state, head, kr, residual, iterations, time)
